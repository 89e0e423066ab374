"""Registry lists (one per kind) with filters, sorting, pagination and CSV/XLSX export of all filtered rows."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import selectors
from klaster.registry.choices import SiteKind
from klaster.web.forms.registry import OrganizationFilterForm, ProjectFilterForm, SiteFilterForm
from klaster.web.tables import Column, Table, export_response


def _regions(site) -> str:
    return ", ".join(r.name for r in site.regions.all())


SITE_COLUMNS = [
    Column("name", "Название"),
    Column("kind", "Вид", lambda s: s.get_kind_display()),
    Column("regions", "Регионы", _regions),
    Column("status", "Статус", lambda s: s.get_current_status_display()),
    Column("status_on", "Статус с", lambda s: s.current_status_on),
    Column("registry_number", "Номер в реестре"),
    Column("specialisation", "Специализация"),
    Column("members", "Участников", numeric=True),
    Column("manager", "Управляющая организация", lambda s: s.manager.name if s.manager_id else ""),
    Column("source", "Источник", lambda s: s.get_source_kind_display()),
]
ORG_COLUMNS = [
    Column("name", "Наименование", lambda o: o.name),
    Column("inn", "ИНН"),
    Column("ogrn", "ОГРН"),
    Column("region", "Регион", lambda o: o.region.name if o.region_id else ""),
    Column("okved", "ОКВЭД2", lambda o: o.okved_id or ""),
    Column("size", "Категория", lambda o: o.get_size_display()),
    Column("kind", "Вид", lambda o: o.get_kind_display()),
    Column("sites", "Площадок", numeric=True),
    Column("source", "Источник", lambda o: o.get_source_kind_display()),
]
PROJECT_COLUMNS = [
    Column("title", "Проект"),
    Column("site", "Кластер", lambda p: p.site.name),
    Column("okpd", "ОКПД2", lambda p: p.okpd_id or ""),
    Column("stage", "Стадия", lambda p: p.get_stage_display()),
    Column("status", "Состояние", lambda p: p.get_status_display()),
    Column("start_date", "Начало"),
    Column("participants_count", "Участников", numeric=True),
    Column("source", "Источник", lambda p: p.get_source_kind_display()),
]


@dataclass(frozen=True)
class ListKind:
    slug: str
    title: str
    entity: str
    site_kinds: tuple[str, ...] = ()


KINDS = {
    "clusters": ListKind("clusters", "Промышленные кластеры", "site", (SiteKind.INDUSTRIAL_CLUSTER,)),
    "parks": ListKind("parks", "Индустриальные парки", "site", (SiteKind.INDUSTRIAL_PARK,)),
    "technoparks": ListKind(
        "technoparks", "Технопарки", "site", (SiteKind.INDUSTRIAL_TECHNOPARK, SiteKind.HIGHTECH_TECHNOPARK)
    ),
    "sez": ListKind("sez", "Особые экономические зоны", "site", (SiteKind.SEZ,)),
    "organizations": ListKind("organizations", "Организации", "organization"),
    "projects": ListKind("projects", "Совместные проекты", "project"),
}
FORMS = {"site": SiteFilterForm, "organization": OrganizationFilterForm, "project": ProjectFilterForm}


def _queryset(kind: ListKind, form) -> QuerySet:
    filters = {k: v for k, v in form.selector_filters().items() if v}
    sort = form.cleaned_data.get("sort") or None
    if kind.entity == "site":
        chosen = filters.pop("kind", None)
        filters["kinds"] = [chosen] if chosen in kind.site_kinds else list(kind.site_kinds)
        qs = selectors.site_list(filters=filters, ordering=sort)
        return qs.annotate(members=selectors.current_members("site"))
    if kind.entity == "organization":
        qs = selectors.organization_list(filters=filters, ordering=sort)
        return qs.annotate(sites=selectors.current_members("organization"))
    qs = selectors.project_list(filters=filters).prefetch_related(None).select_related("site")
    return qs.annotate(participants_count=selectors.project_participants())


def registry_list(request: HttpRequest, kind: str) -> HttpResponse:
    """The list page; `?format=csv|xlsx` exports every row the filters select, not just this page."""
    list_kind = KINDS.get(kind)
    if list_kind is None:
        raise Http404("Нет такого реестра")
    form_class = FORMS[list_kind.entity]
    if list_kind.entity == "site":
        form_class = partial(form_class, site_kinds=list_kind.site_kinds)
    form = form_class(request.GET)
    errors: list[str] = []
    if not form.is_valid():  # say what was wrong, then show the list without the bad parameters
        errors = [
            f"{form.fields[f].label or f}: {' '.join(msgs)}" if f in form.fields else " ".join(msgs)
            for f, msgs in form.errors.items()
        ]
        form = form_class({k: v for k, v in request.GET.items() if k not in form.errors})
        form.is_valid()
    try:
        qs = _queryset(list_kind, form)
    except ValidationError as exc:  # a value the form let through but the selector refused
        errors += [m for msgs in exc.message_dict.values() for m in msgs]
        qs = _queryset(list_kind, form_class({}))
    columns = {"site": SITE_COLUMNS, "organization": ORG_COLUMNS, "project": PROJECT_COLUMNS}[list_kind.entity]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(Table(columns, qs.iterator(chunk_size=2000)), f"klaster-{kind}", fmt)
    paginator = Paginator(qs, form.cleaned_data.get("per_page") or 25)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    return render(
        request,
        f"web/registry/{list_kind.entity}_list.html",
        {
            "kind": list_kind,
            "kinds": KINDS.values(),
            "form": form,
            "errors": errors,
            "page": page,
            "columns": columns,
        },
    )
