"""The microsimulation: every firm's support per measure and year under one rule system.

For each year the prepared population is moved to that year (`years.year_tables`) and cut into chunks of
firms (`builder.subset` keeps with each firm everything its answers read: its memberships and their
sites, its purchases and their suppliers, its loans), so memory is bounded and chunks can run anywhere.
Money is rounded to whole kopecks per rule row and summed as integers: totals are identical to the kopeck
whatever the chunking. Rows with «нет» and nothing paid are dropped; absent means «нет».
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy
import polars as pl

from klaster.rules.builder import build_simulation, subset
from klaster.rules.common import FAILED, PASSED, UNKNOWN, codes
from klaster.rules.variables.inputs_loan import LoanProgramme
from klaster.simulation.params import MEASURES, RunParams
from klaster.simulation.tables import Prepared
from klaster.simulation.years import YearTables, year_tables

Progress = Callable[[float, str], None]
LOAN_MEASURES = {
    "industrial_mortgage": LoanProgramme.industrial_mortgage.index,
    "cluster_investment_platform": LoanProgramme.cluster_investment_platform.index,
}
SCHEMA = {"firm": pl.Int64, "measure": pl.Utf8, "year": pl.Int32, "status": pl.Int8, "amount_kop": pl.Int64}


def _kopecks(amount: numpy.ndarray, status: numpy.ndarray) -> numpy.ndarray:
    paid = (status == PASSED) & ~numpy.isnan(amount)
    return numpy.where(paid, numpy.round(numpy.nan_to_num(amount) * 100.0), 0).astype(numpy.int64)


def _frame(measure: str, year: int, firm: numpy.ndarray, status: numpy.ndarray, amount: numpy.ndarray) -> pl.DataFrame:
    status = numpy.where((status == PASSED) & numpy.isnan(amount), UNKNOWN, status)  # a sum not known is unknown
    keep = status != FAILED
    return pl.DataFrame(
        {
            "firm": firm[keep].astype(numpy.int64),
            "measure": measure,
            "year": year,
            "status": status[keep].astype(numpy.int8),
            "amount_kop": _kopecks(amount, status)[keep],
        },
        schema=SCHEMA,
    )


def evaluate_year(tbs, yt: YearTables, tables, firm_rows: numpy.ndarray, own: numpy.ndarray) -> list[pl.DataFrame]:
    """Per-row results of one (chunk of a) year; `firm_rows` maps local firm rows to the population's,
    `own` marks the firms this chunk answers for (the others are suppliers brought along)."""
    sim = build_simulation(tbs, tables, [yt.year])
    day, year = yt.day.isoformat(), str(yt.year)
    c = tables.columns
    out = []

    def add(measure: str, local_firm: numpy.ndarray, status: numpy.ndarray, amount: numpy.ndarray) -> None:
        mine = own[local_firm]
        out.append(_frame(measure, yt.year, firm_rows[local_firm[mine]], status[mine], amount[mine]))

    if tables.counts["application"]:
        for measure in ("pp41_start_batch_subsidy", "equipment_tooling_subsidy"):
            status = codes(sim.calculate(f"{measure}_eligible", day))
            amount = numpy.asarray(sim.calculate(f"{measure}_amount", day), dtype=numpy.float64)
            add(measure, c["application_firm_idx"], status, amount)
    if tables.counts["loan"]:
        for measure, code in LOAN_MEASURES.items():
            rows = c["loan_programme"] == code
            status = codes(sim.calculate(f"{measure}_eligible", day))[rows]
            flow = numpy.asarray(sim.calculate(f"{measure}_interest_saved_in_year", year), dtype=numpy.float64)[rows]
            add(measure, c["loan_firm_idx"][rows], status, flow)
    status = codes(sim.calculate("cluster_insurance_premiums_eligible", day))
    flow = numpy.asarray(sim.calculate("cluster_insurance_premiums_saving_in_year", year), dtype=numpy.float64)
    add("cluster_insurance_premiums", numpy.arange(tables.counts["firm"]), status, flow)
    return out


@dataclass(frozen=True)
class Chunk:
    year: int
    first: int
    last: int  # firm rows [first, last)


def chunks(prep: Prepared, params: RunParams) -> list[Chunk]:
    size = params.chunk_firms
    return [Chunk(y, lo, min(lo + size, prep.n_firms)) for y in params.year_list for lo in range(0, prep.n_firms, size)]


def run_chunk(tbs, prep: Prepared, params: RunParams, chunk: Chunk, yt: YearTables | None = None) -> pl.DataFrame:
    """One chunk of one year: the unit of work of the local and the Dask engines (`yt`: that year's
    tables when the caller already has them)."""
    yt = yt or year_tables(prep, chunk.year, params.growth, params.loan_cohort, params.seed)
    if chunk.first == 0 and chunk.last == prep.n_firms:
        tables, firm_rows = yt.tables, numpy.arange(prep.n_firms)
    else:
        tables, keep = subset(yt.tables, numpy.arange(chunk.first, chunk.last))
        firm_rows = keep["firm"]
    own = (firm_rows >= chunk.first) & (firm_rows < chunk.last)
    frames = evaluate_year(tbs, yt, tables, firm_rows, own)
    return pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMA)


def combine(parts: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """One row per firm, measure and year: paid if any of its rows is; unknown if none is and one is unknown."""
    rows = pl.concat(list(parts)) if parts else pl.DataFrame(schema=SCHEMA)
    return (
        rows.group_by(["firm", "measure", "year"])
        .agg(
            pl.when((pl.col("status") == PASSED).any())
            .then(pl.lit(PASSED))
            .otherwise(pl.lit(UNKNOWN))
            .cast(pl.Int8)
            .alias("status"),
            pl.col("amount_kop").sum(),
        )
        .sort(["measure", "year", "firm"])
    )


def run_local_many(
    systems: list, prep: Prepared, params: RunParams, progress: Progress | None = None
) -> list[pl.DataFrame]:
    """Several rule systems over the same population: each year's tables are built once and serve all
    the systems and all the chunks of that year."""
    work = chunks(prep, params)
    parts: list[list[pl.DataFrame]] = [[] for _ in systems]
    yt = None
    for i, chunk in enumerate(work):
        if yt is None or yt.year != chunk.year:
            yt = year_tables(prep, chunk.year, params.growth, params.loan_cohort, params.seed)
        for k, system in enumerate(systems):
            parts[k].append(run_chunk(system, prep, params, chunk, yt))
        if progress:
            progress((i + 1) / len(work), f"{chunk.year} г., организации {chunk.first + 1}–{chunk.last}")
    return [combine(p) for p in parts]


def run_local(tbs, prep: Prepared, params: RunParams, progress: Progress | None = None) -> pl.DataFrame:
    return run_local_many([tbs], prep, params, progress)[0]


__all__ = ["MEASURES", "Chunk", "chunks", "combine", "run_chunk", "run_local", "run_local_many"]
