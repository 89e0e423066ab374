"""The choropleth map of Russia by region, its data as JSON, CSV and XLSX."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from klaster.registry import analytics
from klaster.web.tables import Column, Table, export_response

CACHE_SECONDS = 60
METRICS = {"sites": "Площадки", "participants": "Участники и резиденты", "projects": "Совместные проекты"}
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


def _rows(source: str) -> list[dict]:
    """Figures of every region, cached for a minute in the shared cache (the map is a busy page)."""
    key = f"map:regions:{source}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            {**r.__dict__, **{f"{m}_per100k": r.per_100k(getattr(r, m)) for m in METRICS}}
            for r in analytics.region_figures(source=source or None)
        ]
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def map_page(request: HttpRequest) -> HttpResponse:
    source = _choice(request, "source", SOURCES, "")
    rows = _rows(source)
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
        },
    )


def map_data(request: HttpRequest) -> HttpResponse:
    """Figures of every region; `format=csv|xlsx` downloads the same rows."""
    rows = _rows(_choice(request, "source", SOURCES, ""))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(Table(COLUMNS, rows), "klaster-regions", fmt)
    return JsonResponse({"regions": rows}, json_dumps_params={"ensure_ascii": False})
