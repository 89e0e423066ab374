"""Plotly figures as plain dicts (rendered by the bundled plotly.js), each with the table behind it.

Building the JSON by hand keeps pages fast and lets every chart offer the same rows as CSV.
"""

from collections import defaultdict

from klaster.registry.choices import IndicatorKind, SiteKind
from klaster.web.tables import Column, Table

FONT = {"family": "system-ui, Segoe UI, Roboto, Arial, sans-serif", "size": 13}
BASE_LAYOUT = {
    "font": FONT,
    "margin": {"l": 50, "r": 20, "t": 40, "b": 50},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "separators": ", ",
    "legend": {"orientation": "h", "y": -0.2},
}
PALETTE = ["#2f6db5", "#e07b39", "#3a9d5d", "#b3261e", "#7e57c2", "#8a6d00"]


def registry_size(computed: list[tuple[int, int]], reported: list) -> tuple[dict, Table]:
    """Clusters in the registry by year (from status events) beside the published figures."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "По записям Klaster (на конец года)",
            "x": [y for y, _ in computed],
            "y": [n for _, n in computed],
            "line": {"color": PALETTE[0]},
        }
    ]
    if reported:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "Опубликовано",
                "x": [f.on.year + (f.on.timetuple().tm_yday / 366) for f in reported],
                "y": [float(f.value) for f in reported],
                "text": [
                    f"{f.get_qualifier_display() if f.qualifier else ''} {int(f.value)}".strip() for f in reported
                ],
                "textposition": "top center",
                "marker": {"size": 11, "color": PALETTE[1], "symbol": "diamond"},
                "hovertext": [f"{f.what}, {f.on:%d.%m.%Y}. Источник: {f.source}" for f in reported],
                "hoverinfo": "text",
            }
        )
    layout = {
        **BASE_LAYOUT,
        "title": {"text": "Промышленные кластеры в реестре"},
        "xaxis": {"title": {"text": "год"}, "dtick": 1},
        "yaxis": {"title": {"text": "кластеров"}, "rangemode": "tozero"},
    }
    rows = [{"kind": "computed", "date": f"{y}-12-31", "value": n, "source": "записи Klaster"} for y, n in computed]
    rows += [{"kind": "reported", "date": f.on.isoformat(), "value": f.value, "source": f.source} for f in reported]
    table = Table(
        [
            Column("kind", "Ряд"),
            Column("date", "Дата"),
            Column("value", "Кластеров", numeric=True),
            Column("source", "Источник"),
        ],
        rows,
    )
    return {"data": data, "layout": layout}, table


def stacked_bars(
    rows: list[dict],
    label_key: str,
    series: list[tuple[str, str]],
    title: str,
    horizontal: bool = False,
    barmode: str = "stack",
) -> tuple[dict, Table]:
    data = []
    for i, (key, name) in enumerate(series):
        labels = [r[label_key] for r in rows]
        values = [r[key] for r in rows]
        trace = {"type": "bar", "name": name, "marker": {"color": PALETTE[i % len(PALETTE)]}}
        trace.update({"y": labels, "x": values, "orientation": "h"} if horizontal else {"x": labels, "y": values})
        data.append(trace)
    layout = {**BASE_LAYOUT, "title": {"text": title}, "barmode": barmode}
    if horizontal:
        layout["margin"] = {**BASE_LAYOUT["margin"], "l": 260}
        layout["yaxis"] = {"automargin": True, "autorange": "reversed"}
    table = Table([Column(label_key, "Группа"), *[Column(k, n, numeric=True) for k, n in series]], rows)
    return {"data": data, "layout": layout}, table


KIND_SERIES = [(k, label) for k, label in SiteKind.choices]


def indicators(site_indicators) -> tuple[dict, Table]:
    """One line per indicator kind over the years of a site."""
    by_kind: dict[str, list] = defaultdict(list)
    for ind in site_indicators:
        by_kind[ind.kind].append(ind)
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": IndicatorKind(k).label,
            "x": [i.year for i in values],
            "y": [float(i.value) for i in values],
            "yaxis": "y2" if k.endswith("_rub") else "y",
        }
        for k, values in by_kind.items()
    ]
    layout = {
        **BASE_LAYOUT,
        "title": {"text": "Показатели по годам"},
        "xaxis": {"dtick": 1},
        "yaxis": {"title": {"text": "человек, доля"}, "rangemode": "tozero"},
        "yaxis2": {"title": {"text": "₽"}, "overlaying": "y", "side": "right", "rangemode": "tozero"},
    }
    rows = [{"year": i.year, "kind": i.get_kind_display(), "value": i.value} for i in site_indicators]
    table = Table(
        [Column("year", "Год"), Column("kind", "Показатель"), Column("value", "Значение", numeric=True)], rows
    )
    return {"data": data, "layout": layout}, table
