"""Federal subjects of Russia: the reference table every record's region points to."""

from django.db import models

from klaster.registry.choices import FederalDistrict, choice_check


class Region(models.Model):
    """A federal subject (субъект РФ), keyed by its 2-digit code (40 = Калужская область).

    ISO 3166-2 has no codes for the four subjects admitted in 2022 (90, 93, 94, 95), so `iso_code`
    is empty for them; they are still addressed by their subject code everywhere.
    """

    code = models.CharField("код субъекта", max_length=2, primary_key=True)
    iso_code = models.CharField("код ISO 3166-2", max_length=8, unique=True, null=True, blank=True)
    okato = models.CharField("ОКАТО", max_length=11, blank=True)
    name = models.CharField("название", max_length=100, unique=True)
    type = models.CharField("тип", max_length=30, blank=True)
    name_with_type = models.CharField("полное название", max_length=150)
    federal_district = models.CharField("федеральный округ", max_length=20, choices=FederalDistrict.choices)
    capital = models.CharField("административный центр", max_length=100, blank=True)
    population = models.PositiveIntegerField("население", null=True, blank=True)
    population_on = models.DateField("население на дату", null=True, blank=True)

    class Meta:
        verbose_name = "субъект РФ"
        verbose_name_plural = "субъекты РФ"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=choice_check("federal_district", FederalDistrict), name="region_federal_district_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name_with_type
