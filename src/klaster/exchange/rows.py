"""One row of a registry file → validated values, or the list of its problems (row, column, value, reason)."""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError

from klaster.exchange.headers import card_field
from klaster.exchange.values import parse_bool, parse_code, parse_date, parse_number, parse_text
from klaster.registry import park_card
from klaster.registry.lookups import region_code
from klaster.registry.models import Okved
from klaster.registry.validators import validate_inn, validate_ogrn

ROLES = {
    "якорный участник": "anchor",
    "якорный": "anchor",
    "anchor": "anchor",
    "участник": "participant",
    "participant": "participant",
    "резидент": "resident",
    "resident": "resident",
    "специализированная организация": "specialised_organisation",
    "управляющая компания": "management_company",
    "партнёр": "partner",
    "партнер": "partner",
}
SIZES = {
    "микро": "micro",
    "микропредприятие": "micro",
    "малое": "small",
    "среднее": "medium",
    "крупное": "large",
    "micro": "micro",
    "small": "small",
    "medium": "medium",
    "large": "large",
}
SITE_KINDS = {
    "промышленный кластер": "industrial_cluster",
    "кластер": "industrial_cluster",
    "индустриальный парк": "industrial_park",
    "промышленный парк": "industrial_park",
    "промышленный технопарк": "industrial_technopark",
    "технопарк": "industrial_technopark",
    "технопарк в сфере высоких технологий": "hightech_technopark",
    "особая экономическая зона": "sez",
    "оэз": "sez",
}
OWNERSHIP = {"государственная": "state", "частная": "private", "государственно-частная": "public_private"}
LABELS = {
    "inn": "ИНН",
    "ogrn": "ОГРН",
    "full_name": "Наименование",
    "region": "Регион",
    "okved": "ОКВЭД2",
    "size": "Категория",
    "role": "Роль",
    "date_from": "Дата вступления",
    "site_name": "Площадка",
    "site_kind": "Вид площадки",
    "registry_number": "Номер в реестре",
    "entered_on": "Дата включения в реестр",
    "site_region": "Регион площадки",
    "producing": "Выпускает продукцию",
    "area_ha": "Площадь, га",
    "building_area_m2": "Площадь зданий, м²",
    "short_name": "Краткое наименование",
    "specialisation": "Специализация",
    "decree": "Основание",
    "management_company_ownership": "Форма собственности",
    "specialised_organisation_inn": "ИНН специализированной организации",
}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Row:
    number: int
    sheet: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _choice(mapping: dict[str, str], raw, what: str) -> str:
    text = parse_text(raw).lower().replace("ё", "е")
    if not text:
        return ""
    found = mapping.get(text) or mapping.get(text.replace("е", "ё"))
    if not found:
        raise ValueError(f"{what}: «{parse_text(raw)[:40]}» — допустимо: {', '.join(sorted(set(mapping)))}")
    return found


@lru_cache(maxsize=1)
def okved_codes() -> frozenset[str]:
    return frozenset(Okved.objects.values_list("code", flat=True))


def _okved(raw) -> str | None:
    code = parse_text(raw)
    if not code:
        return None
    if code not in okved_codes():
        raise ValueError(f"ОКВЭД2 «{code}» нет в классификаторе")
    return code


def _validated(check, value: str) -> str:
    try:
        check(value)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    return value


def _code(check, raw) -> str:
    code = parse_code(raw)
    return _validated(check, code) if code else ""


PARSERS = {
    "inn": lambda v: _code(validate_inn, v),
    "specialised_organisation_inn": lambda v: _code(validate_inn, v),
    "ogrn": lambda v: _code(validate_ogrn, v),
    "full_name": parse_text,
    "short_name": parse_text,
    "site_name": parse_text,
    "registry_number": parse_text,
    "specialisation": parse_text,
    "decree": parse_text,
    "region": lambda v: _region(v),  # defined below
    "site_region": lambda v: _region(v),
    "okved": _okved,
    "size": lambda v: _choice(SIZES, v, "Категория"),
    "role": lambda v: _choice(ROLES, v, "Роль"),
    "site_kind": lambda v: _choice(SITE_KINDS, v, "Вид площадки"),
    "management_company_ownership": lambda v: _choice(OWNERSHIP, v, "Форма собственности"),
    "date_from": parse_date,
    "entered_on": parse_date,
    "producing": parse_bool,
    "area_ha": parse_number,
    "building_area_m2": parse_number,
}


