"""A population small enough to compute by hand: one cluster in the registry since 2020, buyer A (id 10)
and buyer C (id 13) who buy start batches from supplier B (id 11), all participants since 2021."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from klaster.simulation.population import from_directory

D = pl.Date


def write_population(root: Path, purchases: list[tuple] | None = None, costs: list[tuple] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    firms = [(10, "40", "29.32", "medium"), (11, "40", "27.11", "medium"), (13, "71", "22.21", "small")]
    frames = {
        "firms": pl.DataFrame(
            {
                "id": [f[0] for f in firms],
                "short_name": ["ООО «А»", "ООО «Б»", "ООО «В»"],
                "region": [f[1] for f in firms],
                "okved": [f[2] for f in firms],
                "size": [f[3] for f in firms],
                "technological_company": [False] * 3,
                "industrial_producer": [True] * 3,
                "spic_version": ["none"] * 3,
                "spic_since": pl.Series([None] * 3, dtype=D),
                "spic_until": pl.Series([None] * 3, dtype=D),
                "weight": [1.0] * 3,
            }
        ),
        "firm_years": pl.DataFrame(
            {"firm": [10], "year": [2025], "headcount": [100], "revenue_rub": [1_000_000_000], "payroll_rub": [10**8]}
        ),
        "sites": pl.DataFrame(
            {
                "id": [5],
                "kind": ["industrial_cluster"],
                "name": ["Кластер «Проверочный»"],
                "functional_dependence_share": [0.3],
                "special_territory_participant_share": [0.1],
            }
        ),
        "site_regions": pl.DataFrame({"site": [5], "region": ["40"]}),
        "status_events": pl.DataFrame({"site": [5], "status": ["entered"], "on": [date(2020, 5, 1)]}),
        "memberships": pl.DataFrame(
            {
                "firm": [10, 11, 13],
                "site": [5, 5, 5],
                "role": ["participant"] * 3,
                "producing": [True] * 3,
                "has_contract_with_participant": [True] * 3,
                "date_from": [date(2021, 1, 1)] * 3,
            }
        ),
        "projects": pl.DataFrame({"id": [1], "site": [5], "import_substitution": [True], "stage": ["pilot"]}),
        "project_participants": pl.DataFrame(
            {"project": [1, 1, 1], "firm": [11, 10, 13], "role": ["lead", "buyer", "buyer"]}
        ),
        "project_costs": pl.DataFrame(
            costs or [],
            schema={"project": pl.Int64, "cost_type": pl.Utf8, "amount_rub": pl.Int64, "year": pl.Int64},
            orient="row",
        ),
        "purchases": pl.DataFrame(
            purchases or [(1, 10, 11, 100_000_000, date(2025, 4, 10), True)],
            schema={"project": pl.Int64, "buyer": pl.Int64, "supplier": pl.Int64, "amount_rub": pl.Int64,
                    "date": D, "documented": pl.Boolean},
            orient="row",
        ),
        "loans": pl.DataFrame(
            schema={"id": pl.Int64, "firm": pl.Int64, "programme": pl.Utf8, "amount_rub": pl.Int64,
                    "term_years": pl.Float64, "signed_on": D, "purpose": pl.Utf8, "property_area_m2": pl.Float64,
                    "property_cost_rub": pl.Int64, "property_region": pl.Utf8, "project_cost_rub": pl.Int64,
                    "investment_phase_years": pl.Float64, "priority_product": pl.Boolean,
                    "lender_authorised": pl.Boolean}
        ),
    }  # fmt: skip
    for name, frame in frames.items():
        frame.write_parquet(root / f"{name}.parquet")
    return root


@pytest.fixture
def population_dir(tmp_path) -> Path:
    return write_population(tmp_path / "pop")


@pytest.fixture
def population(population_dir):
    return from_directory(population_dir)


@pytest.fixture
def share_2027(tmp_path) -> Path:
    """A scenario: the ПП № 41 share from 50 % to 60 % from 1 January 2027."""
    path = tmp_path / "share60.yaml"
    path.write_text(
        "title: Доля 60 %\nchanges:\n  - {parameter: pp41_start_batch_subsidy.share_max, value: 0.6, "
        "in_force_from: 2027-01-01, unit: /1, source: тест}\n",
        encoding="utf-8",
    )
    return path
