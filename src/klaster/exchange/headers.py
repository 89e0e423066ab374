"""Column headers → fields: built-in Russian synonyms plus a user's YAML mapping (`--mapping M.yaml`)."""

import re
from pathlib import Path

import yaml

from klaster.exchange.readers import FileProblem
from klaster.registry import park_card


def card_field(key: str) -> str:
    """The plan's name of a GISIP card field («card_free_area_ha»)."""
    return f"card_{key}"


SYNONYMS: dict[str, tuple[str, ...]] = {
    "inn": ("инн", "инн организации", "инн участника", "инн резидента", "инн юл", "inn"),
    "ogrn": ("огрн", "огрн организации", "огрн участника", "огрн резидента", "ogrn"),
    "full_name": (
        "наименование",
        "наименование организации",
        "полное наименование",
        "наименование участника",
        "организация",
        "участник",
        "резидент",
        "наименование резидента",
        "full_name",
    ),
    "short_name": ("краткое наименование", "сокращенное наименование", "short_name"),
    "region": ("регион", "субъект", "субъект рф", "регион организации", "регион участника", "код региона", "region"),
    "okved": ("оквэд", "оквэд2", "основной оквэд", "код оквэд", "оквэд участника", "okved"),
    "size": ("категория", "категория мсп", "размер", "size"),
    "role": ("роль", "роль в кластере", "статус участника", "role"),
    "producing": ("выпускает продукцию", "производит продукцию", "producing"),
    "date_from": ("дата вступления", "дата включения участника", "участник с", "date_from"),
    "site_name": (
        "кластер",
        "наименование кластера",
        "название кластера",
        "парк",
        "наименование парка",
        "технопарк",
        "оэз",
        "наименование оэз",
        "площадка",
        "site_name",
    ),
    "site_kind": ("вид", "вид площадки", "тип парка", "тип", "site_kind"),
    "registry_number": ("номер в реестре", "реестровый номер", "регистрационный номер", "registry_number"),
    "entered_on": ("дата включения в реестр", "дата внесения в реестр", "дата включения", "entered_on"),
    "site_region": ("регион кластера", "регион площадки", "субъект рф кластера", "site_region"),
    "specialisation": ("специализация", "отраслевая специализация", "specialisation"),
    "decree": ("основание", "постановление", "decree"),
    "area_ha": ("площадь, га", "общая площадь, га", "площадь территории, га", "area_ha"),
    "building_area_m2": (
        "площадь зданий, м2",
        "площадь зданий, м²",
        "производственные площади, м2",
        "building_area_m2",
    ),
    "management_company_ownership": ("форма собственности", "форма собственности ук", "management_company_ownership"),
    "specialised_organisation_inn": (
        "инн специализированной организации",
        "инн ук",
        "инн управляющей компании",
        "specialised_organisation_inn",
    ),
}


def normalise(header) -> str:
    text = str(header or "").strip().lower().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"[\"«»()*:]", "", text)
    return re.sub(r"\s+", " ", text).strip()


# The GISIP card's fields (registry/park_card.py), each under its label and its other headers.
SYNONYMS.update({card_field(f.key): (f.label, *f.synonyms) for f in park_card.FIELDS})
LOOKUP = {normalise(s): field for field, names in SYNONYMS.items() for s in names}


class MappingError(FileProblem):
    """A mapping file that cannot be used: the import fails with this message, nothing is read or written."""


def load_mapping(path: Path | None) -> dict[str, str]:
    """`columns: {"Их заголовок": field}` → {normalised header: field}; fields must be known."""
    if path is None:
        return {}
    what = "Файл сопоставления столбцов (YAML)"
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise MappingError(f"{what} не найден: {path}") from None
    except UnicodeDecodeError:
        raise MappingError(f"{what} не в кодировке UTF-8: сохраните его в UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"строка {mark.line + 1}, позиция {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise MappingError(f"{what} не читается как YAML ({where}{problem})") from None
    except OSError as exc:
        raise MappingError(f"{what} не открывается: {exc.strerror or exc.__class__.__name__}") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{what}: ожидается раздел columns: {{заголовок в файле: поле}}")
    unknown = sorted(set(map(str, columns.values())) - set(SYNONYMS))
    if unknown:
        raise MappingError(f"{what}: неизвестные поля {', '.join(unknown)}; есть: {', '.join(SYNONYMS)}")
    return {normalise(k): str(v) for k, v in columns.items()}


def resolve(headers: list, mapping: dict[str, str]) -> dict[int, str]:
    """Column index → field; unknown headers are ignored (listed by the caller as not used)."""
    out = {}
    for i, header in enumerate(headers):
        key = normalise(header)
        field = mapping.get(key) or LOOKUP.get(key)
        if field and field not in out.values():
            out[i] = field
    return out
