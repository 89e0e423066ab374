"""Cached aggregates of the busiest pages (dashboard, map, region pages), warmed by `klaster serve`."""

from klaster.core.cache import cached
from klaster.registry import analytics
from klaster.web import charts

CACHE_SECONDS = 60
METRICS = {"sites": "Площадки", "participants": "Участники и резиденты", "projects": "Совместные проекты"}


def dashboard_data(source: str) -> dict:
    """Every dashboard chart with its table; cached because the dashboard is the busiest page."""
    return cached(f"dashboard:{source}", lambda: _compute_dashboard(source), fresh=CACHE_SECONDS)


def _compute_dashboard(source: str) -> dict:
    src = source or None
    size_fig, size_table = charts.registry_size(
        analytics.registry_size_by_year(source=src), analytics.reported_cluster_counts()
    )
    districts = analytics.district_breakdown(source=src)
    district_fig, district_table = charts.stacked_bars(
        districts, "name", charts.KIND_SERIES, "Площадки по федеральным округам"
    )
    sections = analytics.okved_section_breakdown(source=src)
    section_fig, section_table = charts.stacked_bars(
        [{**s, "label": f"{s['section']}. {s['name'][:40]}"} for s in sections],
        "label",
        [("sites", "Площадки (специализация)"), ("organizations", "Организации-участники")],
        "По разделам ОКВЭД2",
        horizontal=True,
    )
    result = {
        "counts": analytics.kind_counts(source=src),
        "changes": analytics.latest_changes(12),
        "charts": {
            "registry_size": (size_fig, list(size_table.values()), size_table.columns),
            "districts": (district_fig, list(district_table.values()), district_table.columns),
            "sections": (section_fig, list(section_table.values()), section_table.columns),
        },
    }
    return result


def region_rows(source: str) -> list[dict]:
    """Figures of every region, cached (the map is a busy page)."""

    def compute() -> list[dict]:
        return [
            {**r.__dict__, **{f"{m}_per100k": r.per_100k(getattr(r, m)) for m in METRICS}}
            for r in analytics.region_figures(source=source or None)
        ]

    return cached(f"map:regions:{source}", compute, fresh=CACHE_SECONDS)


def region_row(code: str) -> dict | None:
    """One region's figures, from the same cached table as the map."""
    return next((row for row in region_rows("") if row["code"] == code), None)


def warm() -> None:
    for source in ("", "real"):
        dashboard_data(source)
        region_rows(source)
