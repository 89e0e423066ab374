"""Sites (clusters, parks, technoparks, SEZs), their dated registry status history and their members."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from klaster.core.models import RegistryModel, source_kind_field
from klaster.core.money import MoneyField
from klaster.registry.choices import (
    MembershipRole,
    Ownership,
    RegistryStatus,
    SezType,
    SiteKind,
    choice_check,
)


class Site(RegistryModel):
    """One model for every kind of industrial site: an industrial cluster, park, technopark or SEZ.

    The registry status is a dated history (`SiteStatusEvent`); `current_status` and
    `registry_number` are denormalised from it by the status service so list filters stay one query.
    """

    kind = models.CharField("вид", max_length=32, choices=SiteKind.choices)
    name = models.CharField("название", max_length=300)
    regions = models.ManyToManyField("registry.Region", related_name="sites", verbose_name="регионы")
    specialisation = models.TextField("специализация", blank=True)
    specialisation_okved = models.ManyToManyField(
        "registry.Okved", blank=True, related_name="sites", verbose_name="специализация по ОКВЭД2"
    )
    manager = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_sites",
        verbose_name="специализированная организация / управляющая компания",
    )
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_sites",
        verbose_name="размещается на территории",
    )
    sez_type = models.CharField("тип ОЭЗ", max_length=16, choices=SezType.choices, blank=True)
    area_ha = models.DecimalField("площадь, га", max_digits=12, decimal_places=2, null=True, blank=True)
    building_area_m2 = models.DecimalField(
        "производственные площади, м²", max_digits=14, decimal_places=2, null=True, blank=True
    )
    declared_investment_rub = MoneyField("заявленные инвестиции, ₽", null=True, blank=True)
    management_company_ownership = models.CharField(
        "форма собственности управляющей компании", max_length=16, choices=Ownership.choices, blank=True
    )
    created_on = models.DateField("дата создания", null=True, blank=True)
    park_card = models.JSONField(
        "карточка ГИСИП", default=dict, blank=True, help_text="Поля карточки парка в ГИСИП (registry/park_card.py)"
    )
    note = models.TextField("примечание", blank=True, help_text="Известные факты, не имеющие своего поля, с источником")
    # Inputs of the registry requirements and park subsidies (ПП № 779, № 1119, electronics technoparks).
    functional_dependence_share = models.DecimalField(
        "уровень функциональной зависимости", max_digits=5, decimal_places=4, null=True, blank=True
    )
    special_territory_participant_share = models.DecimalField(
        "доля участников на территориях ИПСЭР, геостратегических, моногородах",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    infrastructure_costs_rub = MoneyField("затраты на инфраструктуру, ₽", null=True, blank=True)
    project_start = models.DateField("начало проекта создания", null=True, blank=True)
    p1119_claim_date = models.DateField("дата заявки на возмещение по ПП № 1119", null=True, blank=True)
    residents_federal_taxes_rub = MoneyField("федеральные налоги резидентов, ₽", null=True, blank=True)
    electronics_companies = models.PositiveIntegerField("компаний электронной промышленности", null=True, blank=True)
    electronics_priority_region = models.BooleanField("электроника — приоритет региона", null=True, blank=True)
    # Denormalised from the status history by services.site_status_change.
    current_status = models.CharField(
        "статус в реестре", max_length=16, choices=RegistryStatus.choices, blank=True, db_index=True
    )
    current_status_on = models.DateField("статус с", null=True, blank=True)
    registry_number = models.CharField("номер в реестре", max_length=64, blank=True)
    history = HistoricalRecords(m2m_fields=[regions])

    class Meta:
        verbose_name = "площадка"
        verbose_name_plural = "кластеры, парки, технопарки и ОЭЗ"
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "current_status"])]
        constraints = [
            models.CheckConstraint(condition=choice_check("kind", SiteKind), name="site_kind_valid"),
            models.CheckConstraint(
                condition=choice_check("sez_type", SezType, allow_blank=True), name="site_sez_type_valid"
            ),
            models.CheckConstraint(
                condition=choice_check("management_company_ownership", Ownership, allow_blank=True),
                name="site_ownership_valid",
            ),
            models.CheckConstraint(
                condition=choice_check("current_status", RegistryStatus, allow_blank=True),
                name="site_current_status_valid",
            ),
            models.UniqueConstraint(
                fields=["kind", "registry_number"],
                condition=~Q(registry_number=""),
                name="site_registry_number_unique_per_kind",
                violation_error_message="Номер в реестре: уже присвоен другой площадке этого вида",
            ),
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="site_name_unique_per_kind",
                violation_error_message="Название: площадка этого вида с таким названием уже есть",
            ),
            models.CheckConstraint(
                condition=Q(functional_dependence_share__isnull=True)
                | (Q(functional_dependence_share__gte=0) & Q(functional_dependence_share__lte=1)),
                name="site_functional_dependence_share_range",
                violation_error_message="Функциональная зависимость: доля от 0 до 1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.sez_type and self.kind != SiteKind.SEZ:
            raise ValidationError({"sez_type": "Тип ОЭЗ: указывается только для особой экономической зоны"})


class SiteStatusEvent(RegistryModel):
    """A dated change of a site's registry status; never overwritten, so counts by year can be rebuilt."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="status_events", verbose_name="площадка")
    status = models.CharField("статус", max_length=16, choices=RegistryStatus.choices)
    on = models.DateField("дата", null=True, blank=True, help_text="Пусто, если дата не опубликована")
    registry_number = models.CharField("номер в реестре", max_length=64, blank=True)
    decree = models.CharField("основание (акт)", max_length=200, blank=True)
    reason = models.TextField("причина", blank=True)
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="внёс")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "событие статуса в реестре"
        verbose_name_plural = "история статусов в реестре"
        ordering = [models.F("on").asc(nulls_first=True), "id"]
        indexes = [models.Index(fields=["status", "on"])]
        constraints = [
            models.CheckConstraint(condition=choice_check("status", RegistryStatus), name="status_event_valid"),
            models.CheckConstraint(
                condition=~Q(status=RegistryStatus.EXCLUDED) | ~Q(reason=""),
                name="status_excluded_has_reason",
                violation_error_message="Причина: укажите причину исключения из реестра",
            ),
        ]

    def __str__(self) -> str:
        when = f"с {self.on:%d.%m.%Y}" if self.on else "(дата не опубликована)"
        return f"{self.site}: {self.get_status_display()} {when}"

    def clean(self) -> None:
        if self.status == RegistryStatus.EXCLUDED and not self.reason.strip():
            raise ValidationError({"reason": "Причина: укажите причину исключения из реестра"})


