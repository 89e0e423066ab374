"""Concessional loans: the industrial mortgage (ПП № 1570) and the cluster investment platform (ПП № 295)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from klaster.core.models import RegistryModel
from klaster.core.money import MoneyField
from klaster.registry.choices import LoanProgramme, LoanPurpose, choice_check


class Loan(RegistryModel):
    """A concessional loan of an organisation; every field the loan rules read, unknown when empty."""

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="loans", verbose_name="заёмщик"
    )
    programme = models.CharField("программа", max_length=32, choices=LoanProgramme.choices)
    lender = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans_given",
        verbose_name="кредитор",
    )
    lender_authorised = models.BooleanField("уполномоченный банк", null=True, blank=True)
    amount_rub = MoneyField("сумма, ₽")
    term_years = models.DecimalField("срок, лет", max_digits=5, decimal_places=2)
    signed_on = models.DateField("дата договора")
    purpose = models.CharField("цель", max_length=16, choices=LoanPurpose.choices, blank=True)
    property_area_m2 = models.DecimalField(
        "площадь объекта, м²", max_digits=14, decimal_places=2, null=True, blank=True
    )
    property_cost_rub = MoneyField("стоимость объекта, ₽", null=True, blank=True)
    property_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="регион объекта",
    )
    project_cost_rub = MoneyField("стоимость проекта, ₽", null=True, blank=True)
    investment_phase_years = models.DecimalField(
        "инвестиционная фаза, лет", max_digits=5, decimal_places=2, null=True, blank=True
    )
    priority_product = models.BooleanField("продукция из перечня приоритетной", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "льготный кредит"
        verbose_name_plural = "льготные кредиты"
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(condition=choice_check("programme", LoanProgramme), name="loan_programme_valid"),
            models.CheckConstraint(
                condition=choice_check("purpose", LoanPurpose, allow_blank=True), name="loan_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_rub__gt=0),
                name="loan_amount_positive",
                violation_error_message="Сумма: должна быть больше нуля",
            ),
            models.CheckConstraint(
                condition=Q(term_years__gt=0),
                name="loan_term_positive",
                violation_error_message="Срок: должен быть больше нуля",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()}: {self.organization}, {self.amount_rub} ₽"
