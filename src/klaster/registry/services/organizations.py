"""Services of organisations and their yearly figures."""

from typing import Any

from django.db import transaction

from klaster.registry.models import Organization, OrganizationYear
from klaster.registry.services.base import assign, save_record


@transaction.atomic
def organization_create(*, user, reason: str = "", **fields: Any) -> Organization:
    org = Organization()
    assign(org, fields)
    return save_record(org, user=user, action="add", reason=reason)


@transaction.atomic
def organization_update(*, organization: Organization, user, reason: str = "", **fields: Any) -> Organization:
    assign(organization, fields)
    return save_record(organization, user=user, action="change", reason=reason)


@transaction.atomic
def organization_year_set(
    *, organization: Organization, year: int, user, reason: str = "", **figures: Any
) -> OrganizationYear:
    """Set one year's figures; other years stay as they were (figures are kept per year)."""
    row = OrganizationYear.objects.filter(organization=organization, year=year).first()
    action = "change" if row else "add"
    row = row or OrganizationYear(
        organization=organization, year=year, source_kind=organization.source_kind, source=organization.source
    )
    assign(row, figures)
    return save_record(row, user=user, action=action, reason=reason or f"Показатели за {year} год")
