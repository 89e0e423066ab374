import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn

from klaster.registry.validators import validate_inn, validate_kpp, validate_ogrn

# 7707083893 is Sberbank's public ИНН; 500100732259 a well-known valid individual ИНН example.
VALID_INN_10 = "7707083893"
VALID_INN_12 = "500100732259"


def test_valid_inn_of_organisation_and_individual():
    validate_inn(VALID_INN_10)
    validate_inn(VALID_INN_12)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("7707083894", "inn_checksum"),
        ("500100732258", "inn_checksum"),
        ("770708389", "inn_format"),
        ("77070838931", "inn_format"),
        ("77070838AB", "inn_format"),
        ("", "inn_format"),
    ],
)
def test_bad_inn_names_the_field(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_inn(value)
    assert exc.value.code == code
    assert exc.value.messages[0].startswith("ИНН: ")


def test_inn_checksums_agree_with_stdnum():
    """The check digits are computed here (faster than stdnum for an import's 100 000 ИНН): they must accept
    and refuse exactly what stdnum does, valid numbers included."""
    rng = random.Random(7)
    numbers = [f"{rng.randrange(10**9):09d}" for _ in range(3_000)] + [
        f"{rng.randrange(10**10):010d}" for _ in range(3_000)
    ]
    valid = [
        n + stdnum_inn.calc_company_check_digit(n) if len(n) == 9 else n + stdnum_inn.calc_personal_check_digits(n)
        for n in numbers
    ]
    wrong = [f"{rng.randrange(10**10):010d}" for _ in range(3_000)] + [
        f"{rng.randrange(10**12):012d}" for _ in range(3_000)
    ]
    for value in valid + wrong:
        try:
            validate_inn(value)
            ours = True
        except ValidationError:
            ours = False
        assert ours == stdnum_inn.is_valid(value), value
    assert 200 < sum(stdnum_inn.is_valid(v) for v in wrong) < 600  # about one in ten of the 10-digit ones is valid


def test_valid_ogrn_and_ogrnip():
    validate_ogrn("1027700132195")  # Sberbank
    validate_ogrn("304500116000157")  # a 15-digit ОГРНИП with a valid checksum


@pytest.mark.parametrize(
    ("value", "code"),
    [("1027700132196", "ogrn_checksum"), ("102770013219", "ogrn_format"), ("304500116000158", "ogrn_checksum")],
)
def test_bad_ogrn(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_ogrn(value)
    assert exc.value.code == code
    assert exc.value.messages[0].startswith("ОГРН: ")


def test_kpp():
    validate_kpp("773601001")
    with pytest.raises(ValidationError, match="КПП: "):
        validate_kpp("77360100")
