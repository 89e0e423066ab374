"""Joint cluster projects with their participants, cost lines and start-batch purchases."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from klaster.core.models import RegistryModel
from klaster.core.money import MoneyField
from klaster.registry.choices import CostType, ProjectRole, ProjectStage, ProjectStatus, choice_check


class JointProject(RegistryModel):
    """A joint project (совместный проект) of cluster participants, often for import substitution."""

    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="projects", verbose_name="кластер")
    title = models.CharField("название", max_length=500)
    product = models.CharField("продукция", max_length=500, blank=True)
    okpd = models.ForeignKey(
        "registry.Okpd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="ОКПД2 продукции",
    )
    import_substitution = models.BooleanField("импортозамещение", null=True, blank=True)
    stage = models.CharField("стадия", max_length=8, choices=ProjectStage.choices, blank=True)
    status = models.CharField("состояние", max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    start_date = models.DateField("начало", null=True, blank=True)
    end_date = models.DateField("окончание", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "совместный проект"
        verbose_name_plural = "совместные проекты"
        ordering = ["site", "title"]
        constraints = [
            models.CheckConstraint(
                condition=choice_check("stage", ProjectStage, allow_blank=True), name="project_stage_valid"
            ),
            models.CheckConstraint(condition=choice_check("status", ProjectStatus), name="project_status_valid"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_dates_ordered",
                violation_error_message="Окончание: раньше начала",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Окончание: раньше начала"})


class ProjectParticipant(RegistryModel):
    """A firm's role in a joint project; a firm may be in many projects and in several roles."""

    project = models.ForeignKey(
        JointProject, on_delete=models.PROTECT, related_name="participants", verbose_name="проект"
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="project_roles", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=12, choices=ProjectRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник проекта"
        verbose_name_plural = "участники проектов"
        constraints = [
            models.CheckConstraint(condition=choice_check("role", ProjectRole), name="project_role_valid"),
            models.UniqueConstraint(
                fields=["project", "organization", "role"],
                name="project_participant_unique",
                violation_error_message="Организация уже участвует в проекте в этой роли",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}"


class ProjectCost(RegistryModel):
    """A cost line of a joint project by cost type (R&D, equipment, tooling, certification, other)."""

    project = models.ForeignKey(JointProject, on_delete=models.PROTECT, related_name="costs", verbose_name="проект")
    cost_type = models.CharField("вид затрат", max_length=16, choices=CostType.choices)
    amount_rub = MoneyField("сумма, ₽")
    year = models.PositiveSmallIntegerField("год", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "статья затрат проекта"
        verbose_name_plural = "затраты проектов"
        constraints = [
            models.CheckConstraint(condition=choice_check("cost_type", CostType), name="project_cost_type_valid"),
            models.CheckConstraint(
                condition=Q(amount_rub__gte=0),
                name="project_cost_nonneg",
                violation_error_message="Сумма: не может быть отрицательной",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cost_type_display()}: {self.amount_rub} ₽"


class StartBatchPurchase(RegistryModel):
    """A purchase of a start batch from another participant: what the ПП № 41 subsidy reimburses."""

    project = models.ForeignKey(JointProject, on_delete=models.PROTECT, related_name="purchases", verbose_name="проект")
    buyer = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="batch_purchases", verbose_name="покупатель"
    )
    supplier = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="batch_sales", verbose_name="поставщик"
    )
    amount_rub = MoneyField("сумма, ₽")
    date = models.DateField("дата")
    documented = models.BooleanField("подтверждена документами", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "закупка стартовой партии"
        verbose_name_plural = "закупки стартовых партий"
        ordering = ["project", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_rub__gt=0),
                name="purchase_amount_positive",
                violation_error_message="Сумма: должна быть больше нуля",
            ),
            models.CheckConstraint(
                condition=~Q(buyer=F("supplier")),
                name="purchase_buyer_not_supplier",
                violation_error_message="Поставщик: покупатель не может покупать у себя",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ← {self.supplier}: {self.amount_rub} ₽"

    def clean(self) -> None:
        if self.buyer_id and self.buyer_id == self.supplier_id:
            raise ValidationError({"supplier": "Поставщик: покупатель не может покупать у себя"})
