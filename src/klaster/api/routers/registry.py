"""Registry endpoints: parse, call a selector or a service, return. No logic of its own."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from klaster.api.auth import ApiAuth
from klaster.api.schemas.registry import (
    IndicatorIn,
    IndicatorOut,
    MembershipFilters,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganizationDetailOut,
    OrganizationFilters,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    OrganizationYearIn,
    OrganizationYearOut,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    RegionFilters,
    RegionOut,
    ReportedFigureIn,
    ReportedFigureOut,
    SiteDetailOut,
    SiteFilters,
    SiteIn,
    SiteOut,
    SitePatch,
    SiteStatusIn,
    StatusEventOut,
)
from klaster.registry import selectors, services
from klaster.registry.lookups import okpd_code, okved_code, region_code
from klaster.registry.models import Membership, Organization, Site

router = Router(tags=["Реестр"])

ENTITY_LABELS = {
    "organization": "Организация",
    "site": "Площадка",
    "manager": "Управляющая организация",
    "host": "Площадка размещения",
    "buyer": "Покупатель",
    "supplier": "Поставщик",
}


def _ref(model: type[Model], pk: int | None, field: str) -> Model | None:
    """A referenced record by id; a dangling id is a 422 naming the field, not a 404 of the endpoint."""
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        label = ENTITY_LABELS.get(field, field)
        raise ValidationError({field: ValidationError(f"{label}: нет записи с id {pk}", code="not_found")})
    return obj


def _organization_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "region" in data:
        data["region_id"] = region_code(data.pop("region"))
    if "okved" in data:
        data["okved_id"] = okved_code(data.pop("okved"))
    return data


def _site_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "manager" in data:
        data["manager"] = _ref(Organization, data["manager"], "manager")
    if "host" in data:
        data["host"] = _ref(Site, data["host"], "host")
    return data


# ---- regions --------------------------------------------------------------------------------------


@router.get("/regions", response=list[RegionOut], summary="Субъекты РФ")
def region_list(request: HttpRequest, filters: Query[RegionFilters]):
    qs = selectors.region_list()
    return qs.filter(federal_district=filters.federal_district) if filters.federal_district else qs


@router.get("/regions/{code}", response=RegionOut, summary="Субъект РФ по коду («40») или ISO («RU-KLU»)")
def region_detail(request: HttpRequest, code: str):
    return selectors.region_get(code=code)


# ---- organisations --------------------------------------------------------------------------------


@router.get("/organizations", response=list[OrganizationOut], summary="Организации")
@paginate(PageNumberPagination)
def organization_list(request: HttpRequest, filters: Query[OrganizationFilters]):
    params = filters.model_dump(exclude_none=True)
    return selectors.organization_list(filters=params, ordering=params.pop("ordering", None))


@router.get("/organizations/{org_id}", response=OrganizationDetailOut, summary="Организация")
def organization_detail(request: HttpRequest, org_id: int):
    return selectors.organization_get(pk=org_id)


@router.post("/organizations", response={201: OrganizationDetailOut}, auth=ApiAuth, summary="Создать организацию")
def organization_create(request: HttpRequest, payload: OrganizationIn):
    org = services.organization_create(user=request.user, **_organization_fields(payload.model_dump()))
    return Status(201, selectors.organization_get(pk=org.pk))


@router.patch("/organizations/{org_id}", response=OrganizationDetailOut, auth=ApiAuth, summary="Изменить организацию")
def organization_update(request: HttpRequest, org_id: int, payload: OrganizationPatch):
    org = selectors.organization_get(pk=org_id)
    services.organization_update(
        organization=org, user=request.user, **_organization_fields(payload.model_dump(exclude_unset=True))
    )
    return selectors.organization_get(pk=org_id)


@router.put(
    "/organizations/{org_id}/years/{year}",
    response=OrganizationYearOut,
    auth=ApiAuth,
    summary="Показатели организации за год",
)
def organization_year_set(request: HttpRequest, org_id: int, year: int, payload: OrganizationYearIn):
    org = selectors.organization_get(pk=org_id)
    return services.organization_year_set(
        organization=org, year=year, user=request.user, **payload.model_dump(exclude_unset=True)
    )


# ---- sites ------------------------------------------------------------------------------------------


@router.get("/sites", response=list[SiteOut], summary="Кластеры, парки, технопарки и ОЭЗ")
@paginate(PageNumberPagination)
def site_list(request: HttpRequest, filters: Query[SiteFilters]):
    params = filters.model_dump(exclude_none=True)
    return selectors.site_list(filters=params, ordering=params.pop("ordering", None))


@router.get("/sites/{site_id}", response=SiteDetailOut, summary="Площадка с историей статусов")
def site_detail(request: HttpRequest, site_id: int):
    return selectors.site_get(pk=site_id)


@router.post("/sites", response={201: SiteDetailOut}, auth=ApiAuth, summary="Создать площадку")
def site_create(request: HttpRequest, payload: SiteIn):
    site = services.site_create(user=request.user, **_site_fields(payload.model_dump()))
    return Status(201, selectors.site_get(pk=site.pk))


@router.patch("/sites/{site_id}", response=SiteDetailOut, auth=ApiAuth, summary="Изменить площадку")
def site_update(request: HttpRequest, site_id: int, payload: SitePatch):
    site = selectors.site_get(pk=site_id)
    services.site_update(site=site, user=request.user, **_site_fields(payload.model_dump(exclude_unset=True)))
    return selectors.site_get(pk=site_id)


@router.post(
    "/sites/{site_id}/status",
    response={201: StatusEventOut},
    auth=ApiAuth,
    summary="Новое событие статуса в реестре (не перезапись)",
)
def site_status_change(request: HttpRequest, site_id: int, payload: SiteStatusIn):
    site = selectors.site_get(pk=site_id)
    return Status(201, services.site_status_change(site=site, user=request.user, **payload.model_dump()))


# ---- memberships ------------------------------------------------------------------------------------


@router.get("/memberships", response=list[MembershipOut], summary="Участники и резиденты")
@paginate(PageNumberPagination)
def membership_list(request: HttpRequest, filters: Query[MembershipFilters]):
    return selectors.membership_list(filters=filters.model_dump(exclude_none=True))


@router.post("/memberships", response={201: MembershipOut}, auth=ApiAuth, summary="Включить в площадку")
def membership_create(request: HttpRequest, payload: MembershipIn):
    data = payload.model_dump()
    org = _ref(Organization, data.pop("organization"), "organization")
    site = _ref(Site, data.pop("site"), "site")
    return Status(201, services.membership_create(organization=org, site=site, user=request.user, **data))


@router.patch("/memberships/{membership_id}", response=MembershipOut, auth=ApiAuth, summary="Изменить участие")
def membership_update(request: HttpRequest, membership_id: int, payload: MembershipPatch):
    membership = selectors.membership_list().filter(pk=membership_id).first()
    if membership is None:
        from django.http import Http404

        raise Http404(f"Участие {membership_id} не найдено")
    return services.membership_update(
        membership=membership, user=request.user, **payload.model_dump(exclude_unset=True)
    )


# ---- joint projects ---------------------------------------------------------------------------------


@router.get("/projects", response=list[ProjectOut], summary="Совместные проекты")
@paginate(PageNumberPagination)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]):
    return selectors.project_list(filters=filters.model_dump(exclude_none=True))


@router.get("/projects/{project_id}", response=ProjectOut, summary="Совместный проект")
def project_detail(request: HttpRequest, project_id: int):
    return selectors.project_get(pk=project_id)


@router.post("/projects", response={201: ProjectOut}, auth=ApiAuth, summary="Создать совместный проект")
def project_create(request: HttpRequest, payload: ProjectIn):
    data = payload.model_dump()
    participants = [
        (_ref(Organization, p["organization"], "organization"), p["role"]) for p in data.pop("participants")
    ]
    costs, purchases = data.pop("costs"), data.pop("purchases")
    data["site"] = _ref(Site, data["site"], "site")
    data["okpd_id"] = okpd_code(data.pop("okpd"))
    project = services.project_create(user=request.user, participants=participants, **data)
    for cost in costs:
        services.project_cost_add(project=project, user=request.user, **cost)
    for purchase in purchases:
        purchase["buyer"] = _ref(Organization, purchase["buyer"], "buyer")
        purchase["supplier"] = _ref(Organization, purchase["supplier"], "supplier")
        services.start_batch_purchase_add(project=project, user=request.user, **purchase)
    return Status(201, selectors.project_get(pk=project.pk))


@router.patch("/projects/{project_id}", response=ProjectOut, auth=ApiAuth, summary="Изменить проект")
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch):
    project = selectors.project_get(pk=project_id)
    data = payload.model_dump(exclude_unset=True)
    if "okpd" in data:
        data["okpd_id"] = okpd_code(data.pop("okpd"))
    services.project_update(project=project, user=request.user, **data)
    return selectors.project_get(pk=project_id)


# ---- indicators and reported figures ---------------------------------------------------------------


@router.get("/indicators", response=list[IndicatorOut], summary="Показатели площадок по годам")
@paginate(PageNumberPagination)
def indicator_list(request: HttpRequest, site: int | None = None, year: int | None = None):
    return selectors.indicator_list(site=site, year=year)


@router.put("/indicators", response=IndicatorOut, auth=ApiAuth, summary="Внести или изменить показатель")
def indicator_set(request: HttpRequest, payload: IndicatorIn):
    data = payload.model_dump()
    data["site"] = _ref(Site, data["site"], "site")
    return services.indicator_set(user=request.user, **data)


@router.get("/reported-figures", response=list[ReportedFigureOut], summary="Опубликованные показатели")
@paginate(PageNumberPagination)
def reported_figure_list(request: HttpRequest, metric: str | None = None):
    return selectors.reported_figure_list(metric=metric)


@router.post(
    "/reported-figures", response={201: ReportedFigureOut}, auth=ApiAuth, summary="Внести опубликованный показатель"
)
def reported_figure_create(request: HttpRequest, payload: ReportedFigureIn):
    data = payload.model_dump()
    data["region_id"] = region_code(data.pop("region"))
    data["site"] = _ref(Site, data["site"], "site")
    return Status(201, services.reported_figure_create(user=request.user, **data))


__all__ = ["Membership", "router"]