class Membership(RegistryModel):
    """An organisation's part in a site (participant, anchor, resident, ...); one firm may be in several."""

    source_kind = source_kind_field(db_index=False)  # memberships are never looked up by their source
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="memberships", verbose_name="организация"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="memberships", verbose_name="площадка")
    role = models.CharField("роль", max_length=32, choices=MembershipRole.choices, default=MembershipRole.PARTICIPANT)
    producing = models.BooleanField("выпускает продукцию", null=True, blank=True)
    has_contract_with_participant = models.BooleanField("есть договор с другим участником", null=True, blank=True)
    agreement_number = models.CharField("номер соглашения", max_length=100, blank=True)
    date_from = models.DateField("дата вступления", null=True, blank=True)
    date_to = models.DateField("дата выхода", null=True, blank=True)
    # History is read by record id and date only; its other indexes would slow every bulk import.
    history = HistoricalRecords(no_db_index=["source_kind", "organization", "site"])

    class Meta:
        verbose_name = "участие в площадке"
        verbose_name_plural = "участники и резиденты"
        ordering = ["site", "organization"]
        constraints = [
            models.CheckConstraint(condition=choice_check("role", MembershipRole), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(date_from__isnull=True) | Q(date_to__isnull=True) | Q(date_to__gte=F("date_from")),
                name="membership_dates_ordered",
                violation_error_message="Дата выхода: раньше даты вступления",
            ),
            models.UniqueConstraint(
                fields=["organization", "site"],
                condition=Q(date_to__isnull=True),
                name="membership_one_active",
                violation_error_message="Организация уже участвует в этой площадке",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} в «{self.site}» ({self.get_role_display()})"

    def clean(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": "Дата выхода: раньше даты вступления"})
