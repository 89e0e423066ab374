"""Reform scenarios and simulation runs. Logic lives in klaster.reforms.services and klaster.simulation."""

from datetime import date
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status

from klaster.api.auth import ApiAuth
from klaster.reforms import services
from klaster.reforms.models import SimulationRun

router = Router(tags=["Реформы"])


class ChangeIn(Schema):
    parameter: str
    value: Any
    in_force_from: date
    in_force_until: date | None = None
    source: str = ""
    reference: str = ""
    confidence: str = "secondary"
    unit: str | None = None
    assumption: bool = True


class ScenarioIn(Schema):
    name: str
    title: str
    description: str = ""
    author: str = ""
    source: str = ""
    changes: list[ChangeIn]


class SimulationIn(Schema):
    scenario: list[str]
    baseline: list[str] = []
    population: str = "registry"
    params: dict[str, Any] = {}
    sensitivity: bool = True
    background: bool | None = None


class SimulationOut(Schema):
    id: int
    status: str
    progress: float
    message: str
    scenario: list[str]
    baseline: list[str]
    population: str
    params: dict[str, Any]
    rules_version: str
    error: str
    files: dict[str, str]
    report: dict[str, Any] | None


def _unprocessable(exc: services.RunError) -> JsonResponse:
    detail = [{**e, "loc": ["body", *e["loc"]]} for e in exc.errors]
    return JsonResponse({"detail": detail}, status=422, json_dumps_params={"ensure_ascii": False})


def _out(request: HttpRequest, run: SimulationRun) -> dict:
    files = {
        kind: request.build_absolute_uri(reverse("web:reform_file", args=[run.pk, kind])) for kind in run.files or {}
    }
    return {
        "id": run.pk,
        "status": services.state(run),
        "progress": run.progress,
        "message": run.message,
        "scenario": run.scenario,
        "baseline": run.baseline,
        "population": run.population,
        "params": run.params,
        "rules_version": run.rules_version,
        "error": run.error,
        "files": files,
        "report": run.report,
    }


@router.get("/scenarios")
def scenarios(request: HttpRequest):
    """Встроенные и сохранённые сценарии с изменениями параметров."""
    return services.scenario_list()


@router.post("/scenarios", response={201: dict}, auth=ApiAuth)
def scenario_create(request: HttpRequest, payload: ScenarioIn):
    """Сохранить сценарий; каждое изменение проверяется по дереву параметров."""
    data = payload.dict()
    try:
        record = services.scenario_create(user=request.user, **data)
    except services.RunError as exc:
        return _unprocessable(exc)
    return Status(201, {"name": record.name, "title": record.title, "changes": record.changes})


@router.post("/simulations", response={200: SimulationOut, 202: SimulationOut})
def simulation_create(request: HttpRequest, payload: SimulationIn):
    """Запустить расчёт: небольшой — сразу (200), большой — в фоне (202; ход — GET /simulations/{id})."""
    try:
        run = services.run_create(user=request.user, **payload.dict())
    except services.RunError as exc:
        return _unprocessable(exc)
    return Status(200 if run.status in ("done", "failed") else 202, _out(request, run))


@router.get("/simulations", response=list[SimulationOut])
def simulation_list(request: HttpRequest):
    """Последние 50 расчётов (без отчётов)."""
    return [{**_out(request, run), "report": None} for run in SimulationRun.objects.defer("report")[:50]]


@router.get("/simulations/{run_id}", response=SimulationOut)
def simulation_detail(request: HttpRequest, run_id: int):
    """Состояние, ход и (когда готово) отчёт расчёта."""
    return _out(request, get_object_or_404(SimulationRun, pk=run_id))
