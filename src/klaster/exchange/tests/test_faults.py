"""Faults: one bad row among 10 000, a process killed half-way, two imports at once."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from klaster.exchange.importer import import_file
from klaster.registry.models import Organization
from klaster.registry.synth.identifiers import inn10

KLASTER = str(Path(sys.executable).with_name("klaster"))
HEAD = [
    "Наименование кластера",
    "Номер в реестре",
    "Регион кластера",
    "ИНН участника",
    "Наименование участника",
    "Регион",
    "Роль",
]


def big_file(path: Path, n: int, bad: int | None = None, start: int = 5_000_000) -> Path:
    inns = inn10(np.full(n, 40), np.arange(start, start + n))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEAD)
        for i, inn in enumerate(inns):
            writer.writerow(
                [
                    "Кластер «Большой»",
                    "ПК-100",
                    "40",
                    "1234567890" if i == bad else inn,
                    f"ООО «Участник {i}»",
                    "40",
                    "участник",
                ]
            )
    return path


@pytest.mark.django_db
def test_one_bad_row_among_ten_thousand(tmp_path):
    run = import_file(big_file(tmp_path / "big.csv", 10_000, bad=7_321), "clusters")
    assert run.status == "rejected" and len(run.errors) == 1
    assert run.errors[0]["row"] == 7_323 and run.errors[0]["column"] == "ИНН участника"  # header + 1-based row
    assert (
        Organization.objects.count() == 0
        or not Organization.objects.filter(full_name__startswith="ООО «Участник").exists()
    )


def _env(tmp_path: Path) -> dict:
    """Subprocesses on a SQLite file of their own, or on the PostgreSQL test database of this run."""
    env = {**os.environ, "KLASTER_VAR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "klaster.settings"}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
        subprocess.run([KLASTER, "init"], env=env, check=True, capture_output=True)
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return env


def _count(env: dict, sql: str) -> int:
    return int(_query(env, sql))


def _query(env: dict, sql: str) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django, os; django.setup(); from django.db import connection; c = connection.cursor(); "
                f"c.execute({sql!r}); print(c.fetchone()[0])"
            ),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _indexes(env: dict) -> str:
    if "sqlite" in env["DATABASE_URL"]:
        return _query(
            env, "select group_concat(name || coalesce(sql, ''), ';') from sqlite_master where type = 'index'"
        )
    # With each index's object id: an index dropped and built again has the same name and definition, not the id.
    return _query(
        env,
        "select string_agg(indexdef || ' #' || (quote_ident(indexname)::regclass::oid)::text, ';' order by indexname) "
        "from pg_indexes where schemaname = current_schema()",
    )


def _wait_for_indexes_set_aside(process: subprocess.Popen) -> None:
    """PostgreSQL: until the import holds the memberships' table for itself, which it takes to drop the
    table's plain indexes (`exchange.indexes`), so the kill lands while they are gone."""
    deadline = time.monotonic() + 120
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and process.poll() is None:
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'registry_membership' AND l.mode = 'AccessExclusiveLock' AND l.granted "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the import never set the memberships' indexes aside")


def _wait_for_rows_written(process: subprocess.Popen, wal: Path) -> None:
    """SQLite: until the import's transaction has written some megabytes to the write-ahead log (pages
    spilled from its cache), so the kill lands while rows are being written, not during validation."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 4_000_000:
            return
        time.sleep(0.02)
    raise AssertionError("the import never wrote its rows")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_half_way_leaves_the_database_unchanged(tmp_path):
    env = _env(tmp_path)
    path = big_file(tmp_path / "kill.csv", 60_000)
    before, indexes = _count(env, "select count(*) from registry_organization"), _indexes(env)
    process = subprocess.Popen(
        [KLASTER, "import", "clusters", str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if connection.vendor == "postgresql":
        _wait_for_indexes_set_aside(process)
    else:
        _wait_for_rows_written(process, tmp_path / "faults.sqlite3-wal")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _count(env, "select count(*) from registry_organization") == before
    assert _count(env, "select count(*) from registry_membership") == 0
    assert _indexes(env) == indexes


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_imports_neither_lose_nor_double(tmp_path):
    env = _env(tmp_path)
    first = big_file(tmp_path / "a.csv", 3_000, start=6_000_000)
    second = big_file(tmp_path / "b.csv", 3_000, start=6_001_500)  # half of the rows are the same firms
    processes = [
        subprocess.Popen(
            [KLASTER, "import", "clusters", str(p)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for p in (first, second)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    codes = sorted(p.returncode for p in processes)
    assert codes in ([0, 0], [0, 1]), outputs
    expected = 4_500 if codes == [0, 0] else 3_000
    sql = "select count(*) from registry_organization where full_name like 'ООО «Участник%'"
    assert _count(env, sql) == expected
    assert _count(env, "select count(*) from registry_membership") == expected
    if codes == [0, 1]:
        assert any("другой импорт" in out for out, _ in outputs)
