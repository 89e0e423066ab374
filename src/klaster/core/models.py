"""The base of every registry record (timestamps, provenance, no hard delete) and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class SourceKind(models.TextChoices):
    """Where a record came from: a user filters real records from synthetic ones by this."""

    MANUAL = "manual", "Ввод вручную"
    FILE = "file", "Файл"
    NEWS = "news", "Новость"
    DEMO = "demo", "Демонстрационные данные"
    SYNTHETIC = "synthetic", "Синтетические данные"


class RegistryQuerySet(models.QuerySet):
    """Registry records are never hard-deleted; only synthetic records may be purged in bulk."""

    def delete(self):
        if self.exclude(source_kind=SourceKind.SYNTHETIC).exists():
            raise PermissionDenied(
                "Записи реестра не удаляются: исключение из реестра или выход участника — это датированное событие."
            )
        return super().delete()


def source_kind_field(*, db_index: bool = True) -> models.CharField:
    """The record's source kind. A table that bulk imports fill declares it without `db_index` (and, where
    lists filter by it, a plain `Index` in its Meta): on PostgreSQL `db_index` adds a second,
    `varchar_pattern_ops` copy for LIKE that no query here uses, and each index slows every row written."""
    return models.CharField(
        "вид источника", max_length=16, choices=SourceKind.choices, default=SourceKind.MANUAL, db_index=db_index
    )


class RegistryModel(models.Model):
    """Abstract base: created/updated stamps and the record's source (a file, a news item, demo, synthetic)."""

    created = models.DateTimeField("создано", auto_now_add=True)
    updated = models.DateTimeField("изменено", auto_now=True)
    source_kind = source_kind_field()
    source = models.CharField("источник", max_length=500, blank=True, help_text="Файл, новость или ссылка")

    objects = RegistryQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        if self.source_kind != SourceKind.SYNTHETIC:
            raise PermissionDenied("Записи реестра не удаляются.")
        return super().delete(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for API writes by scripts; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="пользователь"
    )
    name = models.CharField("назначение", max_length=100, blank=True)
    key_hash = models.CharField("хеш ключа", max_length=64, unique=True, editable=False)
    prefix = models.CharField("начало ключа", max_length=8, editable=False)
    created = models.DateTimeField("создан", auto_now_add=True)
    last_used = models.DateTimeField("последнее использование", null=True, blank=True)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), prefix=key[:8])
        return token, key
