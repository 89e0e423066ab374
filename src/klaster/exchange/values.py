"""Values as Russian spreadsheets write them: numbers («1 500,5», «1,5 млрд»), dates («29.05.2024»,
«2024-05-29», «29 мая 2024 г.»), yes/no. Each parser raises ValueError with a Russian reason."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from klaster.core.cells import restore

MULTIPLIERS = {
    "трлн": Decimal(10) ** 12,
    "млрд": Decimal(10) ** 9,
    "млн": Decimal(10) ** 6,
    "тыс": Decimal(10) ** 3,
}
MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
    "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
SPACES = re.compile(r"[\s\u00a0\u202f']+")
NUMBER = re.compile(r"^(?P<num>[-+]?\d+(?:[.,]\d+)?)\s*(?P<mult>трлн|млрд|млн|тыс)?\.?\s*(?:руб(?:\.|лей|ля)?|₽|р\.)?$")
DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
WORD_DATE = re.compile(r"^(\d{1,2})\s+([а-яё]+)\s+(\d{4})(?:\s*г(?:ода|\.)?)?$")


def parse_number(value) -> Decimal | None:
    """None for an empty cell; a Decimal otherwise; ValueError with the reason for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("ожидается число, а не да/нет")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():  # NaN or infinity from a workbook or JSON
            raise ValueError(f"не число: «{value}»")
        return number
    text = str(value).strip().lower()
    if not text or text in ("-", "—", "н/д"):
        return None
    compact = SPACES.sub("", text)
    match = NUMBER.match(compact.replace("тыс.", "тыс").replace("млн.", "млн").replace("млрд.", "млрд"))
    if not match:
        raise ValueError(f"не число: «{str(value)[:40]}» (пример: 1 500,5 или 1,5 млрд)")
    try:
        number = Decimal(match["num"].replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"не число: «{str(value)[:40]}»") from None
    return number * MULTIPLIERS.get(match["mult"] or "", Decimal(1))


def parse_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    fast = DOTTED.match(text)
    if fast:  # 29.05.2024, the usual form: no strptime per cell
        try:
            return date(int(fast[3]), int(fast[2]), int(fast[1]))
        except ValueError:
            raise ValueError(f"не дата: «{str(value)[:40]}» (такого дня нет)") from None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = WORD_DATE.match(text)
    if match:
        month = next((n for stem, n in MONTHS.items() if match[2].startswith(stem)), None)
        if month:
            try:
                return date(int(match[3]), month, int(match[1]))
            except ValueError:
                pass
    raise ValueError(f"не дата: «{str(value)[:40]}» (пример: 29.05.2024 или 2024-05-29)")


def parse_bool(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in ("да", "д", "yes", "y", "true", "1", "+", "истина"):
        return True
    if text in ("нет", "н", "no", "n", "false", "0", "-", "ложь"):
        return False
    raise ValueError(f"ожидается «да» или «нет», а не «{str(value)[:40]}»")


def parse_text(value) -> str:
    """Spaces collapsed; a leading apostrophe that Klaster's exports put before «=», «+», «-», «@» (so a
    spreadsheet shows the text instead of running it) is taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel: 7701234567.0
    return " ".join(str(restore(value)).split())


def parse_code(value) -> str:
    """ИНН, ОГРН and similar: digits only, as text (Excel drops leading zeros of numbers: restore none)."""
    text = parse_text(value).replace(" ", "")
    return text
