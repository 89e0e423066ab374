"""Reads of the registry for pages, the API and exports; they own select_related/prefetch_related."""

from collections.abc import Mapping
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from klaster.registry.filters import MembershipFilter, OrganizationFilter, ProjectFilter, SiteFilter
from klaster.registry.models import (
    Indicator,
    JointProject,
    Membership,
    Organization,
    ProjectParticipant,
    Region,
    ReportedFigure,
    Site,
    SiteStatusEvent,
)

ORDERINGS = {
    "organization": {
        "name": ("short_name", "full_name"),
        "inn": ("inn",),
        "region": ("region_id",),
        "size": ("size",),
        "created": ("created",),
        "id": ("id",),
    },
    "site": {
        "name": ("name",),
        "kind": ("kind",),
        "status": ("current_status",),
        "status_on": ("current_status_on",),
        "created": ("created",),
        "id": ("id",),
    },
}


def apply_filters(
    filterset_class: type[django_filters.FilterSet], params: Mapping[str, Any] | None, queryset: QuerySet
) -> QuerySet:
    """Filter or raise a ValidationError naming each bad parameter: an unknown region is an error,
    never a silently unfiltered list."""
    params = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
    fs = filterset_class(params, queryset=queryset)
    if not fs.is_valid():
        errors = {}
        for field, field_errors in fs.form.errors.as_data().items():
            label = fs.form.fields[field].label or field
            errors[field] = [
                ValidationError(m if m.startswith(label) else f"{label}: {m}", code=e.code or "invalid")
                for e in field_errors
                for m in e.messages
            ]
        raise ValidationError(errors)
    return fs.qs


def count_per_row(rows: QuerySet, link: str) -> Coalesce:
    """An annotation counting `rows` that point (by `link`) at each outer row, computed per row shown.

    Unlike `Count()` over a join, it does not group the whole filtered set: PostgreSQL evaluates the subquery
    after ORDER BY … LIMIT, so a page of 25 of 900 clusters counts 25 clusters' members instead of aggregating
    all 25 000 memberships before sorting (48 ms → 2 ms), and the paginator's COUNT(*) stays a plain count.
    """
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def current_members(link: str) -> Coalesce:
    """Current memberships (not ended) per site (`link="site"`) or per organisation (`"organization"`)."""
    return count_per_row(Membership.objects.filter(date_to__isnull=True), link)


def project_participants() -> Coalesce:
    """Participants per joint project."""
    return count_per_row(ProjectParticipant.objects.all(), "project")


def order(qs: QuerySet, entity: str, ordering: str | None, default: str = "id") -> QuerySet:
    key = (ordering or default).strip()
    desc = key.startswith("-")
    fields = ORDERINGS[entity].get(key.lstrip("-"))
    if fields is None:
        allowed = ", ".join(sorted(ORDERINGS[entity]))
        raise ValidationError({"ordering": f"Сортировка: допустимо {allowed} (с «-» для обратного порядка)"})
    return qs.order_by(*[f"-{f}" if desc else f for f in fields], "-id" if desc else "id")


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def region_get(*, code: str) -> Region:
    from klaster.registry.lookups import region_code

    try:
        return Region.objects.get(code=region_code(code))
    except ValidationError:
        raise Http404(f"Регион «{code}» не найден") from None


def organization_list(
    *, filters: Mapping[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Organization]:
    """Organisations with what a list row shows: region and ОКВЭД in the same query."""
    qs = Organization.objects.select_related("region", "okved")
    return order(apply_filters(OrganizationFilter, filters, qs), "organization", ordering)


def organization_get(*, pk: int) -> Organization:
    qs = Organization.objects.select_related("region", "okved").prefetch_related(
        "years", Prefetch("memberships", queryset=Membership.objects.select_related("site"))
    )
    try:
        return qs.get(pk=pk)
    except Organization.DoesNotExist:
        raise Http404(f"Организация {pk} не найдена") from None


def site_list(*, filters: Mapping[str, Any] | None = None, ordering: str | None = None) -> QuerySet[Site]:
    """Sites with their manager and regions: a fixed number of queries per page, whatever the rows."""
    qs = Site.objects.select_related("manager", "host").prefetch_related("regions", "specialisation_okved")
    return order(apply_filters(SiteFilter, filters, qs), "site", ordering, default="name")


def site_get(*, pk: int) -> Site:
    qs = Site.objects.select_related("manager", "host").prefetch_related(
        "regions",
        "specialisation_okved",
        Prefetch("status_events", queryset=SiteStatusEvent.objects.order_by("on", "id")),
    )
    try:
        return qs.get(pk=pk)
    except Site.DoesNotExist:
        raise Http404(f"Площадка {pk} не найдена") from None


def membership_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("organization", "site").order_by("site_id", "organization_id", "id")
    return apply_filters(MembershipFilter, filters, qs)


def project_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[JointProject]:
    qs = (
        JointProject.objects.select_related("site", "okpd")
        .prefetch_related("participants__organization", "costs", "purchases")
        .order_by("id")
    )
    return apply_filters(ProjectFilter, filters, qs)


def project_get(*, pk: int) -> JointProject:
    try:
        return project_list().get(pk=pk)
    except JointProject.DoesNotExist:
        raise Http404(f"Проект {pk} не найден") from None


def indicator_list(*, site: int | None = None, year: int | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("site").order_by("site_id", "year", "kind")
    if site is not None:
        qs = qs.filter(site_id=site)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def reported_figure_list(*, metric: str | None = None) -> QuerySet[ReportedFigure]:
    qs = ReportedFigure.objects.select_related("region", "site").order_by("on", "metric", "id")
    return qs.filter(metric=metric) if metric else qs


def site_profile(*, pk: int) -> Site:
    """A site with everything its page shows, in a fixed number of queries."""
    qs = Site.objects.select_related("manager", "host").prefetch_related(
        "regions",
        "specialisation_okved",
        "hosted_sites",
        Prefetch("status_events", queryset=SiteStatusEvent.objects.order_by(F("on").asc(nulls_first=True), "id")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organization__region").order_by(
                "date_to", "role", "organization__full_name"
            ),
        ),
        Prefetch(
            "projects",
            queryset=JointProject.objects.order_by("-start_date", "title").prefetch_related(
                "participants__organization"
            ),
        ),
        Prefetch("indicators", queryset=Indicator.objects.order_by("kind", "year")),
        Prefetch("reported_figures", queryset=ReportedFigure.objects.order_by("on")),
    )
    try:
        return qs.get(pk=pk)
    except Site.DoesNotExist:
        raise Http404(f"Площадка {pk} не найдена") from None


def organization_profile(*, pk: int) -> Organization:
    """An organisation with its years, memberships, projects, loans and purchases."""
    from klaster.registry.models import Loan, StartBatchPurchase

    qs = Organization.objects.select_related("region", "okved").prefetch_related(
        "years",
        Prefetch("memberships", queryset=Membership.objects.select_related("site").order_by("date_to", "site__name")),
        Prefetch(
            "project_roles",
            queryset=ProjectParticipant.objects.select_related("project__site").order_by("project__title"),
        ),
        Prefetch("loans", queryset=Loan.objects.order_by("-signed_on")),
        Prefetch(
            "batch_purchases",
            queryset=StartBatchPurchase.objects.select_related("supplier", "project").order_by("-date"),
        ),
    )
    try:
        return qs.get(pk=pk)
    except Organization.DoesNotExist:
        raise Http404(f"Организация {pk} не найдена") from None
