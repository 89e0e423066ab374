"""Yearly indicators of sites and figures reported in public sources."""

from django.db import models
from simple_history.models import HistoricalRecords

from klaster.core.models import RegistryModel
from klaster.registry.choices import IndicatorKind, choice_check


class Indicator(RegistryModel):
    """A yearly value of a site (participants, output, exports, employment, investment, import substitution)."""

    site = models.ForeignKey(
        "registry.Site", on_delete=models.PROTECT, related_name="indicators", verbose_name="площадка"
    )
    year = models.PositiveSmallIntegerField("год")
    kind = models.CharField("показатель", max_length=32, choices=IndicatorKind.choices)
    value = models.DecimalField("значение", max_digits=20, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель площадки"
        verbose_name_plural = "показатели площадок"
        ordering = ["site", "year", "kind"]
        constraints = [
            models.CheckConstraint(condition=choice_check("kind", IndicatorKind), name="indicator_kind_valid"),
            models.UniqueConstraint(
                fields=["site", "year", "kind"],
                name="indicator_unique",
                violation_error_message="Показатель за этот год уже внесён",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.year}: {self.get_kind_display()} = {self.value}"


class ReportedFigure(RegistryModel):
    """A figure stated in a public source rather than computed from records ("61 кластер на 29.05.2024").

    Pages show these beside the computed counts; `qualifier` keeps "более" or "до" instead of
    pretending the number is exact.
    """

    class Qualifier(models.TextChoices):
        EXACT = "", "ровно"
        MORE_THAN = "gt", "более"
        UP_TO = "le", "до"

    on = models.DateField("дата")
    metric = models.CharField("что считается (код)", max_length=64, db_index=True)
    what = models.CharField("что считается", max_length=300)
    value = models.DecimalField("значение", max_digits=20, decimal_places=4)
    qualifier = models.CharField("уточнение", max_length=2, choices=Qualifier.choices, blank=True)
    unit = models.CharField("единица", max_length=20, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        verbose_name="регион",
    )
    site = models.ForeignKey(
        "registry.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        verbose_name="площадка",
    )
    note = models.TextField("примечание", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "опубликованный показатель"
        verbose_name_plural = "опубликованные показатели"
        ordering = ["on", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["on", "metric", "source"],
                name="reported_figure_unique",
                violation_error_message="Этот показатель из этого источника уже внесён",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what}: {self.get_qualifier_display()} {self.value} ({self.on:%d.%m.%Y})"
