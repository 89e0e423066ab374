"""Calendar arithmetic of loan schedules and the per-day look-up used on large loan books."""

from datetime import date

import numpy

from klaster.rules.common import day_number, per_day
from klaster.rules.schedule import add_years, anniversaries


def test_anniversaries_match_add_years_and_move_29_february_to_1_march():
    signed = numpy.array([day_number(date(2024, 2, 29)), day_number(date(2023, 12, 31)), numpy.nan])
    marks = anniversaries(signed, 4)
    assert marks.shape == (3, 5)
    assert marks[0, 0] == signed[0]
    assert marks[0, 1] == day_number(date(2025, 3, 1))
    assert marks[0, 4] == day_number(date(2028, 2, 29))
    assert marks[1, 2] == day_number(date(2025, 12, 31))
    assert numpy.isnan(marks[2]).all()
    for j in range(5):
        numpy.testing.assert_array_equal(marks[:, j], add_years(signed, j))


def test_per_day_gives_what_the_direct_computation_gives():
    rng = numpy.random.default_rng(3)
    days = rng.integers(19_000, 21_000, 200_000).astype(numpy.float64)
    days[::7] = numpy.nan
    calls = []

    def compute(d):
        calls.append(len(d))
        return numpy.where(numpy.isnan(d), numpy.nan, d * 0.5 + (d % 3))

    got = per_day(days, compute)
    assert calls == [int(numpy.nanmax(days) - numpy.nanmin(days)) + 1]  # once per day of the span, not per row
    numpy.testing.assert_array_equal(got, compute(days))


def test_per_day_falls_back_for_fractional_days_and_small_inputs():
    days = numpy.linspace(19_000.0, 19_001.0, 60_000)  # fractions of a day: no look-up table
    numpy.testing.assert_array_equal(per_day(days, lambda d: d * 2.0), days * 2.0)
    few = numpy.array([19_000.0, numpy.nan])
    assert numpy.isnan(per_day(few, lambda d: d + 1.0)[1])
