"""Three-valued conditions, joins between table entities and dated parameter look-ups.

Vector idioms used in every formula, explained once here:
- a condition is a `Check` per row: `unknown` (0), `passed` (1), `failed` (2). `unknown` is first
  because OpenFisca fills a row nobody set with index 0: an empty row must never pass;
- numbers that may be missing are float64 with NaN for "unknown" (a missing input is never zero);
  dates are float64 days since 1970-01-01, NaN when unknown;
- `numpy.where(c, a, b)` is "if c then a else b" row by row; `&`, `|` and `~` are and, or, not.
"""

from collections.abc import Sequence
from datetime import date

import numpy
from openfisca_core.indexed_enums import Enum, EnumArray

UNKNOWN, PASSED, FAILED = 0, 1, 2
EPOCH = date(1970, 1, 1)
NAN = float("nan")


class Check(Enum):
    """The answer to one condition. Order matters: index 0 (unknown) is OpenFisca's default."""

    unknown = "неизвестно"
    passed = "выполнено"
    failed = "не выполнено"


def codes(values) -> numpy.ndarray:
    """The int16 codes behind an EnumArray (or any array of codes)."""
    return numpy.asarray(values).astype(numpy.int16, copy=False)


def checks(values) -> EnumArray:
    """Codes as a `Check` EnumArray, without OpenFisca's slower generic encoding."""
    return EnumArray(codes(values), Check)


def from_bool(condition, known=True) -> EnumArray:
    """passed where `condition`, failed where not, unknown where not `known`."""
    out = numpy.where(condition, PASSED, FAILED)
    return checks(numpy.where(known, out, UNKNOWN))


def at_least(values, threshold) -> EnumArray:
    """values ≥ threshold, unknown when either side is NaN (a null parameter is NaN too)."""
    values = numpy.asarray(values, dtype=numpy.float64)
    threshold = numpy.asarray(threshold, dtype=numpy.float64)
    with numpy.errstate(invalid="ignore"):
        return from_bool(values >= threshold, ~(numpy.isnan(values) | numpy.isnan(threshold)))


def at_most(values, threshold) -> EnumArray:
    """values ≤ threshold, unknown when either side is NaN."""
    values = numpy.asarray(values, dtype=numpy.float64)
    threshold = numpy.asarray(threshold, dtype=numpy.float64)
    with numpy.errstate(invalid="ignore"):
        return from_bool(values <= threshold, ~(numpy.isnan(values) | numpy.isnan(threshold)))


def all_of(*conditions) -> EnumArray:
    """Conjunction: any failed → failed; all passed → passed; otherwise unknown."""
    stacked = [codes(c) for c in conditions]
    failed = numpy.logical_or.reduce([c == FAILED for c in stacked])
    passed = numpy.logical_and.reduce([c == PASSED for c in stacked])
    return checks(numpy.where(failed, FAILED, numpy.where(passed, PASSED, UNKNOWN)))


def any_of(*conditions) -> EnumArray:
    """Disjunction: any passed → passed; all failed → failed; otherwise unknown."""
    stacked = [codes(c) for c in conditions]
    passed = numpy.logical_or.reduce([c == PASSED for c in stacked])
    failed = numpy.logical_and.reduce([c == FAILED for c in stacked])
    return checks(numpy.where(passed, PASSED, numpy.where(failed, FAILED, UNKNOWN)))


def gate(condition, amount) -> numpy.ndarray:
    """An amount shown only when eligibility passed: 0 when it failed, NaN (unknown) otherwise.
    An unknown answer must not show a sum that reads like a promise."""
    c = codes(condition)
    return numpy.where(c == PASSED, amount, numpy.where(c == FAILED, 0.0, NAN))


def nan_if_none(value) -> float:
    """A parameter value read in a formula: null (unverified) becomes NaN, so it propagates."""
    return NAN if value is None else float(value)


def day_number(instant) -> int:
    """An OpenFisca Instant, period start or date as days since 1970-01-01."""
    text = str(instant)[:10]
    return (date.fromisoformat(text) - EPOCH).days


# ----- joins between table entities ------------------------------------------------------------


def link(population, fk_variable: str, target: str, target_variable: str, period, default=NAN):
    """Many-to-one gather: each row's value of `target_variable` on the row its FK points to.
    Rows whose FK is -1 get `default` (NaN: unknown; pass UNKNOWN for checks)."""
    idx = population(fk_variable, period)
    values = numpy.asarray(population.simulation.populations[target](target_variable, period))
    if len(values) == 0:
        return numpy.full(len(idx), default, dtype=numpy.float64 if isinstance(default, float) else values.dtype)
    out = values[numpy.maximum(idx, 0)]
    return numpy.where(idx >= 0, out, default)


def count_by(population, source: str, fk_variable: str, period, weights=None) -> numpy.ndarray:
    """One-to-many sum (or count): for each row of `population`, the rows of `source` pointing to it."""
    idx = population.simulation.populations[source](fk_variable, period)
    ok = idx >= 0
    if weights is None:
        return numpy.bincount(idx[ok], minlength=population.count)[: population.count].astype(numpy.int64)
    weights = numpy.asarray(weights, dtype=numpy.float64)
    return numpy.bincount(idx[ok], weights=weights[ok], minlength=population.count)[: population.count]


