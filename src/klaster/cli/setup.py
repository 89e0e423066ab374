"""Commands that set up and serve Klaster: init, serve, createsuperuser, token."""

import os
import shutil
import sys
from pathlib import Path

import typer
from rich.console import Console

from klaster.cli.main import django_setup

console = Console(stderr=True)


def init(
    force: bool = typer.Option(False, "--force", help="Перезагрузить справочники, даже если они полны"),
    reindex: bool = typer.Option(False, "--reindex", help="Перестроить поисковый индекс"),
) -> None:
    """Создать или обновить схему базы и загрузить справочники (регионы, ОКВЭД2, ОКПД2)."""
    django_setup()
    from django.core.management import call_command

    from klaster.registry import search
    from klaster.registry.models import Organization, SearchDocument
    from klaster.registry.reference import load_reference

    with console.status("Миграции базы данных…"):
        call_command("migrate", interactive=False, verbosity=0)
    with console.status("Справочники: регионы, ОКВЭД2, ОКПД2…"):
        counts = load_reference(force=force)
    for name, n in counts.items():
        console.print(f"  {name}: {'загружено ' + str(n) if n else 'уже загружено'}")
    if reindex or (Organization.objects.exists() and not SearchDocument.objects.exists()):
        with console.status("Поисковый индекс…"):
            console.print(f"  поисковый индекс: {search.reindex()} документов")
    with console.status("Статические файлы…"):
        call_command("collectstatic", interactive=False, verbosity=0)
    console.print("[green]База готова.[/green]")


def serve(
    host: str = typer.Option("127.0.0.1", help="Адрес"),
    port: int = typer.Option(8000, help="Порт"),
    workers: int = typer.Option(0, help="Число процессов gunicorn (0 — по числу ядер × 2 + 1)"),
    dev: bool = typer.Option(False, "--dev", help="Сервер Django с автоперезагрузкой (для разработки)"),
) -> None:
    """Запустить веб-сервер: gunicorn со статикой через WhiteNoise, или сервер разработки с --dev."""
    django_setup()
    if dev:
        from django.core.management import call_command

        os.environ.setdefault("DEBUG", "1")
        call_command("runserver", f"{host}:{port}")
        return
    with console.status("Подготовка сводных показателей…"):
        _warm_cache()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
    count = workers or (os.cpu_count() or 1) * 2 + 1
    console.print(f"Klaster: http://{host}:{port}/  (gunicorn, процессов: {count}; остановить — Ctrl+C)")
    os.execv(
        str(gunicorn),
        [
            str(gunicorn),
            "klaster.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(count),
            "--preload",
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
    )


def _warm_cache() -> None:
    """Compute the dashboard's and the map's aggregates once, so no visitor waits for them."""
    from klaster.web import aggregates

    aggregates.warm()


def createsuperuser(
    username: str = typer.Option(None, help="Имя пользователя (без него — вопросы в терминале)"),
    email: str = typer.Option("", help="Электронная почта"),
) -> None:
    """Создать администратора (пароль спрашивается или берётся из DJANGO_SUPERUSER_PASSWORD)."""
    django_setup()
    from django.core.management import call_command

    args = {"interactive": username is None or not os.environ.get("DJANGO_SUPERUSER_PASSWORD")}
    if username:
        args.update(username=username, email=email)
    call_command("createsuperuser", **args)


def token(
    username: str = typer.Argument(..., help="Пользователь, от имени которого пишет скрипт"),
    name: str = typer.Option("", help="Назначение токена"),
) -> None:
    """Выпустить API-токен для записи через API (заголовок Authorization: Bearer <токен>)."""
    django_setup()
    from django.contrib.auth import get_user_model

    from klaster.core.models import ApiToken

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]Пользователь «{username}» не найден.[/red]")
        raise typer.Exit(2)
    _, key = ApiToken.issue(user=user, name=name)
    console.print("Токен (показывается один раз):")
    typer.echo(key)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
    app.command()(createsuperuser)
    app.command()(token)
