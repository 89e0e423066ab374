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


def _register() -> None:
    from klaster.cli import data, setup

    setup.register(app)
    data.register(app)


_register()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("Прервано.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
