"""The report as PDF: the same data as the page, rendered by WeasyPrint from a template, charts as SVG."""

import logging
from pathlib import Path

from django.template.loader import render_to_string

from klaster.reforms import charts
from klaster.simulation.report import BREAKDOWNS


def write_pdf(report: dict, path: Path) -> Path:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its CSS notes are not the user's business
    html = render_to_string(
        "reforms/report_pdf.html",
        {
            "report": report,
            "breakdowns": list(BREAKDOWNS.items()),
            "chart_years": charts.cost_by_year(report),
            "chart_measures": charts.delta_by_measure(report),
        },
    )
    HTML(string=html).write_pdf(path)
    return path
