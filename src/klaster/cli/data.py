"""Commands that load data: demo (real objects from the news) and synth (a synthetic registry)."""

from pathlib import Path

import typer
from rich.console import Console

from klaster.cli.main import django_setup

console = Console(stderr=True)


def demo() -> None:
    """Загрузить демонстрационные данные: реальные объекты из новостей и опубликованные показатели."""
    django_setup()
    from klaster.registry.demo import load_demo

    with console.status("Демонстрационные данные…"):
        counts = load_demo()
    changed = sum(counts.values())
    console.print(
        "Демонстрационные данные: "
        + (", ".join(f"{k} {v}" for k, v in counts.items() if v) if changed else "без изменений (уже загружены)")
    )


def synth(
    sites: int = typer.Option(200, "--sites", min=0, help="Число площадок"),
    organizations: int = typer.Option(2000, "--organizations", min=0, help="Число организаций"),
    seed: int = typer.Option(1, "--seed", help="Зерно генератора: один и тот же результат при одном зерне"),
    out: Path = typer.Option(None, "--out", help="Записать Parquet-файлы в каталог вместо базы данных"),
    purge: bool = typer.Option(False, "--purge", help="Удалить все синтетические записи из базы"),
) -> None:
    """Синтетический реестр: организации, площадки, участники, проекты, кредиты, показатели."""
    from klaster.registry.synth import generate
    from klaster.registry.synth.parquet import write_parquet

    if out is not None and not purge:
        population = generate(sites=sites, organizations=organizations, seed=seed, progress=console)
        paths = write_parquet(population, out)
        console.print(f"Записано в {out}: " + ", ".join(f"{p.name}" for p in paths))
        return
    django_setup()
    from klaster.registry.synth import synth_tag
    from klaster.registry.synth.database import SynthConflict, purge_synthetic, synthetic_state, write_database

    if purge:
        with console.status("Удаление синтетических записей…"):
            removed = purge_synthetic()
        console.print(f"Удалено синтетических записей: {removed}")
        return
    try:
        if synthetic_state(synth_tag(seed=seed, organizations=organizations, sites=sites)):
            console.print("Синтетический реестр с этими параметрами уже загружен: без изменений.")
            return
        population = generate(sites=sites, organizations=organizations, seed=seed, progress=console)
        counts = write_database(population, progress=console)
    except SynthConflict as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print("Синтетический реестр: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(synth)
