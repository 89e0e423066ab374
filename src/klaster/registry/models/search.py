"""The search index: one row of lemmas per site, organisation and project (see registry/search.py)."""

from django.db import models


class SearchDocument(models.Model):
    """Lemmas of a registry object; derived data, rebuilt at will with `klaster init --reindex`."""

    kind = models.CharField("вид", max_length=16)
    object_id = models.BigIntegerField("id объекта")
    title = models.CharField("заголовок", max_length=500)
    lemmas = models.TextField("леммы")

    class Meta:
        verbose_name = "документ поискового индекса"
        verbose_name_plural = "поисковый индекс"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
