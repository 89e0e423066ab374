"""`klaster simulate`: a reform scenario against a baseline over a population, with a progress bar."""

import json
import re
import sys
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from klaster.web import formats

console = Console(stderr=True)


def RUB(value: float) -> str:
    return formats.number(value)


def _years(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not match:
        raise typer.BadParameter("годы: 2026-2030 или 2026")
    first = int(match[1])
    return first, int(match[2] or first)


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise typer.BadParameter(f"{what}: ожидается КЛЮЧ=ЗНАЧЕНИЕ, а не «{item}»")
        out[key.strip()] = value.strip()
    return out


def _take_up(items: list[str]) -> dict[str, float]:
    out = {}
    for key, value in _pairs(items, "--take-up").items():
        try:
            out[key] = float(value.replace(",", "."))
        except ValueError:
            raise typer.BadParameter(f"--take-up: «{value}» — не число (доля от 0 до 1)") from None
    return out


def _budget(items: list[str]) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for key, value in _pairs(items, "--budget").items():
        measure, _, year = key.partition(":")
        if not year.isdigit():
            raise typer.BadParameter(f"--budget: ожидается МЕРА:ГОД=РУБЛИ, а не «{key}={value}»")
        try:
            out.setdefault(measure, {})[int(year)] = float(value)
        except ValueError:
            raise typer.BadParameter(f"--budget: «{value}» — не число") from None
    return out


def simulate(
    scenario: list[str] = typer.Option(
        ..., "--scenario", help="Сценарий (имя встроенного или путь к YAML); несколько — применяются по очереди"
    ),
    baseline: list[str] = typer.Option(
        [], "--baseline", help="База: сценарий(и), с которыми сравнивать; по умолчанию — действующие правила"
    ),
    population: Path = typer.Option(None, "--population", help="Каталог популяции (Parquet, klaster synth --out)"),
    registry: bool = typer.Option(False, "--registry", help="Популяция — реестр в базе данных"),
    years: str = typer.Option("2026-2030", "--years", help="Окно: 2026-2030"),
    out: Path = typer.Option(Path("simulation"), "--out", help="Каталог для отчёта и строк по организациям"),
    engine: str = typer.Option("local", "--engine", help="local или dask"),
    scheduler: str = typer.Option(None, "--scheduler", help="Адрес планировщика Dask (иначе LocalCluster)"),
    growth: float = typer.Option(0.05, "--growth", help="Годовой рост выручки, ФОТ и сумм"),
    loan_cohort: int = typer.Option(None, "--loan-cohort", help="Новых кредитов в год"),
    take_up: list[str] = typer.Option([], "--take-up", help="МЕРА=ДОЛЯ, например industrial_mortgage=0.6"),
    take_up_mode: str = typer.Option("expected", "--take-up-mode", help="expected или draw"),
    budget: list[str] = typer.Option(
        [], "--budget", help="МЕРА:ГОД=РУБЛИ, например pp41_start_batch_subsidy:2026=430000000"
    ),
    rationing: str = typer.Option("ranked", "--rationing", help="ranked, pro_rata или first_come"),
    seed: int = typer.Option(1, "--seed"),
    chunk: int = typer.Option(250_000, "--chunk", help="Организаций в порции (память)"),
    sensitivity: bool = typer.Option(
        True, "--sensitivity/--no-sensitivity", help="Пересчёт с другими значениями спорных параметров"
    ),
) -> None:  # fmt: skip
    """Сценарий реформы против базы: стоимость, получатели, разбивки, допущения (отчёт JSON и XLSX)."""
    from klaster.rules.reforms.scenario import ScenarioError
    from klaster.simulation.outputs import write_all
    from klaster.simulation.params import RunParams
    from klaster.simulation.population import PopulationError, from_directory
    from klaster.simulation.runner import Spec
    from klaster.simulation.runner import simulate as run

    if (population is None) == (not registry):
        raise typer.BadParameter("укажите одно: --population КАТАЛОГ или --registry")
    if engine not in ("local", "dask"):
        raise typer.BadParameter("--engine: local или dask")
    try:
        params = RunParams(
            years=_years(years),
            growth=growth,
            loan_cohort=loan_cohort,
            take_up=_take_up(take_up),
            take_up_mode=take_up_mode,
            budget=_budget(budget),
            rationing=rationing,
            seed=seed,
            chunk_firms=chunk,
        )
    except (ValidationError, ValueError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"loc": [], "msg": str(exc)}]
        for e in errors:
            console.print(f"[red]Параметры: {'.'.join(map(str, e['loc']))} — {e['msg']}[/red]")
        raise typer.Exit(2) from None
    try:
        if registry:
            from klaster.cli.main import django_setup

            django_setup()
            from klaster.registry.population import registry_population

            pop = registry_population()
        else:
            pop = from_directory(population)
        spec = Spec(list(scenario), list(baseline), params, engine, scheduler)  # type: ignore[arg-type]
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeElapsedColumn(), console=console) as bar:  # fmt: skip
            task = bar.add_task("Расчёт", total=1.0)
            report, per_firm = run(
                pop, spec, lambda share, text: bar.update(task, completed=share, description=text[:60]), sensitivity
            )
    except (ScenarioError, PopulationError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    files = write_all(report, per_firm, out)
    _print(report)
    console.print("Файлы: " + ", ".join(str(p) for p in files.values()))


def _print(report: dict) -> None:
    out = Console(width=None if sys.stdout.isatty() else 150)
    out.print(f"[bold]{report['title']}[/bold]  годы {report['years'][0]}–{report['years'][-1]}")
    table = Table("Мера", "База, 1-й год ₽", "Сценарий, 1-й год ₽", "База за окно ₽", "Сценарий за окно ₽",
                  "Приобрели", "Потеряли", "Неизвестно")  # fmt: skip
    for m in report["measures"]:
        table.add_row(
            m["title"], RUB(m["baseline"]["cost_first_year_rub"]), RUB(m["scenario"]["cost_first_year_rub"]),
            RUB(m["baseline"]["cost_window_rub"]), RUB(m["scenario"]["cost_window_rub"]),
            f"{m['gained']:g}", f"{m['lost']:g}", f"{m['unknown']:g}",
        )  # fmt: skip
    t = report["total"]
    table.add_row("Итого", RUB(t["baseline"]["cost_first_year_rub"]), RUB(t["scenario"]["cost_first_year_rub"]),
                  RUB(t["baseline"]["cost_window_rub"]), RUB(t["scenario"]["cost_window_rub"]), "", "", "")  # fmt: skip
    out.print(table)
    for line in report["budget"]["scenario"]:
        share = "—" if line["funded_share"] is None else f"{formats.number(line['funded_share'] * 100, 1)} %"
        limit = "не установлен" if line["budget_rub"] is None else f"{RUB(line['budget_rub'])} ₽"
        out.print(f"Лимит {line['measure']} {line['year']}: спрос {RUB(line['demand_rub'])} ₽, "
                  f"лимит {limit}, профинансировано {share}")  # fmt: skip
    for item in report["not_modelled"]:
        out.print(f"Не моделируется: {item['item']}")
    out.print(json.dumps({"delta_window_rub": t["delta_window_rub"]}, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
