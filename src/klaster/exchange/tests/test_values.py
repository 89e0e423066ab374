"""Values as Russian spreadsheets write them, and what is refused with a reason."""

from datetime import date
from decimal import Decimal

import pytest

from klaster.exchange.values import parse_bool, parse_date, parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 500,5", Decimal("1500.5")),
        ("1\u00a0500 000", Decimal("1500000")),
        ("1,5 млрд", Decimal("1500000000")),
        ("300 млн ₽", Decimal("300000000")),
        ("2 тыс. руб.", Decimal("2000")),
        (12.5, Decimal("12.5")),
        ("", None),
        ("—", None),
    ],
)
def test_numbers_in_russian_forms(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["полтора", "1,5,5", float("nan"), float("inf"), True])
def test_what_is_not_a_number_is_refused_with_a_reason(raw):
    with pytest.raises(ValueError, match=r"не число|не да/нет"):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("29.05.2024", date(2024, 5, 29)), ("2024-05-29", date(2024, 5, 29)), ("29 мая 2024 г.", date(2024, 5, 29))],
)
def test_dates_in_russian_and_iso_forms(raw, expected):
    assert parse_date(raw) == expected


def test_a_day_that_does_not_exist_and_yes_no():
    with pytest.raises(ValueError, match="такого дня нет"):
        parse_date("31.02.2024")
    assert (parse_bool("да"), parse_bool("нет"), parse_bool("")) == (True, False, None)
