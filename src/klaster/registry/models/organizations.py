"""Organisations (companies, specialised organisations, management companies, ...) and their yearly figures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from klaster.core.models import RegistryModel, source_kind_field
from klaster.core.money import MoneyField
from klaster.registry.choices import OrganizationKind, SizeCategory, SpicVersion, choice_check
from klaster.registry.validators import validate_inn, validate_kpp, validate_ogrn


class Organization(RegistryModel):
    """A legal entity or individual entrepreneur that takes part in sites, projects and loans.

    The ИНН is optional: the ИНН of real companies named in the news is not known and must not be
    invented. Unknown facts (size, МТК, producer, SPIC) stay empty, which the rules read as "unknown".
    """

    kind = models.CharField("вид", max_length=32, choices=OrganizationKind.choices, default=OrganizationKind.COMPANY)
    inn = models.CharField(
        "ИНН",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_inn],
        error_messages={"unique": "ИНН: организация с таким ИНН уже есть в реестре"},
    )
    ogrn = models.CharField(
        "ОГРН / ОГРНИП",
        max_length=15,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_ogrn],
        error_messages={"unique": "ОГРН: организация с таким ОГРН уже есть в реестре"},
    )
    kpp = models.CharField("КПП", max_length=9, blank=True, validators=[validate_kpp])
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=255, blank=True)
    source_kind = source_kind_field(db_index=False)  # a plain index in Meta: lists filter real from synthetic
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a plain index in Meta: matched by code only, never by LIKE
        related_name="organizations",
        verbose_name="регион",
    )
    okved = models.ForeignKey(
        "registry.Okved",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="основной ОКВЭД2",
    )
    size = models.CharField("категория", max_length=8, choices=SizeCategory.choices, blank=True)
    technological_company = models.BooleanField("технологическая компания (МТК)", null=True, blank=True)
    industrial_producer = models.BooleanField("производитель промышленной продукции", null=True, blank=True)
    spic_version = models.CharField("СПИК", max_length=4, choices=SpicVersion.choices, blank=True)
    spic_since = models.DateField("СПИК с", null=True, blank=True)
    spic_until = models.DateField("СПИК по", null=True, blank=True)
    note = models.TextField("примечание", blank=True, help_text="Известные факты, не имеющие своего поля, с источником")
    premium_reduced_since = models.DateField(
        "пониженный тариф взносов с",
        null=True,
        blank=True,
        help_text="Начало применения пониженного тарифа; по умолчанию — дата СПИК",
    )
    # History is read by record id and date only; its other indexes would slow every bulk import.
    history = HistoricalRecords(no_db_index=["source_kind", "region", "okved", "inn", "ogrn"])

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name", "full_name"]
        indexes = [
            models.Index(fields=["size"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["region"], name="org_region"),
            models.Index(fields=["source_kind"], name="org_source_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=choice_check("kind", OrganizationKind), name="org_kind_valid"),
            models.CheckConstraint(
                condition=choice_check("size", SizeCategory, allow_blank=True), name="org_size_valid"
            ),
            models.CheckConstraint(
                condition=choice_check("spic_version", SpicVersion, allow_blank=True), name="org_spic_version_valid"
            ),
            models.CheckConstraint(
                condition=Q(spic_since__isnull=True)
                | Q(spic_until__isnull=True)
                | Q(spic_until__gte=models.F("spic_since")),
                name="org_spic_dates_ordered",
                violation_error_message="СПИК по: дата окончания раньше даты начала",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.full_name

    @property
    def name(self) -> str:
        return self.short_name or self.full_name

    def clean(self) -> None:
        errors = {}
        if self.inn and self.ogrn and len(self.inn) != {13: 10, 15: 12}.get(len(self.ogrn), len(self.inn)):
            errors["ogrn"] = "ОГРН: у организации 13 цифр при ИНН из 10, у ИП 15 цифр (ОГРНИП) при ИНН из 12"
        if self.spic_since and self.spic_until and self.spic_until < self.spic_since:
            errors["spic_until"] = "СПИК по: дата окончания раньше даты начала"
        if self.spic_version in ("1.0", "2.0") and not self.spic_since:
            errors["spic_since"] = "СПИК с: укажите дату заключения контракта"
        if self.spic_version == SpicVersion.NONE and (self.spic_since or self.spic_until):
            errors["spic_version"] = "СПИК: даты указаны, а вид контракта — «нет СПИК»"
        if errors:
            raise ValidationError(errors)


class OrganizationYear(RegistryModel):
    """An organisation's figures for one year, kept per year and never overwritten by the next year's."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="years", verbose_name="организация"
    )
    year = models.PositiveSmallIntegerField("год")
    headcount = models.PositiveIntegerField("среднесписочная численность", null=True, blank=True)
    revenue_rub = MoneyField("выручка, ₽", null=True, blank=True)
    payroll_rub = MoneyField("фонд оплаты труда, ₽", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатели организации за год"
        verbose_name_plural = "показатели организаций по годам"
        ordering = ["organization_id", "-year"]  # by the column: ordering by "organization" joins its names
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="org_year_unique",
                violation_error_message="Год: показатели за этот год уже внесены",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="org_year_range",
                violation_error_message="Год: от 1990 до 2100",
            ),
            models.CheckConstraint(
                condition=Q(revenue_rub__isnull=True) | Q(revenue_rub__gte=0),
                name="org_year_revenue_nonneg",
                violation_error_message="Выручка: не может быть отрицательной",
            ),
            models.CheckConstraint(
                condition=Q(payroll_rub__isnull=True) | Q(payroll_rub__gte=0),
                name="org_year_payroll_nonneg",
                violation_error_message="ФОТ: не может быть отрицательным",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"
