"""The dashboard (Главная): counts, the registry's size by year beside the published figures, breakdowns."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import analytics
from klaster.registry.choices import SiteKind
from klaster.web import aggregates
from klaster.web.tables import Column, Table, csv_response, export_response

SOURCES = {"": "все записи", "real": "без синтетических"}


def _source(request: HttpRequest) -> str:
    value = request.GET.get("source", "")
    return value if value in SOURCES else ""


def dashboard(request: HttpRequest) -> HttpResponse:
    source = _source(request)
    data = aggregates.dashboard_data(source)
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
    charts_data = aggregates.dashboard_data(_source(request))["charts"]
    if name not in charts_data:
        raise Http404("Нет такого графика")
    _, rows, columns = charts_data[name]
    table = Table(columns, [dict(zip([c.key for c in columns], r, strict=True)) for r in rows])
    return csv_response(table, f"klaster-{name}")


CHANGE_COLUMNS = [
    Column("when", "Когда"),
    Column("what", "Что"),
    Column("object", "Запись"),
    Column("type", "Изменение"),
    Column("reason", "Причина"),
    Column("user", "Кто"),
]


def changes_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's table of latest changes as XLSX (or CSV with `?format=csv`)."""
    changes = aggregates.dashboard_data(_source(request))["changes"]
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(Table(CHANGE_COLUMNS, changes), "klaster-changes", fmt)
