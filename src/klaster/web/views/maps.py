"""The choropleth map of Russia by region, its data as JSON, CSV and XLSX."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from klaster.web import aggregates
from klaster.web.aggregates import METRICS
from klaster.web.tables import Column, Table, export_response

MODES = {"absolute": "абсолютно", "per100k": "на 100 000 жителей"}
SOURCES = {"": "все записи", "real": "без синтетических"}
COLUMNS = [
    Column("code", "Код"),
    Column("iso_code", "ISO 3166-2"),
    Column("name", "Регион"),
    Column("federal_district", "Федеральный округ"),
    Column("population", "Население", numeric=True),
    Column("sites", "Площадок", numeric=True),
    Column("participants", "Участников", numeric=True),
    Column("projects", "Проектов", numeric=True),
]


def _choice(request: HttpRequest, name: str, options: dict, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in options else default


def map_page(request: HttpRequest) -> HttpResponse:
    source = _choice(request, "source", SOURCES, "")
    rows = aggregates.region_rows(source)
    return render(
        request,
        "web/maps/map.html",
        {
            "metric": _choice(request, "metric", METRICS, "sites"),
            "mode": _choice(request, "mode", MODES, "absolute"),
            "source": source,
            "metrics": METRICS,
            "modes": MODES,
            "sources": SOURCES,
            "no_shape": [r for r in rows if r["iso_code"] is None or r["code"] in ("91", "92")],
            "rows": sorted(rows, key=lambda r: r["name"]),
        },
    )


def map_data(request: HttpRequest) -> HttpResponse:
    """Figures of every region; `format=csv|xlsx` downloads the same rows."""
    rows = aggregates.region_rows(_choice(request, "source", SOURCES, ""))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(Table(COLUMNS, rows), "klaster-regions", fmt)
    return JsonResponse({"regions": rows}, json_dumps_params={"ensure_ascii": False})
