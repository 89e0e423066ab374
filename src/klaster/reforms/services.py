"""Scenario records and simulation runs: validation, saving, running inline or in the background.

The background runner is a thread of the serving process (nothing beyond `make run` to start). It
writes its progress to the run's row, so any worker can show it; a run whose heartbeat stopped (the
server restarted) is reported as interrupted, never as running forever.
"""

import logging
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from pydantic import ValidationError

from klaster.core.access import require
from klaster.reforms.models import RunStatus, ScenarioRecord, SimulationRun
from klaster.rules.reforms.scenario import Scenario, ScenarioError, built_in_names, parse, validate
from klaster.rules.version import rules_version
from klaster.simulation.params import RunParams
from klaster.simulation.population import Population, PopulationError, from_directory

INLINE_FIRMS = 5_000  # registries up to this size are computed within the request
STALE = timedelta(minutes=10)
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_threads: dict[int, threading.Thread] = {}
log = logging.getLogger(__name__)


class RunError(ValueError):
    """Bad input for a run or a scenario: `errors` in the API's shape (loc, msg)."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__("; ".join(e["msg"] for e in errors))


def _error(loc: list, msg: str) -> RunError:
    return RunError([{"loc": loc, "type": "value_error", "msg": msg}])


# ----- scenarios -----------------------------------------------------------------------------------


def resolve(ref: str, loc: list) -> str | Scenario:
    """A saved record by name, else a built-in scenario by name."""
    record = ScenarioRecord.objects.filter(name=ref).first()
    if record is not None:
        return record_scenario(record)
    if ref in built_in_names():
        return ref
    raise _error(loc, f"Сценарий «{ref}» не найден; встроенные: {', '.join(built_in_names())}")


def record_scenario(record: ScenarioRecord) -> Scenario:
    return parse(record.name, {"title": record.title, "changes": record.changes, "not_modelled": record.not_modelled})


def scenario_list() -> list[dict]:
    from klaster.rules.reforms.scenario import load, to_dict

    out = [{"name": n, "built_in": True, **to_dict(load(n))} for n in built_in_names()]
    for record in ScenarioRecord.objects.all():
        out.append({"name": record.name, "built_in": False, **to_dict(record_scenario(record))})
    return out


@transaction.atomic
def scenario_create(*, user, name: str, title: str, changes: list[dict], **fields) -> ScenarioRecord:
    require(user, "add", ScenarioRecord)
    if not NAME.match(name or ""):
        raise _error(["name"], "Код: латиница в нижнем регистре, цифры, _ и -, до 80 знаков")
    if name in built_in_names() or ScenarioRecord.objects.filter(name=name).exists():
        raise _error(["name"], f"Сценарий «{name}» уже есть")
    if not title.strip():
        raise _error(["title"], "Название обязательно")
    if not changes:
        raise _error(["changes"], "Нужно хотя бы одно изменение параметра")
    for i, change in enumerate(changes):
        if not change.get("in_force_from"):
            raise _error(["changes", i, "in_force_from"], f"Изменение {i + 1}: укажите дату вступления в силу")
        if change.get("value") is None:
            raise _error(["changes", i, "value"], f"Изменение {i + 1}: укажите новое значение")
    try:
        scenario = parse(name, {"title": title, "changes": changes})
        for i, change in enumerate(scenario.changes):
            try:
                validate(Scenario(name, title, (change,)))
            except ScenarioError as exc:
                raise _error(["changes", i], str(exc)) from None
    except ScenarioError as exc:
        raise _error(["changes"], str(exc)) from None
    clean = [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in c.items() if v not in (None, "")}
        for c in changes
    ]
    return ScenarioRecord.objects.create(name=name, title=title, changes=clean, created_by=_user(user), **fields)


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


# ----- runs ----------------------------------------------------------------------------------------


def populations_root() -> Path:
    return Path(settings.VAR_DIR) / "populations"


def population_choices() -> list[str]:
    root = populations_root()
    dirs = sorted(p.name for p in root.iterdir() if (p / "firms.parquet").is_file()) if root.is_dir() else []
    return ["registry", *dirs]


def load_population(name: str) -> Population:
    if name == "registry":
        from klaster.registry.population import registry_population

        return registry_population()
    if name not in population_choices():
        raise PopulationError(f"Популяция «{name}» не найдена в {populations_root()}")
    return from_directory(populations_root() / name)


def run_create(
    *, user, scenario: list[str], baseline: list[str], population: str = "registry", params: dict | None = None,
    sensitivity: bool = True, background: bool | None = None,
) -> SimulationRun:  # fmt: skip
    """Validate and save a run, then compute it: inline when small, else in the background."""
    if not scenario:
        raise _error(["scenario"], "Выберите хотя бы один сценарий")
    refs = [resolve(r, ["scenario", i]) for i, r in enumerate(scenario)]
    base = [resolve(r, ["baseline", i]) for i, r in enumerate(baseline)]
    try:
        run_params = RunParams(**(params or {}))
    except ValidationError as exc:
        raise RunError(
            [{"loc": ["params", *e["loc"]], "type": e["type"], "msg": e["msg"]} for e in exc.errors()]
        ) from None
    if population not in population_choices():
        raise _error(["population"], f"Популяция «{population}» не найдена: {', '.join(population_choices())}")
    from klaster.simulation.runner import scenario_text

    run = SimulationRun.objects.create(
        scenario=list(scenario),
        baseline=list(baseline),
        population=population,
        params=run_params.model_dump(mode="json"),
        sensitivity=sensitivity,
        texts={(r.name if isinstance(r, Scenario) else r): scenario_text(r) for r in [*refs, *base]},
        rules_version=rules_version(),
        created_by=_user(user),
    )
    if background is None:
        from klaster.registry.models import Organization

        background = population != "registry" or Organization.objects.count() > INLINE_FIRMS
    if background:
        start(run)
    else:
        execute(run.pk)
        run.refresh_from_db()
    return run


def start(run: SimulationRun) -> threading.Thread:
    thread = threading.Thread(target=_background, args=(run.pk,), name=f"simulation-{run.pk}", daemon=True)
    _threads[run.pk] = thread
    thread.start()
    return thread


def _background(run_id: int) -> None:
    try:
        execute(run_id)
    finally:
        # Close this thread's connection: `close_old_connections` would keep it (CONN_MAX_AGE) after the
        # thread is gone, one idle PostgreSQL session left behind per run.
        connections.close_all()
        _threads.pop(run_id, None)


def execute(run_id: int) -> None:
    """Compute a saved run, writing progress, then its report and files (or the reason it failed)."""
    from klaster.simulation.outputs import write_all
    from klaster.simulation.runner import Spec, simulate

    run = SimulationRun.objects.get(pk=run_id)
    last = [0.0]

    def progress(share: float, text: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or share >= 1.0:
            last[0] = now
            SimulationRun.objects.filter(pk=run_id).update(
                progress=round(share, 4), message=text[:300], heartbeat=timezone.now()
            )

    SimulationRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, heartbeat=timezone.now())
    try:
        refs = [resolve(r, ["scenario"]) for r in run.scenario]
        base = [resolve(r, ["baseline"]) for r in run.baseline]
        spec = Spec(refs, base, RunParams(**run.params), run.engine)  # type: ignore[arg-type]
        report, per_firm = simulate(load_population(run.population), spec, progress, run.sensitivity)
        out = Path(settings.VAR_DIR) / "simulations" / str(run_id)
        files = write_all(report, per_firm, out)
        from klaster.reforms.pdf import write_pdf

        files["pdf"] = write_pdf(report, out / "report.pdf")
        SimulationRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, progress=1.0, message="Готово", report=report,
            files={k: str(v) for k, v in files.items()}, finished=timezone.now(),
        )  # fmt: skip
    except (ScenarioError, PopulationError, RunError, ValueError) as exc:
        _fail(run_id, str(exc))
    except Exception as exc:  # a failed run must say so, never stay "running"
        log.exception("simulation %s failed", run_id)
        _fail(run_id, f"Внутренняя ошибка расчёта: {exc.__class__.__name__}: {exc}")


def _fail(run_id: int, message: str) -> None:
    SimulationRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=message, finished=timezone.now())


def state(run: SimulationRun) -> str:
    """The status to show: a run whose heartbeat stopped long ago was interrupted (server restart)."""
    if run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
        beat = run.heartbeat or run.created
        if timezone.now() - beat > STALE and run.pk not in _threads:
            return "interrupted"
    return run.status
