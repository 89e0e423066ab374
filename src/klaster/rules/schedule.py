"""Calendar arithmetic on day numbers and the repayment profile of loans.

Repayment profile (documented in docs/rules.md): equal principal repayments once a year, on each
anniversary of the contract, over the term T (years, may be fractional). During loan year k
(k = 0 … ⌈T⌉-1) the balance is A × (1 - k / T); the last loan year may be shorter (T - ⌊T⌋).
Interest saved in loan year k = balance_k × (market_k - concessional_k) × (its concessional share
of a year); rates are read on the first day of each loan year. Flows are split between calendar
years in proportion to days.
"""

import threading

import numpy

EPOCH = numpy.datetime64("1970-01-01", "D")


def _civil(z: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Day numbers → (year, month, day), proleptic Gregorian, in integer arithmetic (H. Hinnant's
    civil_from_days): numpy's datetime64 conversions cost most of a large loan book's run time."""
    z = z + 719_468
    era = numpy.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = numpy.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _days_from_civil(year: numpy.ndarray, month: numpy.ndarray, day: numpy.ndarray) -> numpy.ndarray:
    year = year - (month <= 2)
    era = numpy.floor_divide(year, 400)
    yoe = year - era * 400
    doy = (153 * numpy.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def add_years(days, years) -> numpy.ndarray:
    """Day numbers plus whole calendar years (29 February moves to 1 March); NaN stays NaN."""
    days = numpy.asarray(days, dtype=numpy.float64)
    years = numpy.broadcast_to(numpy.asarray(years, dtype=numpy.float64), days.shape)
    ok = ~(numpy.isnan(days) | numpy.isnan(years))
    out = numpy.full(days.shape, numpy.nan)
    if ok.any():
        y, m, d = _civil(days[ok].astype(numpy.int64))
        # The same day of the month, counted from the 1st: 29 February + 1 year = 1 March.
        out[ok] = _days_from_civil(y + years[ok].astype(numpy.int64), m, numpy.ones_like(m)) + (d - 1)
    return out


def anniversaries(days, count: int) -> numpy.ndarray:
    """days, days + 1 year, … days + `count` years as columns (29 February moves to 1 March); the
    calendar date is decomposed once for all columns (a loan book has hundreds of thousands of rows)."""
    days = numpy.asarray(days, dtype=numpy.float64)
    out = numpy.full((len(days), count + 1), numpy.nan)
    ok = ~numpy.isnan(days)
    if ok.any():
        y, m, d = _civil(days[ok].astype(numpy.int64))
        first = numpy.ones_like(m)
        for j in range(count + 1):
            out[ok, j] = _days_from_civil(y + j, m, first) + (d - 1)
    return out


def add_fractional_years(days, years) -> numpy.ndarray:
    """Whole years by the calendar, the remainder as a share of 365 days (rounded to a day)."""
    years = numpy.asarray(years, dtype=numpy.float64)
    whole = numpy.floor(years)
    return add_years(days, whole) + numpy.round((years - whole) * 365.0)


def year_bounds(year: int) -> tuple[float, float]:
    """[1 January, 1 January next year) as day numbers."""
    start = (numpy.datetime64(f"{year}-01-01") - EPOCH).astype(numpy.int64)
    end = (numpy.datetime64(f"{year + 1}-01-01") - EPOCH).astype(numpy.int64)
    return float(start), float(end)


def overlap(a0, a1, b0, b1) -> numpy.ndarray:
    """Length of [a0, a1) ∩ [b0, b1), 0 when disjoint."""
    return numpy.maximum(0.0, numpy.minimum(a1, b1) - numpy.maximum(a0, b0))


_LAST: list = []  # [(signed, term), result]: the last loan book's schedule
_LAST_LOCK = threading.Lock()


def loan_years(signed, term) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """`_loan_years`, remembered for the last loan book: both loan measures, and the baseline and
    the reform, ask the same schedule in a row; comparing two columns is far cheaper than the
    calendar arithmetic. The arrays returned are read-only, being shared."""
    signed = numpy.asarray(signed, dtype=numpy.float64)
    term = numpy.asarray(term, dtype=numpy.float64)
    with _LAST_LOCK:
        if _LAST and _same(_LAST[0][0], signed) and _same(_LAST[0][1], term):
            return _LAST[1]
    result = _loan_years(signed, term)
    for part in result:
        part.flags.writeable = False
    with _LAST_LOCK:
        _LAST[:] = [(signed.copy(), term.copy()), result]
    return result


def _same(a: numpy.ndarray, b: numpy.ndarray) -> bool:
    return a.shape == b.shape and numpy.array_equal(a, b, equal_nan=True)


def _loan_years(signed, term) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """For each loan (rows) and loan year k (columns): start day, end day, length as a share of a
    year (1, or the remainder of a fractional term, 0 past the term) and the balance factor
    1 - k / T. Unknown signing dates or terms give NaN rows."""
    signed = numpy.asarray(signed, dtype=numpy.float64)
    term = numpy.asarray(term, dtype=numpy.float64)
    known = ~(numpy.isnan(signed) | numpy.isnan(term)) & (term > 0)
    k_max = int(numpy.ceil(numpy.nanmax(numpy.where(known, term, 0.0)))) if known.any() else 0
    k_max = max(k_max, 1)
    k = numpy.arange(k_max, dtype=numpy.float64)[None, :]
    t = numpy.where(known, term, numpy.nan)[:, None]
    length = numpy.clip(t - k, 0.0, 1.0)
    balance = numpy.clip(1.0 - k / t, 0.0, 1.0)
    # Anniversaries 0 … k_max: each loan year starts on one and ends on the next.
    marks = anniversaries(signed, k_max)
    starts, ends = marks[:, :k_max], marks[:, 1:]
    ends = numpy.where(length < 1.0, starts + numpy.round(length * 365.0), ends)
    return starts, ends, length, balance
