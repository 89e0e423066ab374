"""Import runs (each a record that can be listed and opened later) and the lock that serialises them."""

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Идёт загрузка"
    DRY_RUN = "dry_run", "Проверка без записи"
    DONE = "done", "Загружено"
    REJECTED = "rejected", "Отклонено: ошибки в файле"
    FAILED = "failed", "Не прочитан"


class ImportKind(models.TextChoices):
    CLUSTERS = "clusters", "промышленные кластеры"
    PARKS = "parks", "индустриальные парки и технопарки"
    SEZ = "sez", "ОЭЗ"
    ORGANIZATIONS = "organizations", "организации"
    SME = "sme", "реестр МСП"
    OKVED = "okved", "ОКВЭД2"
    OKPD = "okpd", "ОКПД2"
    REGIONS = "regions", "субъекты РФ"


class ImportRun(models.Model):
    kind = models.CharField("вид реестра", max_length=16, choices=ImportKind.choices)
    file_name = models.CharField("файл", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.BigIntegerField("размер, байт", default=0)
    dry_run = models.BooleanField("без записи", default=False)
    status = models.CharField("итог", max_length=10, choices=ImportStatus.choices)
    counts = models.JSONField("счёт", default=dict)
    errors = models.JSONField("ошибки", default=list)
    message = models.TextField("сообщение", blank=True)
    created = models.DateTimeField("начат", auto_now_add=True)
    finished = models.DateTimeField("завершён", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "загрузка файла"
        verbose_name_plural = "загрузки файлов"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ImportLock(models.Model):
    """One row; an import updates it first, so a second import waits for the first (both databases)."""

    taken = models.DateTimeField(null=True)
