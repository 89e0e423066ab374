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
