"""Joint projects (participants, cost lines, start-batch purchases), loans and indicators, synthetic."""

from datetime import date, timedelta

import numpy as np
import polars as pl

from klaster.registry.synth import calibration as cal

COST_TYPES = ["rnd", "equipment", "tooling", "certification", "other"]
PURPOSES = ["purchase", "construction", "modernisation", "reconstruction"]


def _dates(rng: np.random.Generator, start: date, end: date, n: int) -> list[date]:
    days = rng.integers(0, (end - start).days + 1, n)
    return [start + timedelta(days=int(d)) for d in days]


def projects_and_loans(
    rng: np.random.Generator,
    firms: pl.DataFrame,
    site_tables: dict[str, pl.DataFrame],
    okpd_c: list[str],
    *,
    n_projects: int,
    n_loans: int,
) -> tuple[dict[str, pl.DataFrame], list[cal.CalibrationLine]]:
    sites = site_tables["sites"]
    members = site_tables["memberships"].filter(pl.col("role").is_in(["anchor", "participant"]))
    member_lists = (
        {int(k): v for k, v in members.group_by("site").agg(pl.col("firm")).iter_rows()} if members.height else {}
    )
    member_lists = {s: np.array(v) for s, v in member_lists.items() if len(v) >= 2}
    cluster_ids = np.array(sorted(member_lists))
    n_clusters = int((sites["kind"] == "industrial_cluster").sum())
    scale = n_clusters / cal.ALL_CLUSTERS_AT_SCALE_1

    projects, participants, costs, purchases = [], [], [], []
    if len(cluster_ids) and n_projects:
        weights = np.array([len(member_lists[c]) for c in cluster_ids], dtype=float)
        project_sites = rng.choice(cluster_ids, size=n_projects, p=weights / weights.sum())
        declared_2024 = min(round(cal.PROJECTS_DECLARED_2024_AT_SCALE_1 * scale), n_projects)
        years = np.concatenate(
            [
                np.full(declared_2024, 2024),
                rng.choice(
                    [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2025, 2026], size=n_projects - declared_2024
                ),
            ]
        )
        rng.shuffle(years)
        okpd = np.array(okpd_c)[rng.integers(0, len(okpd_c), n_projects)]
        stages = rng.choice(["rnd", "pilot", "serial"], size=n_projects, p=[0.25, 0.35, 0.40])
        for pid in range(n_projects):
            site, year = int(project_sites[pid]), int(years[pid])
            start = date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
            projects.append(
                (
                    pid,
                    site,
                    f"Совместный проект № {pid + 1}",
                    str(okpd[pid]),
                    None if rng.random() < 0.05 else bool(rng.random() < 0.85),
                    str(stages[pid]),
                    "completed" if year <= 2020 else ("active" if year <= 2025 else "planned"),
                    start,
                )
            )
            pool = member_lists[site]
            k = min(len(pool), int(rng.integers(2, 5)))
            team = rng.choice(pool, size=k, replace=False).tolist()
            roles = ["lead"] + [str(rng.choice(["co_executor", "buyer"])) for _ in team[1:]]
            participants.extend((pid, int(f), r) for f, r in zip(team, roles, strict=True))
            for cost_type in rng.choice(COST_TYPES, size=int(rng.integers(1, 4)), replace=False).tolist():
                costs.append((pid, cost_type, int(rng.lognormal(np.log(80e6), 0.9)), year))
            if year >= 2022 and len(pool) >= 2:
                for _ in range(int(rng.integers(1, 3))):
                    buyer = int(team[int(rng.integers(0, len(team)))])
                    others = pool[pool != buyer]
                    supplier = int(others[int(rng.integers(0, len(others)))])
                    draw = rng.random()
                    purchases.append(
                        (
                            pid,
                            buyer,
                            supplier,
                            int(rng.lognormal(np.log(90e6), 0.8)),
                            date(2023, 1, 1) + timedelta(days=int(rng.integers(0, 1400))),
                            None if draw < 0.1 else bool(draw < 0.95),
                        )
                    )

    producers = firms.filter(pl.col("industrial_producer"))
    loan_firms = producers["id"].to_numpy() if producers.height else firms["id"].to_numpy()
    region_of = dict(zip(firms["id"].to_list(), firms["region"].to_list(), strict=True))
    loans = []
    if n_loans and len(loan_firms):
        owners = rng.choice(loan_firms, size=n_loans)
        is_kip = rng.random(n_loans) < 0.2
        signed = _dates(rng, date(2022, 9, 6), date(2026, 10, 31), n_loans)
        for lid in range(n_loans):
            kip = bool(is_kip[lid])
            amount = int(rng.lognormal(np.log(3e9 if kip else 2e8), 0.7))
            area = None if kip else round(amount / float(rng.uniform(40_000, 95_000)), 1)
            loans.append(
                (
                    lid,
                    int(owners[lid]),
                    "cluster_investment_platform" if kip else "industrial_mortgage",
                    amount,
                    int(rng.integers(3, 11)),
                    signed[lid],
                    "" if kip else str(rng.choice(PURPOSES)),
                    area,
                    None if kip else int(amount * rng.uniform(1.0, 1.4)),
                    region_of[int(owners[lid])],
                    int(amount / rng.uniform(0.5, 0.95)) if kip else None,
                    float(rng.integers(2, 5)) if kip else None,
                    (None if rng.random() < 0.1 else bool(rng.random() < 0.8)) if kip else None,
                    None if rng.random() < 0.05 else bool(rng.random() < 0.95),
                )
            )

    def frame(rows: list, schema: list[str]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=schema, orient="row", infer_schema_length=None)

    tables = {
        "projects": frame(
            projects, ["id", "site", "title", "okpd", "import_substitution", "stage", "status", "start_date"]
        ),
        "project_participants": frame(participants, ["project", "firm", "role"]),
        "project_costs": frame(costs, ["project", "cost_type", "amount_rub", "year"]),
        "purchases": frame(purchases, ["project", "buyer", "supplier", "amount_rub", "date", "documented"]),
        "loans": frame(
            loans,
            [
                "id",
                "firm",
                "programme",
                "amount_rub",
                "term_years",
                "signed_on",
                "purpose",
                "property_area_m2",
                "property_cost_rub",
                "property_region",
                "project_cost_rub",
                "investment_phase_years",
                "priority_product",
                "lender_authorised",
            ],
        ),
        "indicators": _indicators(rng, sites, site_tables["memberships"]),
    }
    achieved = sum(1 for p in projects if p[-1].year == 2024)
    lines = [
        cal.CalibrationLine(
            "Совместных проектов с началом в 2024 г.",
            str(min(round(cal.PROJECTS_DECLARED_2024_AT_SCALE_1 * scale), n_projects)),
            str(achieved),
            f"138 × масштаб {scale:.2f}; новость 29.05.2024",
        )
    ]
    return tables, lines


def _indicators(rng: np.random.Generator, sites: pl.DataFrame, memberships: pl.DataFrame) -> pl.DataFrame:
    """Yearly participants, employment and output of each cluster, 2019–2025."""
    counts = dict(memberships.group_by("site").len().iter_rows())
    rows = []
    for sid in sites.filter(pl.col("kind") == "industrial_cluster")["id"].to_list():
        n = counts.get(sid, 0)
        for year in range(2019, 2026):
            share = min(1.0, 0.6 + 0.07 * (year - 2019))
            participants = max(1, round(n * share))
            employment = participants * int(rng.integers(80, 400))
            rows.append((sid, year, "participants", participants))
            rows.append((sid, year, "employment", employment))
            rows.append((sid, year, "output_rub", int(employment * rng.uniform(3e6, 9e6))))
    return pl.DataFrame(rows, schema=["site", "year", "kind", "value"], orient="row")