def any_by(population, source: str, fk_variable: str, period, condition) -> EnumArray:
    """Three-valued "some row of `source` passes" per row of `population` (none at all → failed)."""
    c = codes(condition)
    n = count_by(population, source, fk_variable, period)
    passed = count_by(population, source, fk_variable, period, c == PASSED)
    failed = count_by(population, source, fk_variable, period, c == FAILED)
    return checks(numpy.where(passed > 0, PASSED, numpy.where(failed == n, FAILED, UNKNOWN)))


def all_by(population, source: str, fk_variable: str, period, condition) -> EnumArray:
    """Three-valued "every row of `source` passes" per row of `population` (none at all → passed)."""
    c = codes(condition)
    n = count_by(population, source, fk_variable, period)
    passed = count_by(population, source, fk_variable, period, c == PASSED)
    failed = count_by(population, source, fk_variable, period, c == FAILED)
    return checks(numpy.where(failed > 0, FAILED, numpy.where(passed == n, PASSED, UNKNOWN)))


# ----- parameters read at a date per row (loans are judged on their own signing date) ------------


def parameter(population, path: str):
    """The Parameter object of the simulation's system (a reform's own tree, if any)."""
    node = population.simulation.tax_benefit_system.parameters
    for part in path.split("."):
        node = node.children[part]
    return node


def dated_values(param) -> tuple[numpy.ndarray, list]:
    """(start days ascending, values) of a Parameter's history."""
    items = sorted(param.values_list, key=lambda v: v.instant_str)
    return numpy.array([day_number(v.instant_str) for v in items], dtype=numpy.float64), [v.value for v in items]


def at_dates(population, path: str, days, before=NAN) -> numpy.ndarray:
    """A numeric or boolean parameter in force on each row's date, as float64.

    Vectorised by `searchsorted` instead of one `parameters(instant)` call per distinct date. A
    null (unverified) value and an unknown date give NaN; a date before the first value gives
    `before` (a decree does not apply before its adoption: pass 0.0 for on/off parameters)."""
    starts, values = dated_values(parameter(population, path))
    table = numpy.array([NAN] + [nan_if_none(v) for v in values], dtype=numpy.float64)
    table[0] = before
    days = numpy.asarray(days, dtype=numpy.float64)
    pos = numpy.searchsorted(starts, numpy.nan_to_num(days, nan=-1e9), side="right")
    return numpy.where(numpy.isnan(days), NAN, table[pos])


def per_day(days, compute, at_least: int = 50_000) -> numpy.ndarray:
    """`compute(days)` for many dates, evaluated once per whole day of their span and gathered.

    A loan book asks the key rate on millions of loan-year starts that fall on a few thousand
    distinct days; a look-up by day index replaces a binary search per row. Dates that are not
    whole days, or spread thinner than one per day, go to `compute` directly."""
    days = numpy.asarray(days, dtype=numpy.float64)
    known = ~numpy.isnan(days)
    if days.size < at_least or not known.any():
        return compute(days)
    whole = days[known]
    lo, hi = whole.min(), whole.max()
    if hi - lo >= whole.size or not numpy.array_equal(whole, numpy.floor(whole)):
        return compute(days)
    values = numpy.asarray(compute(numpy.arange(lo, hi + 1.0)), dtype=numpy.float64)
    out = numpy.full(days.shape, NAN)
    out[known] = values[(whole - lo).astype(numpy.int64)]
    return out


def key_rate_at(population, days) -> numpy.ndarray:
    """The Bank of Russia key rate on each date; from the forecast's first date, the forecast
    (a labelled assumption) replaces the facts."""
    known = at_dates(population, "general.key_rate", days)
    forecast_start = dated_values(parameter(population, "general.key_rate_forecast"))[0][0]
    forecast = at_dates(population, "general.key_rate_forecast", days)
    return numpy.where(numpy.asarray(days) >= forecast_start, forecast, known)


def list_parameter_at(population, path: str, day: float) -> list:
    """A list-valued parameter (classes, region codes) in force on one date; [] before its start."""
    starts, values = dated_values(parameter(population, path))
    pos = int(numpy.searchsorted(starts, day, side="right"))
    return list(values[pos - 1] or []) if pos > 0 else []


def isin_codes(values, allowed: Sequence) -> numpy.ndarray:
    return numpy.isin(values, numpy.asarray(list(allowed)))


def isin_dated(population, path: str, days, values) -> numpy.ndarray:
    """Row by row: is `values[i]` in the list-valued parameter in force on `days[i]`? (False before
    the parameter starts and for unknown dates; callers treat unknown inputs themselves.)"""
    starts, lists = dated_values(parameter(population, path))
    days = numpy.asarray(days, dtype=numpy.float64)
    pos = numpy.searchsorted(starts, numpy.nan_to_num(days, nan=-1e9), side="right")
    out = numpy.zeros(len(days), dtype=bool)
    for i, allowed in enumerate(lists, start=1):
        rows = pos == i
        if rows.any() and allowed:
            out[rows] = numpy.isin(numpy.asarray(values)[rows], numpy.asarray(list(allowed)))
    return out


class Node:
    """A parameter node at an instant where a null (unverified) or not-yet-dated value reads as
    None instead of raising: OpenFisca drops such children from `parameters(period)`."""

    def __init__(self, node) -> None:
        self._node = node

    def __getattr__(self, key: str):
        child = getattr(self._node, "_children", {}).get(key)
        return Node(child) if hasattr(child, "_children") else child


def node(parameters, period, path: str) -> Node:
    """`parameters(period).<path>` as a `Node`."""
    current = Node(parameters(period))
    for part in path.split("."):
        current = getattr(current, part)
        if current is None:
            return Node(None)
    return current
