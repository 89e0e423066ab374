"""Sites, registry histories, memberships, projects and loans of the synthetic registry."""

from datetime import date, timedelta

import numpy as np
import polars as pl

from klaster.registry.synth import calibration as cal

KIND_NAMES = {
    "industrial_cluster": "Промышленный кластер",
    "industrial_park": "Индустриальный парк",
    "industrial_technopark": "Промышленный технопарк",
    "hightech_technopark": "Технопарк",
    "sez": "ОЭЗ",
}
MEMBERS_MEAN = {
    "industrial_cluster": 15,
    "industrial_park": 12,
    "industrial_technopark": 8,
    "hightech_technopark": 8,
    "sez": 20,
}
REPORTED = "по сообщениям 2018 и 2024 гг. (seed_facts)"


# Entries in a year with a reported count fall before the report's date, so the count holds on it.
LAST_DAY = {2018: 332, 2024: 148}


def _day(rng: np.random.Generator, year: int, last: int = 364) -> date:
    return date(year, 1, 1) + timedelta(days=int(rng.integers(0, last + 1)))


def _cluster_history(rng: np.random.Generator, n_clusters: int) -> tuple[list[list[tuple]], float]:
    """Events per cluster so that registry counts at year ends follow the reported points."""
    scale = n_clusters / cal.ALL_CLUSTERS_AT_SCALE_1
    n_excluded = round(0.05 * cal.registry_target(2024, scale))
    excluded_years = {2022: n_excluded // 2, 2023: n_excluded - n_excluded // 2}
    histories: list[list[tuple]] = []
    number = 0
    for year in range(2016, 2025):
        new = cal.registry_target(year, scale) - cal.registry_target(year - 1, scale) + excluded_years.get(year, 0)
        for _ in range(max(new, 0)):
            if len(histories) >= n_clusters:
                break
            number += 1
            entered = _day(rng, year, LAST_DAY.get(year, 364))
            events = [
                ("announced", entered - timedelta(days=int(rng.integers(200, 700))), "", ""),
                ("applied", entered - timedelta(days=int(rng.integers(30, 150))), "", ""),
                ("entered", entered, f"ПК-{number:04d}", ""),
            ]
            if year <= 2021 and rng.random() < 0.7:
                events.append(("reconfirmed", _day(rng, 2022), "", ""))
            histories.append(events)
    # Exclusions: the earliest entrants of each exclusion year leave in that year.
    candidates = iter(range(len(histories)))
    for year, count in excluded_years.items():
        for _ in range(count):
            i = next(candidates)
            histories[i] = [e for e in histories[i] if e[0] != "reconfirmed"]
            histories[i].append(
                ("excluded", _day(rng, year), "", "Несоответствие требованиям ПП РФ № 779 (синтетические данные)")
            )
    declared = round(cal.DECLARED_2024_AT_SCALE_1 * scale)
    while len(histories) < n_clusters:
        first = 2024 if declared > 0 else 2025
        declared -= 1
        events = [("announced", _day(rng, first), "", "")]
        if rng.random() < 0.5:
            events.append(("applied", events[0][1] + timedelta(days=int(rng.integers(60, 300))), "", ""))
        histories.append(events)
    order = rng.permutation(n_clusters)
    return [histories[i] for i in order], scale


def _in_registry(events: list[tuple], on: date) -> bool:
    state = False
    for status, when, *_ in sorted(events, key=lambda e: e[1]):
        if when <= on:
            state = status in ("entered", "reconfirmed")
    return state


def sites_and_members(
    rng: np.random.Generator, firms: pl.DataFrame, n_sites: int, regions: list[dict], okved_c: list[str]
) -> tuple[dict[str, pl.DataFrame], list[cal.CalibrationLine]]:
    kinds = rng.choice(list(cal.SITE_KIND_MIX), size=n_sites, p=list(cal.SITE_KIND_MIX.values()))
    kinds = np.sort(kinds)  # deterministic grouping; ids follow kinds
    pop = np.array([r["population"] for r in regions], dtype=float)
    region_idx = rng.choice(len(regions), size=n_sites, p=pop / pop.sum())
    n_clusters = int((kinds == "industrial_cluster").sum())
    cluster_histories, scale = _cluster_history(rng, n_clusters)
    firm_ids = firms["id"].to_numpy()
    producers = firm_ids[firms["industrial_producer"].to_numpy()]
    producers = producers if len(producers) else firm_ids

    site_rows, site_regions, events, members, okved_rows = [], [], [], [], []
    cluster_no = 0
    for sid, (kind, ridx) in enumerate(zip(kinds.tolist(), region_idx.tolist(), strict=True)):
        region = regions[ridx]
        manager = int(firm_ids[sid]) if sid < len(firm_ids) else None
        site_rows.append(
            {
                "id": sid,
                "kind": kind,
                "name": f"{KIND_NAMES[kind]} «Синт-{sid:05d}» ({region['name']})",
                "manager": manager,
                "management_company_ownership": str(
                    rng.choice(["state", "private", "public_private"], p=[0.4, 0.45, 0.15])
                ),
                "sez_type": "industrial" if kind == "sez" else "",
                "area_ha": float(rng.integers(20, 400)) if kind in ("industrial_park", "sez") else None,
                "building_area_m2": (
                    float(rng.integers(5_000, 60_000))
                    if kind in ("industrial_technopark", "hightech_technopark")
                    else None
                ),
                "functional_dependence_share": (
                    round(float(rng.uniform(0.08, 0.6)), 4) if kind == "industrial_cluster" else None
                ),
                "special_territory_participant_share": (
                    round(float(rng.uniform(0, 0.5)), 4) if kind == "industrial_cluster" else None
                ),
                "created_on": _day(rng, int(rng.integers(2010, 2024))),
            }
        )
        site_regions.append((sid, region["code"]))
        if kind == "industrial_cluster" and rng.random() < 0.05:
            other = regions[int(rng.integers(0, len(regions)))]["code"]
            if other != region["code"]:
                site_regions.append((sid, other))  # an interregional cluster
        okved_rows.append((sid, okved_c[int(rng.integers(0, len(okved_c)))]))
        if kind == "industrial_cluster":
            history = cluster_histories[cluster_no]
            cluster_no += 1
        elif kind == "sez":
            history = []
        else:
            year = int(rng.integers(2016, 2026))
            history = (
                [
                    ("applied", _day(rng, year), "", ""),
                    ("entered", _day(rng, year) + timedelta(days=200), f"П-{sid:05d}", ""),
                ]
                if rng.random() < 0.7
                else [("being_created", _day(rng, year), "", "")]
            )
        events.extend((sid, *e) for e in history)
        start = min((e[1] for e in history), default=site_rows[-1]["created_on"])
        n_members = (cal.MIN_PARTICIPANTS if kind == "industrial_cluster" else 1) + int(rng.poisson(MEMBERS_MEAN[kind]))
        chosen = rng.choice(producers, size=min(n_members, len(producers)), replace=False)
        for k, firm in enumerate(chosen.tolist()):
            role = ("anchor" if k == 0 else "participant") if kind == "industrial_cluster" else "resident"
            members.append(
                (
                    int(firm),
                    sid,
                    role,
                    bool(rng.random() < 0.92),
                    None if rng.random() < 0.05 else bool(rng.random() < 0.9),
                    start + timedelta(days=int(rng.integers(0, 900))),
                )
            )
        if manager is not None:
            role = "specialised_organisation" if kind == "industrial_cluster" else "management_company"
            members.append((manager, sid, role, None, None, start))

    sites = pl.DataFrame(site_rows, infer_schema_length=None)
    memberships = pl.DataFrame(
        members,
        schema=["firm", "site", "role", "producing", "has_contract_with_participant", "date_from"],
        orient="row",
    ).unique(["firm", "site"], keep="first", maintain_order=True)
    memberships = memberships.with_columns(pl.Series("id", np.arange(memberships.height)))
    status_events = pl.DataFrame(events, schema=["site", "status", "on", "registry_number", "reason"], orient="row")
    tables = {
        "sites": sites,
        "site_regions": pl.DataFrame(site_regions, schema=["site", "region"], orient="row"),
        "site_okved": pl.DataFrame(okved_rows, schema=["site", "okved"], orient="row"),
        "status_events": status_events,
        "memberships": memberships,
    }
    cluster_ids = set(sites.filter(pl.col("kind") == "industrial_cluster")["id"].to_list())
    by_site: dict[int, list[tuple]] = {}
    for sid, *event in events:
        if sid in cluster_ids:
            by_site.setdefault(sid, []).append(tuple(event))
    lines = []
    for year, when in ((2018, date(2018, 11, 29)), (2024, date(2024, 5, 29))):
        achieved = sum(_in_registry(ev, when) for ev in by_site.values())
        target = round(cal.REPORTED_POINTS[year] * scale)
        lines.append(
            cal.CalibrationLine(
                f"Кластеров в реестре на {when:%d.%m.%Y}",
                str(target),
                str(achieved),
                f"{cal.REPORTED_POINTS[year]} × масштаб {scale:.2f}; {REPORTED}",
            )
        )
    counts = (
        memberships.filter(pl.col("site").is_in(list(cluster_ids)) & pl.col("role").is_in(["anchor", "participant"]))
        .group_by("site")
        .len()["len"]
    )
    if counts.len():
        lines.append(
            cal.CalibrationLine(
                "Участников на кластер (мин. / среднее)",
                f"≥ {cal.MIN_PARTICIPANTS}",
                f"{counts.min()} / {counts.mean():.1f}",
                "ПП № 779 (формулировка 2018 г.)",
            )
        )
    return tables, lines
