"""Russian number, money and date formats for pages (1 500 000 ₽, 29.05.2024)."""

from datetime import date, datetime
from decimal import Decimal

NBSP = "\u00a0"


def number(value, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{digits}f}" if digits else f"{round(Decimal(str(value))):,}"
    return text.replace(",", NBSP).replace(".", ",")


def money(value) -> str:
    return "—" if value is None else f"{number(value)}{NBSP}₽"


def day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y") if isinstance(value, date) else str(value)


UNITS = {
    "currency-RUB": f"{NBSP}₽",
    "currency-RUB-per-m2": f"{NBSP}₽/м²",
    "currency-RUB-per-ha": f"{NBSP}₽/га",
    "m2": f"{NBSP}м²",
    "ha": f"{NBSP}га",
}


def plural(n: float, one: str, few: str, many: str) -> str:
    """Russian agreement of a noun with a number: 1 год, 2 года, 5 лет (fractions take «года»)."""
    if n != int(n):
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def parameter_value(value, unit: str | None = None) -> str:
    """A legal parameter's value as the decree would write it: shares in %, money in ₽, yes/no."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int | float | Decimal):
        if unit == "/1":
            return f"{number(float(value) * 100, 2).rstrip('0').rstrip(',')}{NBSP}%"
        digits = 0 if float(value) == int(value) else 2
        suffix = f"{NBSP}{plural(float(value), 'год', 'года', 'лет')}" if unit == "year" else UNITS.get(unit or "", "")
        text = number(value, digits).rstrip("0").rstrip(",") if digits else number(value)
        return f"{text}{suffix}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return str(value)
