"""Filters of registry lists; selectors apply them, so pages, the API and exports filter alike."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from klaster.core.models import SourceKind
from klaster.registry import search
from klaster.registry.choices import FederalDistrict, OrganizationKind, RegistryStatus, SiteKind, SizeCategory
from klaster.registry.lookups import region_code
from klaster.registry.models import JointProject, Membership, Organization, Site

SOURCE_CHOICES = [("real", "Реальные (не синтетические)"), *SourceKind.choices]


class RegionField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return region_code(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["region"][0], code="unknown_region") from None


class RegionFilter(django_filters.CharFilter):
    field_class = RegionField


def filter_source(qs: QuerySet, name: str, value: str) -> QuerySet:
    if not value:
        return qs
    if value == "real":
        return qs.exclude(source_kind=SourceKind.SYNTHETIC)
    return qs.filter(source_kind=value)


class OrganizationFilter(django_filters.FilterSet):
    region = RegionFilter(field_name="region_id", label="Регион")
    federal_district = django_filters.ChoiceFilter(
        field_name="region__federal_district", choices=FederalDistrict.choices, label="Федеральный округ"
    )
    okved = django_filters.CharFilter(method="filter_okved", label="ОКВЭД2 (начало кода)")
    size = django_filters.ChoiceFilter(choices=SizeCategory.choices, label="Категория")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label="Вид")
    source = django_filters.ChoiceFilter(choices=SOURCE_CHOICES, method=filter_source, label="Источник")
    site = django_filters.NumberFilter(method="filter_site", label="Площадка")
    q = django_filters.CharFilter(method="filter_text", label="Поиск")

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_okved(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(Q(okved__code__startswith=value)) if value else qs

    def filter_site(self, qs: QuerySet, name: str, value) -> QuerySet:
        ids = Membership.objects.filter(site_id=value).values("organization_id")
        return qs.filter(pk__in=ids)

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """ИНН and ОГРН by their digits, names by lemmas (word forms and places, see registry/search.py)."""
        return search.filter_organizations(qs, value)


class SiteFilter(django_filters.FilterSet):
    region = RegionFilter(method="filter_region", label="Регион")
    federal_district = django_filters.ChoiceFilter(
        method="filter_district", choices=FederalDistrict.choices, label="Федеральный округ"
    )
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices, label="Вид")
    kinds = django_filters.MultipleChoiceFilter(
        field_name="kind", choices=SiteKind.choices, label="Виды", distinct=False
    )
    status = django_filters.ChoiceFilter(field_name="current_status", choices=RegistryStatus.choices, label="Статус")
    okved = django_filters.CharFilter(method="filter_okved", label="Специализация (ОКВЭД2)")
    source = django_filters.ChoiceFilter(choices=SOURCE_CHOICES, method=filter_source, label="Источник")
    q = django_filters.CharFilter(method="filter_text", label="Поиск")

    class Meta:
        model = Site
        fields: list[str] = []

    # Many-to-many filters go through a subquery: a join would repeat a site once per matching region.
    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pk__in=Site.regions.through.objects.filter(region_id=value).values("site_id"))

    def filter_district(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        through = Site.regions.through.objects.filter(region__federal_district=value)
        return qs.filter(pk__in=through.values("site_id"))

    def filter_okved(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        through = Site.specialisation_okved.through.objects.filter(Q(okved__code__startswith=value))
        return qs.filter(pk__in=through.values("site_id")) if value else qs

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search.filter_queryset(qs, value, "site")


class MembershipFilter(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="site_id")
    organization = django_filters.NumberFilter(field_name="organization_id")
    role = django_filters.CharFilter(field_name="role")
    active = django_filters.BooleanFilter(field_name="date_to", lookup_expr="isnull")

    class Meta:
        model = Membership
        fields: list[str] = []


class ProjectFilter(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="site_id")
    organization = django_filters.NumberFilter(method="filter_organization")
    region = RegionFilter(method="filter_region", label="Регион")
    source = django_filters.ChoiceFilter(choices=SOURCE_CHOICES, method=filter_source)
    q = django_filters.CharFilter(method="filter_text", label="Поиск")

    class Meta:
        model = JointProject
        fields: list[str] = []

    def filter_organization(self, qs: QuerySet, name: str, value) -> QuerySet:
        return qs.filter(
            pk__in=JointProject.participants.rel.related_model.objects.filter(organization_id=value).values(
                "project_id"
            )
        )

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search.filter_queryset(qs, value, "project")

    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(site__in=Site.regions.through.objects.filter(region_id=value).values("site_id"))
