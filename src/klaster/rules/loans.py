"""Interest saved on a concessional loan, year by year (the profile is in `schedule.py`).

`saving_matrix` gives, per loan and loan year, the ruble saving and the days over which it accrues;
`calendar_flow` splits it into a calendar year. Both measures share it: the industrial mortgage
(rate fixed at signing) and the cluster investment platform (rate floating with the key rate,
concessional for the investment phase plus two years)."""

from collections.abc import Callable

import numpy

from klaster.rules.common import at_dates, key_rate_at, per_day
from klaster.rules.schedule import loan_years, overlap, year_bounds


def market_rate(loan, days) -> numpy.ndarray:
    """Market-rate proxy: key rate (or its forecast) + margin, both read on `days`."""
    return per_day(days, lambda d: key_rate_at(loan, d) + at_dates(loan, "general.market_rate_margin", d))


def saving_matrix(
    loan,
    period,
    concessional_rate: Callable[[numpy.ndarray], numpy.ndarray],
    concessional_years: numpy.ndarray | None = None,
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(saving per loan year in rubles, accrual start day, accrual end day), loans × loan years.

    `concessional_rate(start_days)` gives the borrower's rate for loan years starting on those
    days; `concessional_years` (per loan) ends the concessional period early (КИП)."""
    amount = loan("loan_amount_rub", period)
    starts, ends, length, balance = loan_years(loan("loan_signed_on", period), loan("loan_term_years", period))
    k = numpy.arange(starts.shape[1], dtype=numpy.float64)[None, :]
    share = length
    if concessional_years is not None:
        share = numpy.minimum(length, numpy.clip(concessional_years[:, None] - k, 0.0, 1.0))
    flat_starts = starts.ravel()
    market = market_rate(loan, flat_starts).reshape(starts.shape)
    rate = concessional_rate(flat_starts).reshape(starts.shape)
    saving = amount[:, None] * balance * (market - rate) * share
    saving = numpy.where(numpy.isnan(share) | (share > 0), saving, 0.0)
    with numpy.errstate(invalid="ignore", divide="ignore"):
        accrual_end = numpy.where(length > 0, starts + (ends - starts) * share / length, starts)
    return saving, starts, accrual_end


def row_sum(matrix: numpy.ndarray) -> numpy.ndarray:
    """Σ over columns in a fixed order, so a batch whose longest loan adds zero columns gives the
    same kopecks as a one-loan run (numpy's pairwise `sum` would not)."""
    total = numpy.zeros(matrix.shape[0])
    for j in range(matrix.shape[1]):
        total = total + matrix[:, j]
    return total


def total_saving(saving: numpy.ndarray) -> numpy.ndarray:
    """Σ over loan years; NaN (an unknown rate or term) propagates."""
    return row_sum(saving)


def calendar_flow(saving, starts, accrual_end, year: int) -> numpy.ndarray:
    """The part of each loan's saving that accrues in calendar `year` (proportional to days)."""
    y0, y1 = year_bounds(year)
    days = accrual_end - starts
    with numpy.errstate(invalid="ignore", divide="ignore"):
        part = numpy.where(days > 0, saving * overlap(starts, accrual_end, y0, y1) / days, 0.0)
    return row_sum(part)
