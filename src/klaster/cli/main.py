"""The `klaster` command: one entry point for setting up, loading data, serving and evaluating."""

import os
import sys

import typer

app = typer.Typer(
    name="klaster",
    help="Klaster: реестры промышленных кластеров, парков, технопарков и ОЭЗ и меры поддержки как код.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def django_setup() -> None:
    """Every command needs the ORM; settings come from the environment (DATABASE_URL ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    import django

    django.setup()


def _organization_input(id_or_inn: str, on):
    """The rules' input for a registered organisation, found by id or by ИНН."""
    from datetime import date

    django_setup()
    from klaster.registry.contract import organization_input
    from klaster.registry.models import Organization

    key = id_or_inn.strip()
    org = Organization.objects.filter(inn=key).first() if len(key) in (10, 12) else None
    if org is None and key.isdigit():
        org = Organization.objects.filter(pk=int(key)).first()
    if org is None:
        raise LookupError(f"Организация «{key}» не найдена: укажите id или ИНН")
    return organization_input(org, on or date.today())


def _register() -> None:
    from klaster.cli import data, exchange, setup, simulate
    from klaster.cli import eval as eval_cli

    setup.register(app)
    data.register(app)
    eval_cli.register(app, organization_input=_organization_input)
    simulate.register(app)
    exchange.register(app)


_register()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("Прервано.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
