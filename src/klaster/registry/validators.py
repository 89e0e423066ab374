"""Validators of identifiers: ИНН, ОГРН/ОГРНИП, КПП, ОКВЭД2/ОКПД2 code shape, region codes.

Every message starts with the field's name: API clients and import reports show it bare.
"""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

OKVED_RE = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2})?)?$")
OKPD_RE = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2}(\.\d{1,3})?)?)?$")
KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def validate_inn(value: str) -> None:
    if not value.isascii() or not value.isdigit() or len(value) not in (10, 12):
        raise ValidationError("ИНН: 10 цифр у организации, 12 у ИП", code="inn_format")
    # The format is checked above, so stdnum's check digits directly (its `validate` first cleans the
    # text, which costs most of the time of an import's validation).
    if len(value) == 10:
        valid = stdnum_inn.calc_company_check_digit(value[:9]) == value[-1]
    else:
        valid = stdnum_inn.calc_personal_check_digits(value[:10]) == value[-2:]
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
