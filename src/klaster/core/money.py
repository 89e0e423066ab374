"""Money is exact: Decimal rubles with two places in the database and the API, never float."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

KOPECK = Decimal("0.01")


def rub(value) -> Decimal | None:
    """Any number or numeric string to Decimal rubles rounded to the kopeck; None stays None."""
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(KOPECK, rounding=ROUND_HALF_UP)


class MoneyField(models.DecimalField):
    """Rubles with kopecks, up to 10^16 ₽: enough for any project, loan or budget line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)
