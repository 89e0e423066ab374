"""Saved scenarios (built in the web page or the API) and simulation runs with everything they used."""

from django.conf import settings
from django.db import models


class ScenarioRecord(models.Model):
    """A scenario kept in the database; the same shape as a YAML file in `rules/reforms/`."""

    name = models.SlugField("код", max_length=80, unique=True, help_text="Латиница, цифры, _ и -")
    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    author = models.CharField("автор", max_length=200, blank=True)
    source = models.CharField("источник", max_length=500, blank=True)
    changes = models.JSONField("изменения параметров", default=list)
    not_modelled = models.JSONField("не моделируется", default=list, blank=True)
    created = models.DateTimeField("создан", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "сценарий"
        verbose_name_plural = "сценарии"
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class RunStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    RUNNING = "running", "Считается"
    DONE = "done", "Готово"
    FAILED = "failed", "Ошибка"


class SimulationRun(models.Model):
    """One run: its inputs, the scenario and baseline texts and the rules version, so it can be recomputed."""

    status = models.CharField("состояние", max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField("ход", default=0.0)
    message = models.CharField("этап", max_length=300, blank=True)
    scenario = models.JSONField("сценарии", default=list)
    baseline = models.JSONField("база", default=list)
    population = models.CharField("популяция", max_length=500, default="registry")
    params = models.JSONField("параметры запуска", default=dict)
    engine = models.CharField("движок", max_length=8, default="local")
    sensitivity = models.BooleanField("чувствительность", default=True)
    texts = models.JSONField("тексты сценариев", default=dict)
    rules_version = models.CharField("версия правил", max_length=64, blank=True)
    report = models.JSONField("отчёт", null=True, blank=True)
    files = models.JSONField("файлы", default=dict, blank=True)
    error = models.TextField("ошибка", blank=True)
    created = models.DateTimeField("создан", auto_now_add=True)
    heartbeat = models.DateTimeField("последний знак жизни", null=True, blank=True)
    finished = models.DateTimeField("завершён", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "расчёт реформы"
        verbose_name_plural = "расчёты реформ"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Расчёт № {self.pk}: {', '.join(self.scenario)}"
