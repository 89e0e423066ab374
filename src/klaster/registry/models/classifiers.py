"""Industry classifiers as reference tables: ОКВЭД2 (activities) and ОКПД2 (products)."""

from django.db import models


class Okved(models.Model):
    """An ОКВЭД2 entry (ОК 029-2014); sections are letters A–U, codes nest by dots (26 → 26.4 → 26.40)."""

    code = models.CharField("код", max_length=12, primary_key=True)
    section = models.CharField("раздел", max_length=1, db_index=True)
    name = models.TextField("наименование")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="вышестоящий код"
    )
    level = models.PositiveSmallIntegerField("уровень")

    class Meta:
        verbose_name = "код ОКВЭД2"
        verbose_name_plural = "ОКВЭД2"
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Okpd(models.Model):
    """An ОКПД2 entry (ОК 034-2014): the product of a joint project is classified by it."""

    code = models.CharField("код", max_length=16, primary_key=True)
    section = models.CharField("раздел", max_length=1, db_index=True)
    name = models.TextField("наименование")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="вышестоящий код"
    )
    level = models.PositiveSmallIntegerField("уровень")

    class Meta:
        verbose_name = "код ОКПД2"
        verbose_name_plural = "ОКПД2"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
