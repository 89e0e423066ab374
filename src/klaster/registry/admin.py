"""Django admin for every registry model: search, filters, inlines and the change history.

Saves go through the services (`save_model`), so an admin edit validates and leaves history like
any other write; deleting is switched off because registry records are never hard-deleted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from klaster.core.models import ApiToken
from klaster.registry import services
from klaster.registry.models import (
    Indicator,
    JointProject,
    Loan,
    Membership,
    Okpd,
    Okved,
    Organization,
    OrganizationYear,
    ProjectCost,
    ProjectParticipant,
    Region,
    ReportedFigure,
    Site,
    SiteStatusEvent,
    StartBatchPurchase,
)


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyReference(admin.ModelAdmin):
    """Reference tables are loaded from official files (`klaster init`), not edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyReference):
    list_display = ("code", "iso_code", "name", "federal_district", "population")
    list_filter = ("federal_district",)
    search_fields = ("code", "iso_code", "name")


@admin.register(Okved)
class OkvedAdmin(ReadOnlyReference):
    list_display = ("code", "name", "section", "level")
    list_filter = ("section", "level")
    search_fields = ("code", "name")


@admin.register(Okpd)
class OkpdAdmin(ReadOnlyReference):
    list_display = ("code", "name", "section", "level")
    list_filter = ("section", "level")
    search_fields = ("code", "name")


class OrganizationYearInline(admin.TabularInline):
    model = OrganizationYear
    extra = 0
    fields = ("year", "headcount", "revenue_rub", "payroll_rub")
    can_delete = False


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "site"
    extra = 0
    fields = ("organization", "role", "producing", "has_contract_with_participant", "date_from", "date_to")
    autocomplete_fields = ("organization",)
    can_delete = False


class StatusEventInline(admin.TabularInline):
    model = SiteStatusEvent
    extra = 0
    fields = ("status", "on", "registry_number", "decree", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a status change is a dated event made through the service (see the API)


@admin.register(Organization)
class OrganizationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "inn", "kind", "region", "okved", "size", "spic_version", "source_kind")
    list_filter = ("kind", "size", "spic_version", "source_kind", "region__federal_district")
    search_fields = ("full_name", "short_name", "inn", "ogrn")
    autocomplete_fields = ("region", "okved")
    inlines = [OrganizationYearInline]
    list_select_related = ("region", "okved")

    def save_model(self, request, obj, form, change):
        fields = {f: getattr(obj, f) for f in form.changed_data if f not in ("region", "okved")}
        fields.update(region_id=obj.region_id, okved_id=obj.okved_id)
        if change:
            services.organization_update(
                organization=obj, user=request.user, reason="Правка в администрировании", **fields
            )
        else:
            created = services.organization_create(
                user=request.user,
                reason="Создание в администрировании",
                **{
                    f.name: getattr(obj, f.name)
                    for f in obj._meta.concrete_fields
                    if f.name not in ("id", "created", "updated")
                },
            )
            obj.pk = created.pk


@admin.register(Site)
class SiteAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "current_status", "current_status_on", "registry_number", "source_kind")
    list_filter = ("kind", "current_status", "source_kind", "regions__federal_district")
    search_fields = ("name", "registry_number", "specialisation")
    autocomplete_fields = ("manager", "host", "regions", "specialisation_okved")
    readonly_fields = ("current_status", "current_status_on", "registry_number")
    inlines = [StatusEventInline, MembershipInline]
    list_select_related = ("manager",)

    def save_model(self, request, obj, form, change):
        obj._change_reason = "Правка в администрировании" if change else "Создание в администрировании"
        obj._history_user = request.user
        obj.full_clean(exclude=["regions", "specialisation_okved"])
        super().save_model(request, obj, form, change)


@admin.register(SiteStatusEvent)
class SiteStatusEventAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("site", "status", "on", "registry_number", "decree")
    list_filter = ("status",)
    search_fields = ("site__name", "registry_number")
    autocomplete_fields = ("site",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.site_status_change(
                site=obj.site,
                status=obj.status,
                on=obj.on,
                user=request.user,
                registry_number=obj.registry_number,
                decree=obj.decree,
                reason=obj.reason,
                source=obj.source,
            )


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("organization", "site", "role", "producing", "date_from", "date_to")
    list_filter = ("role", "producing", "source_kind")
    search_fields = ("organization__full_name", "organization__inn", "site__name")
    autocomplete_fields = ("organization", "site")
    list_select_related = ("organization", "site")


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    autocomplete_fields = ("organization",)
    can_delete = False


class CostInline(admin.TabularInline):
    model = ProjectCost
    extra = 0
    can_delete = False


class PurchaseInline(admin.TabularInline):
    model = StartBatchPurchase
    extra = 0
    autocomplete_fields = ("buyer", "supplier")
    can_delete = False


@admin.register(JointProject)
class JointProjectAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("title", "site", "stage", "status", "import_substitution", "start_date")
    list_filter = ("stage", "status", "import_substitution", "source_kind")
    search_fields = ("title", "product", "site__name")
    autocomplete_fields = ("site", "okpd")
    inlines = [ParticipantInline, CostInline, PurchaseInline]
    list_select_related = ("site",)


@admin.register(Loan)
class LoanAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("organization", "programme", "amount_rub", "term_years", "signed_on")
    list_filter = ("programme", "purpose", "source_kind")
    search_fields = ("organization__full_name", "organization__inn")
    autocomplete_fields = ("organization", "lender", "property_region")
    list_select_related = ("organization",)


@admin.register(Indicator)
class IndicatorAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("site", "year", "kind", "value")
    list_filter = ("kind", "year")
    search_fields = ("site__name",)
    autocomplete_fields = ("site",)


@admin.register(ReportedFigure)
class ReportedFigureAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("what", "qualifier", "value", "unit", "on", "source")
    list_filter = ("metric",)
    search_fields = ("what", "source", "metric")
    autocomplete_fields = ("region", "site")


@admin.register(OrganizationYear)
class OrganizationYearAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("organization", "year", "headcount", "revenue_rub", "payroll_rub")
    list_filter = ("year",)
    search_fields = ("organization__full_name", "organization__inn")
    autocomplete_fields = ("organization",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used", "is_active")
    readonly_fields = ("prefix", "created", "last_used")
    fields = ("user", "name", "is_active", "prefix", "created", "last_used")

    def has_add_permission(self, request) -> bool:
        return False  # the key is shown once, by `klaster token USER`
