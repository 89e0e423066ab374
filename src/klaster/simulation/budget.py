"""Behaviour on top of the rules: who takes a measure up, and who is paid when the appropriation is short.

Both act on the combined per-firm results, so they do not depend on chunking. Weights (a sample
standing for a whole) multiply the amounts here, still in whole kopecks.
"""

import numpy
import polars as pl

from klaster.rules.common import PASSED
from klaster.simulation.params import RunParams

MASK = (1 << 64) - 1


def _uniform(seed: int, measure: str, firm: numpy.ndarray, year: numpy.ndarray) -> numpy.ndarray:
    """A deterministic draw in [0, 1) per (seed, measure, firm, year): splitmix64 of the key, so a firm
    gets the same draw whatever the chunking or the order of rows."""
    salt = sum(ord(ch) * 131**i for i, ch in enumerate(measure)) & MASK
    with numpy.errstate(over="ignore"):
        x = (firm.astype(numpy.uint64) * numpy.uint64(0x9E3779B97F4A7C15)) ^ (
            year.astype(numpy.uint64) * numpy.uint64(0xBF58476D1CE4E5B9)
        )
        x ^= numpy.uint64(salt) ^ numpy.uint64(seed & MASK)
        x = (x ^ (x >> numpy.uint64(30))) * numpy.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> numpy.uint64(27))) * numpy.uint64(0x94D049BB133111EB)
        x ^= x >> numpy.uint64(31)
    return (x >> numpy.uint64(11)).astype(numpy.float64) / float(1 << 53)


def weighted(results: pl.DataFrame, weights: numpy.ndarray) -> pl.DataFrame:
    """Amounts times the firm's weight, in kopecks; `weight` kept for counting beneficiaries."""
    w = weights[results["firm"].to_numpy()]
    amount = numpy.round(results["amount_kop"].to_numpy() * w).astype(numpy.int64)
    return results.with_columns(pl.Series("amount_kop", amount), pl.Series("weight", w))


def take_up(results: pl.DataFrame, params: RunParams) -> pl.DataFrame:
    parts = []
    for measure, frame in results.partition_by("measure", as_dict=True).items():
        rate = params.take_up.get(measure[0], 1.0)
        amount = frame["amount_kop"].to_numpy()
        if rate >= 1.0:
            parts.append(frame)
            continue
        if params.take_up_mode == "expected":
            amount = numpy.round(amount * rate).astype(numpy.int64)
            frame = frame.with_columns(pl.Series("amount_kop", amount), pl.col("weight") * rate)
        else:
            draw = _uniform(params.seed, measure[0], frame["firm"].to_numpy(), frame["year"].to_numpy())
            taken = draw < rate
            frame = frame.with_columns(
                pl.Series("amount_kop", numpy.where(taken, amount, 0)),
                pl.Series(
                    "status", numpy.where(taken | (frame["status"].to_numpy() != PASSED), frame["status"], 2)
                ).cast(pl.Int8),
            ).filter(pl.col("status") != 2)
        parts.append(frame)
    return pl.concat(parts) if parts else results


def _ration(amount: numpy.ndarray, order: numpy.ndarray, budget: int, rule: str) -> numpy.ndarray:
    """Paid amounts (kopecks) when `amount.sum() > budget`."""
    if rule == "pro_rata":
        total = int(amount.sum())
        paid = (amount.astype(object) * budget // total).astype(numpy.int64)  # exact integer arithmetic
        return paid
    paid = numpy.zeros_like(amount)
    ranked = amount[order]
    before = numpy.concatenate([[0], numpy.cumsum(ranked)[:-1]])
    fits = before + ranked <= budget
    full = numpy.cumsum(~fits) == 0  # paid in full until the first one that does not fit
    partial = numpy.argmin(full) if not full.all() else None
    paid[order[full]] = ranked[full]
    if partial is not None:
        paid[order[partial]] = budget - int(ranked[full].sum())  # the last one gets the rest
    return paid


def apply_budget(
    results: pl.DataFrame,
    params: RunParams,
    limits: dict[str, dict[int, tuple[float | None, str]]],
    first_purchase: dict[tuple[int, int], float],
) -> tuple[pl.DataFrame, list[dict]]:
    """Cut each budget-limited measure's yearly demand to its appropriation (`limits`: rubles or None when
    unknown, and where the figure comes from); returns the rows paid and a line per measure and year:
    demand, budget, paid, share funded. An unknown appropriation pays the whole demand and says so."""
    lines = []
    out = results
    for measure, by_year in limits.items():
        for year, (limit_rub, origin) in sorted(by_year.items()):
            mask = (pl.col("measure") == measure) & (pl.col("year") == int(year))
            frame = results.filter(mask)
            amount = frame["amount_kop"].to_numpy()
            demand = int(amount.sum())
            paid = amount
            budget = None if limit_rub is None else round(limit_rub * 100)
            if budget is not None and demand > budget:
                if params.rationing == "first_come":
                    keys = [first_purchase.get((f, int(year)), float("inf")) for f in frame["firm"].to_list()]
                    order = numpy.lexsort((frame["firm"].to_numpy(), numpy.asarray(keys)))
                else:  # ranked: smaller requests first (more beneficiaries), then by firm for ties
                    order = numpy.lexsort((frame["firm"].to_numpy(), amount))
                paid = _ration(amount, order, budget, params.rationing)
                new = frame.with_columns(pl.Series("amount_kop", paid))
                out = pl.concat([out.filter(~mask), new])
            lines.append(
                {
                    "measure": measure,
                    "year": int(year),
                    "demand_rub": demand / 100,
                    "budget_rub": None if budget is None else budget / 100,
                    "budget_source": origin,
                    "paid_rub": int(paid.sum()) / 100,
                    "funded_share": (int(paid.sum()) / demand) if demand else None,
                }
            )
    return out, lines
