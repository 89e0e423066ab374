"""`klaster import` and `klaster export`: registry files in and out, in the same layouts."""

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from klaster.cli.main import django_setup

console = Console(stderr=True)
KINDS = "organizations, clusters, parks, sez, sme, okved, okpd, regions"


def import_(
    kind: str = typer.Argument(..., help=f"Вид реестра: {KINDS}"),
    file: Path = typer.Argument(..., help="CSV, XLSX или JSON"),
    mapping: Path = typer.Option(None, "--mapping", help="YAML: columns: {Заголовок: поле}"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Проверить и показать, что изменится, ничего не записывая"),
    errors_xlsx: Path = typer.Option(None, "--errors-xlsx", help="Записать ошибки в XLSX"),
) -> None:
    """Загрузить реестр из файла: сначала проверка всех строк, затем запись всего или ничего."""
    django_setup()
    from klaster.exchange.importer import KINDS as known
    from klaster.exchange.importer import import_file
    from klaster.exchange.report import counts_text
    from klaster.exchange.report import errors_xlsx as write_errors

    if kind not in known:
        raise typer.BadParameter(f"вид реестра «{kind}»; допустимо: {KINDS}")
    if not file.is_file():
        raise typer.BadParameter(f"файл {file} не найден")
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("проверка", total=1.0)

        def shown(rows: int, stage: str, share: float | None) -> None:
            """The share of the file checked; the writing that follows has no measure: a moving bar."""
            text = f"{stage}: строк {rows:,}".replace(",", " ")
            bar.update(task, description=text, completed=share or 0, total=None if share is None else 1.0)

        run = import_file(file, kind, mapping=mapping, dry_run=dry_run, progress=shown)
    out = Console()
    out.print(f"[bold]{run.get_status_display()}[/bold]: {run.message} (загрузка № {run.pk}, sha256 {run.sha256[:16]})")
    if run.counts:
        out.print(counts_text(run.counts))
    if run.errors:
        table = Table("Строка", "Столбец", "Значение", "Причина")
        for e in run.errors[:50]:
            table.add_row(str(e["row"]), e["column"], e["value"], e["reason"])
        out.print(table)
        if len(run.errors) > 50:
            out.print(f"… и ещё {len(run.errors) - 50}; все — в --errors-xlsx")
        if errors_xlsx:
            write_errors(run.errors, errors_xlsx)
            out.print(f"Ошибки записаны в {errors_xlsx}")
    if run.status in ("rejected", "failed"):
        raise typer.Exit(1)


def export(
    kind: str = typer.Argument(..., help=f"Вид реестра: {KINDS}"),
    fmt: str = typer.Option("xlsx", "--format", help="csv, xlsx или json"),
    out: Path = typer.Option(..., "--out", help="Файл"),
) -> None:
    """Выгрузить реестр в том же виде, в каком его принимает klaster import."""
    django_setup()
    from klaster.exchange import export as exporter

    if kind not in exporter.SITE_KINDS and kind != "organizations":
        raise typer.BadParameter(f"вид реестра «{kind}»; допустимо: {KINDS}")
    if fmt not in ("csv", "xlsx", "json"):
        raise typer.BadParameter("--format: csv, xlsx или json")
    with console.status("Выгрузка…"):
        n = exporter.write(kind, fmt, out)
    console.print(f"Записано строк: {n} → {out}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
