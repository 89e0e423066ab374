"""One synthetic-registry generator for the database and for Parquet populations.

Deterministic for a seed: every draw comes from one numpy Generator in a fixed order.
Amounts are whole rubles (int64), so sums are exact whatever the chunking downstream.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl

from klaster.registry.synth import calibration as cal
from klaster.registry.synth.identifiers import inn10, ogrn13
from klaster.registry.synth.projects import projects_and_loans
from klaster.registry.synth.tables import sites_and_members

SCHEMA_VERSION = 1


@dataclass
class Population:
    """Tables of a synthetic registry; ids are 0-based row numbers within each table."""

    seed: int
    tables: dict[str, pl.DataFrame]
    calibration: list[cal.CalibrationLine] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return synth_tag(seed=self.seed, organizations=self.tables["firms"].height, sites=self.tables["sites"].height)


def synth_tag(*, seed: int, organizations: int, sites: int) -> str:
    """The `source` of every record of one synthetic set: its parameters, so a rerun can be recognised."""
    return f"synthetic:seed={seed},organizations={organizations},sites={sites}"


def _reference():
    from klaster.registry.reference import okpd_rows, okved_rows, region_rows

    regions = [r for r in region_rows() if r["population"]]
    okved = [r["code"] for r in okved_rows() if r["level"] >= 3]
    okved_c = [c for c in okved if 10 <= int(c[:2]) <= 33]
    okved_other = [c for c in okved if c.split(".")[0] in {"46", "62", "71", "72", "35", "49", "41"}]
    okpd_c = [r["code"] for r in okpd_rows() if r["section"] == "C" and r["level"] >= 5]
    return regions, okved_c, okved_other, okpd_c


def _firms(
    rng: np.random.Generator, n: int, regions: list[dict], okved_c: list[str], okved_other: list[str]
) -> pl.DataFrame:
    pop = np.array([r["population"] for r in regions], dtype=float)
    region_idx = rng.choice(len(regions), size=n, p=pop / pop.sum())
    region_codes = np.array([int(regions[i]["code"]) for i in region_idx])
    sizes = rng.choice(list(cal.SIZE_MIX), size=n, p=list(cal.SIZE_MIX.values()))
    in_c = rng.random(n) < cal.SECTION_C_SHARE
    okved = np.where(
        in_c,
        np.array(okved_c)[rng.integers(0, len(okved_c), n)],
        np.array(okved_other)[rng.integers(0, len(okved_other), n)],
    )
    serials = np.arange(n, dtype=np.int64)
    years = rng.integers(1995, 2024, n)
    tech = rng.random(n) < 0.08
    spic_draw = rng.random(n)
    spic = np.where(spic_draw < 0.03, "1.0", np.where(spic_draw < 0.05, "2.0", "none"))
    spic_start = np.array([date(2019, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 2200, n)])
    has_spic = spic != "none"
    names = [f"ООО «Синтез-{i:06d}»" for i in range(n)]
    return pl.DataFrame(
        {
            "id": serials,
            "inn": inn10(region_codes, serials),
            "ogrn": ogrn13(region_codes, years, serials),
            "full_name": [f"Общество с ограниченной ответственностью «Синтез-{i:06d}»" for i in range(n)],
            "short_name": names,
            "region": [f"{c:02d}" for c in region_codes],
            "okved": okved,
            "size": sizes,
            "technological_company": tech,
            "industrial_producer": in_c,
            "spic_version": spic,
            "spic_since": pl.Series(
                [s if h else None for s, h in zip(spic_start, has_spic, strict=True)], dtype=pl.Date
            ),
            "spic_until": pl.Series(
                [s + timedelta(days=3652) if h else None for s, h in zip(spic_start, has_spic, strict=True)],
                dtype=pl.Date,
            ),
            "weight": np.ones(n),
        }
    )


HEADCOUNT = {"micro": (3, 15), "small": (16, 100), "medium": (101, 250), "large": (251, 5000)}
REVENUE_PER_HEAD = 6_000_000  # ₽ a year per employee in manufacturing: an assumption for plausibility
MONTHLY_WAGE_2023 = 70_000  # ₽, assumption; grows by WAGE_GROWTH a year
WAGE_GROWTH = 0.10


def _firm_years(rng: np.random.Generator, firms: pl.DataFrame, years: range) -> pl.DataFrame:
    n = firms.height
    lo = np.array([HEADCOUNT[s][0] for s in firms["size"]])
    hi = np.array([HEADCOUNT[s][1] for s in firms["size"]])
    base = rng.integers(lo, hi + 1)
    productivity = rng.lognormal(0.0, 0.4, n)
    frames = []
    for k, year in enumerate(years):
        headcount = np.maximum(1, np.round(base * (1.03**k))).astype(np.int64)
        wage = MONTHLY_WAGE_2023 * (1 + WAGE_GROWTH) ** (year - 2023)
        frames.append(
            pl.DataFrame(
                {
                    "firm": firms["id"],
                    "year": np.full(n, year, dtype=np.int64),
                    "headcount": headcount,
                    "revenue_rub": np.round(headcount * REVENUE_PER_HEAD * productivity).astype(np.int64),
                    "payroll_rub": np.round(headcount * wage * 12).astype(np.int64),
                }
            )
        )
    return pl.concat(frames)


def generate(
    *,
    sites: int,
    organizations: int,
    seed: int,
    projects: int | None = None,
    loans: int | None = None,
    years: range = range(2023, 2026),
    progress=None,
) -> Population:
    """A whole synthetic registry. `projects` and `loans` default to 30 % and 20 % of organisations."""
    rng = np.random.default_rng(seed)
    regions, okved_c, okved_other, okpd_c = _reference()
    say = progress.print if progress is not None else (lambda *_: None)
    say(f"Генерация: организаций {organizations}, площадок {sites}, зерно {seed}")
    firms = _firms(rng, organizations, regions, okved_c, okved_other)
    firm_years = _firm_years(rng, firms, years)
    site_tables, calibration = sites_and_members(rng, firms, sites, regions, okved_c)
    firms = _with_kinds(firms, site_tables["sites"])
    project_tables, project_calibration = projects_and_loans(
        rng,
        firms,
        site_tables,
        okpd_c,
        n_projects=int(organizations * 0.3) if projects is None else projects,
        n_loans=int(organizations * 0.2) if loans is None else loans,
    )
    population = Population(
        seed=seed,
        tables={"firms": firms, "firm_years": firm_years, **site_tables, **project_tables},
        calibration=calibration + project_calibration,
    )
    if progress is not None:
        _print_calibration(progress, population)
    return population


def _with_kinds(firms: pl.DataFrame, sites: pl.DataFrame) -> pl.DataFrame:
    """A site's manager is its specialised organisation (clusters) or management company (the rest)."""
    managers = sites.filter(pl.col("manager").is_not_null()).select(
        pl.col("manager").alias("id"),
        pl.when(pl.col("kind") == "industrial_cluster")
        .then(pl.lit("specialised_organisation"))
        .otherwise(pl.lit("management_company"))
        .alias("kind"),
    )
    firms = firms.join(managers.unique("id", keep="first"), on="id", how="left", maintain_order="left")
    return firms.with_columns(pl.col("kind").fill_null("company"))


def _print_calibration(console, population: Population) -> None:
    from rich.table import Table

    table = Table(title="Калибровка синтетического реестра")
    for column in ("Показатель", "Цель", "Получено", "Источник цели"):
        table.add_column(column)
    for line in population.calibration:
        table.add_row(line.what, line.target, line.achieved, line.source)
    console.print(table)
