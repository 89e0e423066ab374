"""Profiles: a site, an organisation, a region; each table can be downloaded as XLSX."""

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import park_card, selectors
from klaster.registry.models import Indicator, JointProject, Organization, Site
from klaster.web import aggregates, charts, navigator
from klaster.web.tables import Column, Table, export_response

MEMBER_COLUMNS = [
    Column("organization", "Организация", lambda m: m.organization.name),
    Column("inn", "ИНН", lambda m: m.organization.inn or ""),
    Column("role", "Роль", lambda m: m.get_role_display()),
    Column("producing", "Выпускает продукцию", lambda m: m.producing),
    Column("contract", "Договор с участником", lambda m: m.has_contract_with_participant),
    Column("date_from", "Вступление"),
    Column("date_to", "Выход"),
]
PROJECT_COLUMNS = [
    Column("title", "Проект"),
    Column("okpd", "ОКПД2", lambda p: p.okpd_id or ""),
    Column("stage", "Стадия", lambda p: p.get_stage_display()),
    Column("status", "Состояние", lambda p: p.get_status_display()),
    Column("start_date", "Начало"),
]


def _export(request: HttpRequest, tables: dict[str, Table], prefix: str) -> HttpResponse | None:
    """`?export=<table>&format=xlsx|csv` downloads one table of the page with its Russian headers."""
    name = request.GET.get("export")
    if name not in tables:
        return None
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(tables[name], f"klaster-{prefix}-{name}", fmt)


YEAR_COLUMNS = [
    Column("year", "Год"),
    Column("headcount", "Численность", numeric=True),
    Column("revenue_rub", "Выручка, ₽", numeric=True),
    Column("payroll_rub", "ФОТ, ₽", numeric=True),
]
MEMBERSHIP_COLUMNS = [
    Column("site", "Площадка", lambda m: m.site.name),
    Column("role", "Роль", lambda m: m.get_role_display()),
    Column("date_from", "Вступление"),
    Column("date_to", "Выход"),
]
ROLE_COLUMNS = [
    Column("project", "Проект", lambda r: r.project.title),
    Column("site", "Кластер", lambda r: r.project.site.name),
    Column("role", "Роль", lambda r: r.get_role_display()),
]
LOAN_COLUMNS = [
    Column("programme", "Программа", lambda x: x.get_programme_display()),
    Column("amount_rub", "Сумма, ₽", numeric=True),
    Column("term_years", "Срок, лет", numeric=True),
    Column("signed_on", "Дата договора"),
    Column("purpose", "Цель", lambda x: x.get_purpose_display()),
]
PURCHASE_COLUMNS = [
    Column("date", "Дата"),
    Column("supplier", "Поставщик", lambda p: p.supplier.name),
    Column("project", "Проект", lambda p: p.project.title),
    Column("amount_rub", "Сумма, ₽", numeric=True),
    Column("documented", "Подтверждена документами"),
]
SITE_ROW_COLUMNS = [
    Column("name", "Название"),
    Column("kind", "Вид", lambda s: s.get_kind_display()),
    Column("status", "Статус", lambda s: s.get_current_status_display()),
    Column("members", "Участников", numeric=True),
]
ORG_ROW_COLUMNS = [
    Column("name", "Наименование", lambda o: o.name),
    Column("inn", "ИНН"),
    Column("okved", "ОКВЭД2", lambda o: o.okved_id or ""),
]
REGION_PROJECT_COLUMNS = [
    Column("title", "Проект"),
    Column("site", "Кластер", lambda p: p.site.name),
    Column("start_date", "Начало"),
]


def _history(obj, limit: int = 15) -> list[dict]:
    """The newest changes of a record with the fields each one changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changed = [c.field for c in newer.diff_against(older).changes] if older is not None else []
        rows.append(
            {
                "when": newer.history_date,
                "type": newer.get_history_type_display(),
                "user": str(newer.history_user or "система"),
                "reason": newer.history_change_reason or "",
                "fields": [obj._meta.get_field(f).verbose_name for f in changed],
            }
        )
    return rows[:limit]


def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_profile(pk=pk)
    members = list(site.memberships.all())
    projects = list(site.projects.all())
    indicators = list(site.indicators.all())
    figure, indicator_table = charts.indicators(indicators)
    download = _export(
        request,
        {
            "members": Table(MEMBER_COLUMNS, members),
            "projects": Table(PROJECT_COLUMNS, projects),
            "indicators": indicator_table,
        },
        f"site-{site.pk}",
    )
    if download is not None:
        return download
    return render(
        request,
        "web/profiles/site.html",
        {
            "site": site,
            "members": members,
            "projects": projects,
            "indicators": indicators,
            "charts": {"indicators": figure} if indicators else {},
            "regions": [r.iso_code for r in site.regions.all() if r.iso_code],
            "history": _history(site),
            "card": park_card.rows(site.park_card),
            "requirements": navigator.for_site(site),
        },
    )


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_profile(pk=pk)
    tables = {
        "memberships": Table(MEMBERSHIP_COLUMNS, list(org.memberships.all())),
        "projects": Table(ROLE_COLUMNS, list(org.project_roles.all())),
        "loans": Table(LOAN_COLUMNS, list(org.loans.all())),
        "purchases": Table(PURCHASE_COLUMNS, list(org.batch_purchases.all())),
        "years": Table(YEAR_COLUMNS, sorted(org.years.all(), key=lambda y: y.year, reverse=True)),
    }
    download = _export(request, tables, f"organization-{org.pk}")
    if download is not None:
        return download
    return render(
        request,
        "web/profiles/organization.html",
        {
            "org": org,
            "memberships": tables["memberships"].rows,
            "roles": tables["projects"].rows,
            "loans": tables["loans"].rows,
            "purchases": tables["purchases"].rows,
            "years": tables["years"].rows,
            "history": _history(org),
            "navigator": navigator.for_organization(org),
        },
    )


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get(code=code)
    figures = aggregates.region_row(region.code)
    sites = (
        Site.objects.filter(regions=region).annotate(members=selectors.current_members("site")).order_by("kind", "name")
    )
    organizations = Organization.objects.filter(region=region).only("short_name", "full_name", "inn", "okved_id")
    # projects of the region's sites by a semi-join: no DISTINCT over whole rows (a site in two regions)
    projects = JointProject.objects.filter(site__in=Site.objects.filter(regions=region)).select_related("site")
    indicators = (
        Indicator.objects.filter(site__regions=region)
        .values("year", "kind")
        .annotate(total=Sum("value"))
        .order_by("year", "kind")
    )
    download = _export(
        request,
        {
            "sites": Table(SITE_ROW_COLUMNS, sites.iterator()),
            "organizations": Table(ORG_ROW_COLUMNS, organizations.order_by("full_name").iterator()),
            "projects": Table(REGION_PROJECT_COLUMNS, projects.order_by("-start_date").iterator()),
        },
        f"region-{region.code}",
    )
    if download is not None:
        return download
    return render(
        request,
        "web/profiles/region.html",
        {
            "region": region,
            "figures": figures,
            "sites": list(sites[:200]),
            "sites_count": sites.count(),
            "organizations": list(organizations.order_by("short_name", "full_name")[:50]),
            "organizations_count": organizations.count(),
            "projects": list(projects.order_by("-start_date")[:50]),
            "projects_count": projects.count(),
            "indicators": list(indicators),
            "per_100k": {k: figures[f"{k}_per100k"] for k in ("sites", "participants", "projects")} if figures else {},
        },
    )
