"""Services of loans, site indicators and reported figures."""

from typing import Any

from django.db import transaction

from klaster.registry.models import Indicator, Loan, ReportedFigure, Site
from klaster.registry.services.base import assign, save_record


@transaction.atomic
def loan_create(*, user, reason: str = "", **fields: Any) -> Loan:
    loan = Loan()
    assign(loan, fields)
    return save_record(loan, user=user, action="add", reason=reason)


@transaction.atomic
def indicator_set(*, site: Site, year: int, kind: str, value: Any, user, reason: str = "", **fields: Any) -> Indicator:
    """One value per site, year and indicator: setting it again updates the row and leaves history."""
    row = Indicator.objects.filter(site=site, year=year, kind=kind).first()
    action = "change" if row else "add"
    row = row or Indicator(site=site, year=year, kind=kind)
    row.value = value
    assign(row, fields)
    return save_record(row, user=user, action=action, reason=reason)


@transaction.atomic
def reported_figure_create(*, user, reason: str = "", **fields: Any) -> ReportedFigure:
    figure = ReportedFigure()
    assign(figure, fields)
    return save_record(figure, user=user, action="add", reason=reason)
