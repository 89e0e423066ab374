"""`klaster eval INPUT.json`: every measure for the firms, sites, projects and loans of a JSON file."""

import json
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import ValidationError

STATUS = {"passed": ("green", "выполнено"), "failed": ("red", "не выполнено"), "unknown": ("yellow", "неизвестно")}


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def _fail(errors: list[dict]) -> None:
    """Field path and reason on stderr, exit code 2 (conventions, section 8)."""
    for error in errors:
        loc = ".".join(str(part) for part in error.get("loc", []))
        typer.echo(f"{loc or 'вход'}: {error.get('msg')}", err=True)
    raise typer.Exit(2)


def _pydantic_errors(exc: ValidationError) -> list[dict]:
    return [
        {"loc": list(e["loc"]), "type": e["type"], "msg": e["msg"].removeprefix("Value error, ")} for e in exc.errors()
    ]


def _table(output) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for r in output.results:
        verdict = {True: "[green]да[/]", False: "[red]нет[/]", None: "[yellow]неизвестно[/]"}[r.eligible]
        amount = "—" if r.amount_rub is None else f"{r.amount_rub:,.2f} ₽".replace(",", " ")
        table = Table(
            title=f"{r.measure} · {r.entity} {r.id} · {r.period} · право: {verdict} · сумма: {amount}",
            title_justify="left",
            show_lines=False,
        )
        table.add_column("Условие")
        table.add_column("Статус")
        table.add_column("Основание")
        for c in r.conditions:
            style, text = STATUS[c.status]
            table.add_row(c.label, f"[{style}]{text}[/]", c.reference)
        console.print(table)
        if r.by_year:
            years = ", ".join(
                f"{y}: {'—' if v is None else f'{v:,.0f}'.replace(',', ' ')}" for y, v in r.by_year.items()
            )
            console.print(f"  По годам: {years}")
        for note in r.assumptions:
            console.print(f"  [dim]Допущение: {note}[/]")
    console.print(f"Версия правил: {output.rules_version}")


# Set by `register(app, organization_input=...)`: (ID or ИНН, date or None) → contract dict.
_organization_input: Callable[[str, date | None], dict] | None = None


def eval_command(
    input_file: Path | None = typer.Argument(None, help="JSON по контракту docs/eval.md"),
    organization: str | None = typer.Option(None, "--organization", help="ID или ИНН организации из реестра"),
    on: str | None = typer.Option(None, "--date", help="Дата расчёта ГГГГ-ММ-ДД (по умолчанию — из файла)"),
    scenario: str | None = typer.Option(None, "--scenario", help="Имя встроенного сценария или путь к YAML"),
    output_format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json или table"),
) -> None:
    """Меры поддержки и требования реестров для входного JSON: право, сумма и основания."""
    from klaster.rules.contract import ContractError, EvalInput, evaluate

    if (input_file is None) == (organization is None):
        _fail([{"loc": ["INPUT"], "msg": "укажите файл INPUT.json или --organization"}])
    if organization is not None:
        if _organization_input is None:
            _fail([{"loc": ["--organization"], "msg": "ввод из реестра недоступен"}])
        try:
            raw = _organization_input(organization, date.fromisoformat(on) if on else None)
        except (LookupError, ValueError) as exc:
            _fail([{"loc": ["--organization"], "msg": str(exc)}])
    else:
        try:
            raw = json.loads(input_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            _fail([{"loc": [str(input_file)], "msg": f"не удаётся прочитать JSON: {exc}"}])
    try:
        inp = EvalInput.model_validate(raw)
        day = date.fromisoformat(on) if on else None
    except ValidationError as exc:
        _fail(_pydantic_errors(exc))
    except ValueError:
        _fail([{"loc": ["--date"], "msg": "ожидается дата ГГГГ-ММ-ДД"}])
    try:
        output = evaluate(inp, scenario=scenario, on=day)
    except ContractError as exc:
        _fail(exc.errors)
    if output_format is OutputFormat.table:
        _table(output)
    else:
        sys.stdout.write(output.model_dump_json(indent=2) + "\n")


def register(app: typer.Typer, organization_input: Callable[[str, date | None], dict] | None = None) -> None:
    """Adds `eval` to the `klaster` command (klaster.cli.main). `organization_input(id_or_inn, on)`
    returns the contract dict for `--organization` (the registry builds it; the rules never import
    Django); it may raise LookupError or ValueError with a Russian message (exit code 2)."""
    global _organization_input
    _organization_input = organization_input
    app.command("eval")(eval_command)
