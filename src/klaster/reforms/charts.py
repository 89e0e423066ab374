"""Charts of a report as SVG, drawn on the server (the PDF has no JavaScript; the page uses Plotly)."""

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt

from klaster.simulation.report import TITLES

BLUE, ORANGE = "#2f6db5", "#e07b39"


def _svg(fig) -> str:
    """The figure as a data: URI of an SVG image (WeasyPrint draws it; ids stay private to each image)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _bln(value: float) -> float:
    return value / 1e9


def cost_by_year(report: dict) -> str:
    """Baseline and scenario cost per year, all measures, in bln ₽."""
    years = report["years"]
    base = [_bln(sum(r["baseline_rub"] for r in report["by_year"] if r["year"] == y)) for y in years]
    scen = [_bln(sum(r["scenario_rub"] for r in report["by_year"] if r["year"] == y)) for y in years]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    x = range(len(years))
    ax.bar([i - 0.2 for i in x], base, width=0.4, label="База", color=BLUE)
    ax.bar([i + 0.2 for i in x], scen, width=0.4, label="Сценарий", color=ORANGE)
    ax.set_xticks(list(x), [str(y) for y in years])
    ax.set_ylabel("млрд ₽")
    ax.set_title("Расходы бюджета по годам")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def delta_by_measure(report: dict) -> str:
    """Scenario minus baseline over the window, per measure, in bln ₽."""
    measures = report["measures"]
    labels = [TITLES[m["measure"]].split(" (")[0] for m in measures]
    values = [_bln(m["delta_window_rub"]) for m in measures]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.barh(labels, values, color=[ORANGE if v >= 0 else BLUE for v in values])
    ax.axvline(0, color="#888", linewidth=0.8)
    ax.set_xlabel("млрд ₽ за окно")
    ax.set_title("Изменение расходов по мерам")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
