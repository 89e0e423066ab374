"""The dashboard (Главная): counts, the registry's size by year beside the published figures, breakdowns."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import analytics
from klaster.registry.choices import SiteKind
from klaster.web import charts
from klaster.web.tables import csv_response

CACHE_SECONDS = 60
SOURCES = {"": "все записи", "real": "без синтетических"}


def _source(request: HttpRequest) -> str:
    value = request.GET.get("source", "")
    return value if value in SOURCES else ""


def _chart_tables(source: str) -> dict:
    """Every dashboard chart with its table; cached briefly because the dashboard is the busiest page."""
    key = f"dashboard:{source}"
    found = cache.get(key)
    if found is not None:
        return found
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
    cache.set(key, result, CACHE_SECONDS)
    return result


def dashboard(request: HttpRequest) -> HttpResponse:
    source = _source(request)
    data = _chart_tables(source)
    counts = data["counts"]
    cards = [(label, counts[kind]) for kind, label in SiteKind.choices]
    cards += [
        ("В реестре Минпромторга", counts["in_registry"]),
        ("Участников и резидентов", counts["participants"]),
        ("Совместных проектов", counts["projects"]),
    ]
    return render(
        request,
        "web/home/dashboard.html",
        {
            "cards": cards,
            "source": source,
            "sources": SOURCES,
            "charts": {name: fig for name, (fig, _, _) in data["charts"].items()},
            "reported": analytics.reported_cluster_counts(),
            "changes": data["changes"],
        },
    )


def chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    """The rows behind a dashboard chart, as CSV with Russian headers."""
    charts_data = _chart_tables(_source(request))["charts"]
    if name not in charts_data:
        raise Http404("Нет такого графика")
    _, rows, columns = charts_data[name]
    from klaster.web.tables import Table

    table = Table(columns, [dict(zip([c.key for c in columns], r, strict=True)) for r in rows])
    return csv_response(table, f"klaster-{name}")
