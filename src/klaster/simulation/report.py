"""The impact report: baseline against scenario, per measure and in total, by year, by group, per firm.

Beneficiaries are counted over the whole window: a firm *benefits* from a measure if it is paid in any
year; it is *unknown* if it is not paid and some answer was «неизвестно». Kept, gained and lost compare
the two runs; an unknown in either run is counted as unknown, never as lost.
"""

import csv
from functools import lru_cache
from importlib import resources

import numpy
import polars as pl

from klaster.rules.common import PASSED

TITLES = {
    "pp41_start_batch_subsidy": "Субсидия на стартовые партии (ПП № 41)",
    "industrial_mortgage": "Промышленная ипотека (ПП № 1570)",
    "cluster_investment_platform": "Кластерная инвестиционная платформа (ПП № 295)",
    "cluster_insurance_premiums": "Пониженные страховые взносы участников кластеров со СПИК",
    "equipment_tooling_subsidy": "Субсидия на оборудование и оснастку (предложение)",
}
BREAKDOWNS = {"region": "Регион", "district": "Федеральный округ", "size": "Категория", "section": "Раздел ОКВЭД2",
              "cluster": "Кластер"}  # fmt: skip
TOP = 20


@lru_cache(maxsize=1)
def _reference() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Region code → (name, federal district) and ОКВЭД2 class → section, from the official files."""
    data = resources.files("klaster.registry") / "data"
    regions = {}
    with (data / "ru_regions_codes_hflabs.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            regions[row["kladr_id"][:2]] = (row["name_with_type"], row["federal_district"])
    sections = {}
    with (data / "okved2_rosstat_opendata_20231201_cp1251.csv").open(encoding="cp1251") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) >= 2 and len(row[1].strip()) == 2:
                sections[row[1].strip()] = row[0].strip()
    return regions, sections


def money(kop: int | float) -> float:
    return round(float(kop) / 100, 2)


def firm_totals(results: pl.DataFrame) -> pl.DataFrame:
    """Per firm and measure over the window: paid (kopecks), status (1 paid, 0 unknown), weight."""
    return results.group_by(["firm", "measure"]).agg(
        pl.col("amount_kop").sum(),
        pl.when(((pl.col("status") == PASSED) & (pl.col("amount_kop") > 0)).any()).then(1).otherwise(0).alias("paid"),
        pl.col("weight").max(),
    )


def _stats(totals: pl.DataFrame, first: pl.DataFrame) -> dict:
    paid = totals.filter(pl.col("paid") == 1)
    amounts = paid["amount_kop"].to_numpy() / 100
    return {
        "cost_first_year_rub": money(first["amount_kop"].sum()),
        "cost_window_rub": money(totals["amount_kop"].sum()),
        "beneficiaries": float(paid["weight"].sum()),
        "unknown": float(totals.filter(pl.col("paid") == 0)["weight"].sum()),
        "average_rub": round(float(amounts.mean()), 2) if len(amounts) else None,
        "median_rub": round(float(numpy.median(amounts)), 2) if len(amounts) else None,
    }


def _transitions(base: pl.DataFrame, scen: pl.DataFrame) -> dict:
    both = base.join(scen, on=["firm", "measure"], how="full", suffix="_s", coalesce=True)
    b = both["paid"].fill_null(-1).to_numpy()  # -1: absent (no), 0: unknown, 1: paid
    s = both["paid_s"].fill_null(-1).to_numpy()
    w = numpy.maximum(both["weight"].fill_null(0).to_numpy(), both["weight_s"].fill_null(0).to_numpy())
    return {
        "kept": float(w[(b == 1) & (s == 1)].sum()),
        "gained": float(w[(b == -1) & (s == 1)].sum()),
        "lost": float(w[(b == 1) & (s == -1)].sum()),
        "unknown": float(w[((b == 0) | (s == 0)) & ~((b == 1) & (s == 1))].sum()),
    }


def _deltas(base: pl.DataFrame, scen: pl.DataFrame, info: pl.DataFrame) -> pl.DataFrame:
    """Per firm: baseline and scenario support over the window, all measures, with its attributes."""
    b = base.group_by("firm").agg(pl.col("amount_kop").sum().alias("base_kop"))
    s = scen.group_by("firm").agg(pl.col("amount_kop").sum().alias("scen_kop"))
    firms = b.join(s, on="firm", how="full", coalesce=True).fill_null(0)
    firms = firms.with_columns((pl.col("scen_kop") - pl.col("base_kop")).alias("delta_kop"))
    return firms.join(info, on="firm", how="left")


def _attributes(info: pl.DataFrame) -> pl.DataFrame:
    regions, sections = _reference()
    names = {code: name for code, (name, _) in regions.items()}
    districts = {code: district for code, (_, district) in regions.items() if district}
    region = pl.col("region").fill_null("")
    return info.with_columns(
        region.replace_strict(names, default=pl.when(region == "").then(pl.lit("не указан")).otherwise(region)).alias(
            "region_name"
        ),
        region.replace_strict(districts, default="не указан").alias("district"),
        pl.col("okved").fill_null("").str.slice(0, 2).replace_strict(sections, default="не указан").alias("section"),
        pl.col("size").fill_null("не указана"),
        pl.col("cluster").fill_null("вне кластеров"),
    )


def _breakdown(firms: pl.DataFrame, key: str) -> list[dict]:
    column = "region_name" if key == "region" else key
    grouped = (
        firms.group_by(column)
        .agg(
            pl.col("base_kop").sum(),
            pl.col("scen_kop").sum(),
            pl.col("delta_kop").sum(),
            pl.col("weight").filter(pl.col("base_kop") > 0).sum().alias("base_n"),
            pl.col("weight").filter(pl.col("scen_kop") > 0).sum().alias("scen_n"),
        )
        .sort(["delta_kop", column], descending=[True, False])
    )
    return [
        {
            "key": row[column],
            "baseline_rub": money(row["base_kop"]),
            "scenario_rub": money(row["scen_kop"]),
            "delta_rub": money(row["delta_kop"]),
            "beneficiaries_baseline": float(row["base_n"]),
            "beneficiaries_scenario": float(row["scen_n"]),
        }
        for row in grouped.iter_rows(named=True)
    ]


def compare(base: pl.DataFrame, scen: pl.DataFrame, info: pl.DataFrame, years: list[int]) -> dict:
    """The comparison sections of the report (measures, totals, years, breakdowns, gainers, winners)."""
    first = years[0]
    tb, ts = firm_totals(base), firm_totals(scen)
    measures = []
    for measure, title in TITLES.items():
        mb, ms = tb.filter(pl.col("measure") == measure), ts.filter(pl.col("measure") == measure)
        fb = base.filter((pl.col("measure") == measure) & (pl.col("year") == first))
        fs = scen.filter((pl.col("measure") == measure) & (pl.col("year") == first))
        sb, ss = _stats(mb, fb), _stats(ms, fs)
        measures.append(
            {
                "measure": measure,
                "title": title,
                "baseline": sb,
                "scenario": ss,
                "delta_first_year_rub": round(ss["cost_first_year_rub"] - sb["cost_first_year_rub"], 2),
                "delta_window_rub": round(ss["cost_window_rub"] - sb["cost_window_rub"], 2),
                **_transitions(mb, ms),
            }
        )
    total = {
        "baseline": {"cost_first_year_rub": money(base.filter(pl.col("year") == first)["amount_kop"].sum()),
                     "cost_window_rub": money(base["amount_kop"].sum())},
        "scenario": {"cost_first_year_rub": money(scen.filter(pl.col("year") == first)["amount_kop"].sum()),
                     "cost_window_rub": money(scen["amount_kop"].sum())},
    }  # fmt: skip
    total["delta_window_rub"] = money(scen["amount_kop"].sum() - base["amount_kop"].sum())
    by_year = []
    for year in years:
        for measure in TITLES:
            pick = (pl.col("measure") == measure) & (pl.col("year") == year)
            by_year.append(
                {
                    "year": year,
                    "measure": measure,
                    "baseline_rub": money(base.filter(pick)["amount_kop"].sum()),
                    "scenario_rub": money(scen.filter(pick)["amount_kop"].sum()),
                }
            )
    firms = _deltas(base, scen, _attributes(info))
    top = firms.filter(pl.col("delta_kop") > 0).sort(["delta_kop", "firm"], descending=[True, False]).head(TOP)
    winners = []
    for measure, title in TITLES.items():
        d = _deltas(base.filter(pl.col("measure") == measure), scen.filter(pl.col("measure") == measure), info)
        winners.append(
            {
                "measure": measure,
                "title": title,
                "winners": float(d.filter(pl.col("delta_kop") > 0)["weight"].sum()),
                "losers": float(d.filter(pl.col("delta_kop") < 0)["weight"].sum()),
                "gain_rub": money(d.filter(pl.col("delta_kop") > 0)["delta_kop"].sum()),
                "loss_rub": money(d.filter(pl.col("delta_kop") < 0)["delta_kop"].sum()),
            }
        )
    return {
        "measures": measures,
        "total": total,
        "by_year": by_year,
        "breakdowns": {key: _breakdown(firms, key) for key in BREAKDOWNS},
        "top_gainers": [
            {
                "firm_id": row["firm_id"],
                "name": row["name"],
                "region": row["region_name"],
                "cluster": row["cluster"],
                "baseline_rub": money(row["base_kop"]),
                "scenario_rub": money(row["scen_kop"]),
                "delta_rub": money(row["delta_kop"]),
            }
            for row in top.iter_rows(named=True)
        ],
        "winners_losers": winners,
    }
