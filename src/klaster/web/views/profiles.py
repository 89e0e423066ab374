"""Profiles: a site, an organisation, a region; each table can be downloaded as XLSX."""

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import analytics, selectors
from klaster.registry.models import Indicator, JointProject, Organization, Site
from klaster.web import charts
from klaster.web.tables import Column, Table, export_response

MEMBER_COLUMNS = [
    Column("organization", "Организация", lambda m: m.organization.name),
    Column("inn", "ИНН", lambda m: m.organization.inn or ""), Column("role", "Роль", lambda m: m.get_role_display()),
    Column("producing", "Выпускает продукцию", lambda m: m.producing),
    Column("contract", "Договор с участником", lambda m: m.has_contract_with_participant),
    Column("date_from", "Вступление"), Column("date_to", "Выход"),
]
PROJECT_COLUMNS = [Column("title", "Проект"), Column("okpd", "ОКПД2", lambda p: p.okpd_id or ""),
                   Column("stage", "Стадия", lambda p: p.get_stage_display()),
                   Column("status", "Состояние", lambda p: p.get_status_display()), Column("start_date", "Начало")]


def _history(obj, limit: int = 15) -> list[dict]:
    """The newest changes of a record with the fields each one changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date")[:limit + 1])
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changed = [c.field for c in newer.diff_against(older).changes] if older is not None else []
        rows.append({"when": newer.history_date, "type": newer.get_history_type_display(),
                     "user": str(newer.history_user or "система"), "reason": newer.history_change_reason or "",
                     "fields": [obj._meta.get_field(f).verbose_name for f in changed]})
    return rows[:limit]


def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_profile(pk=pk)
    members = list(site.memberships.all())
    projects = list(site.projects.all())
    export = request.GET.get("export")
    if export in ("members", "projects"):
        table = Table(MEMBER_COLUMNS, members) if export == "members" else Table(PROJECT_COLUMNS, projects)
        return export_response(table, f"klaster-site-{site.pk}-{export}", request.GET.get("format", "xlsx"))
    indicators = list(site.indicators.all())
    figure, _ = charts.indicators(indicators) if indicators else (None, None)
    return render(request, "web/profiles/site.html", {
        "site": site, "members": members, "projects": projects, "indicators": indicators,
        "charts": {"indicators": figure} if figure else {},
        "regions": [r.iso_code for r in site.regions.all() if r.iso_code],
        "history": _history(site), "rules": None,
    })


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_profile(pk=pk)
    return render(request, "web/profiles/organization.html", {
        "org": org, "memberships": list(org.memberships.all()), "roles": list(org.project_roles.all()),
        "loans": list(org.loans.all()), "purchases": list(org.batch_purchases.all()),
        "years": sorted(org.years.all(), key=lambda y: y.year, reverse=True), "history": _history(org),
        "navigator": None,
    })


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get(code=code)
    figures = next((r for r in analytics.region_figures() if r.code == region.code), None)
    sites = (Site.objects.filter(regions=region).annotate(
        members=Count("memberships", filter=Q(memberships__date_to__isnull=True))).order_by("kind", "name"))
    organizations = Organization.objects.filter(region=region).select_related("okved")
    projects = JointProject.objects.filter(site__regions=region).select_related("site").distinct()
    indicators = (Indicator.objects.filter(site__regions=region).values("year", "kind")
                  .annotate(total=Sum("value")).order_by("year", "kind"))
    return render(request, "web/profiles/region.html", {
        "region": region, "figures": figures, "sites": list(sites[:200]), "sites_count": sites.count(),
        "organizations": list(organizations.order_by("short_name", "full_name")[:50]),
        "organizations_count": organizations.count(), "projects": list(projects.order_by("-start_date")[:50]),
        "projects_count": projects.count(), "indicators": list(indicators),
        "per_100k": {k: figures.per_100k(getattr(figures, k)) for k in ("sites", "participants", "projects")}
        if figures else {},
    })