def _region(raw) -> str | None:
    text = parse_text(raw)
    if not text:
        return None
    try:
        return region_code(text)
    except ValidationError:
        raise ValueError(f"Регион: нет субъекта РФ «{text[:40]}» (ожидается код «40» или «RU-KLU»)") from None


def _limited(parse, limit: int):
    def parse_limited(raw):
        text = parse(raw)
        if len(text) > limit:
            raise ValueError(f"длиннее {limit} знаков ({len(text)})")
        return text

    return parse_limited


def _card_parser(field: park_card.CardField):
    """A GISIP card cell → the value the card stores (`registry.park_card`): JSON-ready."""
    if field.kind == "number":
        return lambda v: None if (n := parse_number(v)) is None else format(n.normalize(), "f")
    if field.kind == "integer":
        return lambda v: None if (n := parse_number(v)) is None else _whole(n, field.label)
    if field.kind == "bool":
        return parse_bool
    if field.kind == "choice":
        return lambda v: _choice({**dict(field.choices), **{lb: c for c, lb in field.choices}}, v, field.label)
    return _limited(parse_text, 1000)


def _whole(number, label: str) -> int:
    if number != number.to_integral_value() or number < 0:
        raise ValueError(f"{label}: ожидается целое неотрицательное число, а не {number}")
    return int(number)


for _field in park_card.FIELDS:
    PARSERS[card_field(_field.key)] = _card_parser(_field)
    LABELS[card_field(_field.key)] = _field.label

for _name, _limit in {
    "full_name": 500,
    "short_name": 255,
    "site_name": 300,
    "registry_number": 64,
    "decree": 200,
}.items():
    PARSERS[_name] = _limited(PARSERS[_name], _limit)

CACHE_LIMIT = 20_000
Cache = dict[str, dict]
UNHASHABLE = object()  # the cache key of a cell that cannot be one (a list from JSON): parsed every time


class RowParser:
    """A sheet's rows → `Row`s. Each column's parser, label and cache are looked up once per sheet, not once
    per cell (a large file has over a million cells). `cache` (one per file) remembers each column's parsed
    cells: registry files repeat regions, codes, dates and the site's fields on every row. Each column's
    memory is bounded (cleared when full)."""

    def __init__(self, sheet: str, columns: dict[int, str], width: int, cache: Cache | None = None) -> None:
        self.sheet, self.width = sheet, width
        self.columns = [
            (index, name, PARSERS[name], LABELS.get(name, name), None if cache is None else cache.setdefault(name, {}))
            for index, name in columns.items()
        ]

    def __call__(self, number: int, cells: list) -> Row:
        row = Row(number, self.sheet)
        count = len(cells)
        if count < self.width and any(str(c).strip() for c in cells if c is not None):
            row.errors.append(
                RowError(number, "—", "", f"в строке {count} столбцов, в заголовке {self.width}: строка обрезана?")
            )
        values = row.values
        for index, name, parse, label, seen in self.columns:
            raw = cells[index] if index < count else None
            key = UNHASHABLE
            if seen is not None:
                key = raw if raw is None or type(raw) is str else (type(raw), raw)
                try:
                    hit = seen.get(key)
                except TypeError:
                    hit, key = None, UNHASHABLE
                if hit is not None:
                    if hit[1] is None:
                        values[name] = hit[0]
                    else:
                        row.errors.append(RowError(number, label, _shown(raw), hit[1]))
                    continue
            value, problem = None, None
            try:
                if type(raw) is str and "\x00" in raw:
                    raise ValueError("символ NUL (0x00) в тексте: база данных его не хранит")
                value = parse(raw)
            except (ValueError, ArithmeticError) as exc:
                problem = str(exc)
            if key is not UNHASHABLE:
                if len(seen) >= CACHE_LIMIT:
                    seen.clear()
                seen[key] = (value, problem)
            if problem is None:
                values[name] = value
            else:
                row.errors.append(RowError(number, label, _shown(raw), problem))
        return row


def _shown(raw) -> str:
    """A refused cell as the error report shows it (a NUL as «\\x00»: neither report keeps one)."""
    return parse_text(raw).replace("\x00", "\\x00")[:100]
