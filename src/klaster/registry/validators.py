"""Validators of identifiers: ИНН, ОГРН/ОГРНИП, КПП, ОКВЭД2/ОКПД2 code shape, region codes.

Every message starts with the field's name: API clients and import reports show it bare.
"""

import re
from operator import mul

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import ogrn as stdnum_ogrn

OKVED_RE = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2})?)?$")
OKPD_RE = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2}(\.\d{1,3})?)?)?$")
KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


COMPANY_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)  # the check digits' weights, as in stdnum.ru.inn
PERSONAL_WEIGHTS = ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def _check_digit(weights: tuple[int, ...], digits: bytes) -> int:
    """stdnum's sum of weighted digits mod 11 mod 10, over the ASCII codes (each digit's code is 48 more than
    it): an import checks 100 000 ИНН, and stdnum's generator of `int` calls cost ~0.6 s of it."""
    return (sum(map(mul, weights, digits)) - 48 * sum(weights)) % 11 % 10


def validate_inn(value: str) -> None:
    if not value.isascii() or not value.isdigit() or len(value) not in (10, 12):
        raise ValidationError("ИНН: 10 цифр у организации, 12 у ИП", code="inn_format")
    digits = value.encode("ascii")
    if len(digits) == 10:
        valid = _check_digit(COMPANY_WEIGHTS, digits) == digits[9] - 48
    else:  # the second check digit is weighed with the first as written: both must match anyway
        first, second = PERSONAL_WEIGHTS
        valid = _check_digit(first, digits) == digits[10] - 48 and _check_digit(second, digits) == digits[11] - 48
    if not valid:
        raise ValidationError("ИНН: не сходится контрольное число", code="inn_checksum")


def validate_ogrn(value: str) -> None:
    """ОГРН (13 digits) of an organisation or ОГРНИП (15 digits) of an individual entrepreneur."""
    if not value.isdigit() or len(value) not in (13, 15):
        raise ValidationError("ОГРН: 13 цифр у организации, 15 у ИП (ОГРНИП)", code="ogrn_format")
    try:
        stdnum_ogrn.validate(value)
    except InvalidChecksum:
        raise ValidationError("ОГРН: не сходится контрольное число", code="ogrn_checksum") from None
    except StdnumError:
        raise ValidationError("ОГРН: неверный формат", code="ogrn_format") from None


def validate_kpp(value: str) -> None:
    if not KPP_RE.match(value):
        raise ValidationError("КПП: 9 знаков (4 цифры, 2 цифры или латинские буквы, 3 цифры)", code="kpp_format")


def validate_okved_code(value: str) -> None:
    if not OKVED_RE.match(value):
        raise ValidationError("ОКВЭД2: код вида 29.32 или 26.40.2", code="okved_format")


def validate_okpd_code(value: str) -> None:
    if not OKPD_RE.match(value):
        raise ValidationError("ОКПД2: код вида 29.32.30.390", code="okpd_format")
