"""Resolve codes given by users: regions ("40" or "RU-KLU"), ОКВЭД2 and ОКПД2 codes."""

from functools import lru_cache

from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def _region_index() -> dict[str, str]:
    from klaster.registry.models import Region

    index: dict[str, str] = {}
    for code, iso in Region.objects.values_list("code", "iso_code"):
        index[code] = code
        if iso:
            index[iso.upper()] = code
    return index


def region_code(value: str | int | None, *, field: str = "region") -> str | None:
    """The subject code for `value`; a ValidationError naming `field` when it names no region."""
    if value is None or str(value).strip() == "":
        return None
    key = str(value).strip().upper()
    if key.isdigit() and len(key) == 1:
        key = f"0{key}"
    index = _region_index()
    if not index:  # reference data not loaded yet, or loaded after the cache was filled
        _region_index.cache_clear()
        index = _region_index()
    if key not in index:
        _region_index.cache_clear()  # a region added since the cache was built
        index = _region_index()
    if key not in index:
        raise ValidationError(
            {
                field: ValidationError(
                    f"Регион: нет субъекта РФ с кодом «{value}» (ожидается «40» или «RU-KLU»)", code="unknown_region"
                )
            }
        )
    return index[key]


def okved_code(value: str | None, *, field: str = "okved") -> str | None:
    """An ОКВЭД2 code known to the classifier, or a ValidationError naming `field`."""
    from klaster.registry.models import Okved

    if value is None or str(value).strip() == "":
        return None
    code = str(value).strip()
    if not Okved.objects.filter(code=code).exists():
        raise ValidationError(
            {field: ValidationError(f"ОКВЭД2: нет кода «{code}» в классификаторе", code="unknown_okved")}
        )
    return code


def okpd_code(value: str | None, *, field: str = "okpd") -> str | None:
    """An ОКПД2 code known to the classifier, or a ValidationError naming `field`."""
    from klaster.registry.models import Okpd

    if value is None or str(value).strip() == "":
        return None
    code = str(value).strip()
    if not Okpd.objects.filter(code=code).exists():
        raise ValidationError(
            {field: ValidationError(f"ОКПД2: нет кода «{code}» в классификаторе", code="unknown_okpd")}
        )
    return code
