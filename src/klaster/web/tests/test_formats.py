"""Russian formats of numbers, money, dates and legal parameter values."""

import pytest

from klaster.web import formats

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.5, "/1", "50 %"),
        (0.075, "/1", "7,5 %"),
        (150_000_000, "currency-RUB", "150 000 000 ₽"),
        (90_000, "currency-RUB-per-m2", "90 000 ₽/м²"),
        (1, "year", "1 год"),
        (3, "year", "3 года"),
        (7, "year", "7 лет"),
        (12, "year", "12 лет"),
        (2.5, "year", "2,5 года"),
        (True, None, "да"),
        (False, None, "нет"),
        ("2022-09-06", None, "06.09.2022"),
        ("2025", None, "2025"),
    ],
)
def test_parameter_values_read_as_in_the_decree(value, unit, shown):
    assert formats.parameter_value(value, unit) == shown.replace(" ", NBSP)
