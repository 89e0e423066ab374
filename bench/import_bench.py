"""Import benchmark (issue 7): 100 000 organisations with 150 000 memberships from one CSV (flat cluster
layout: a row per membership, 100 000 distinct ИНН over 1 000 clusters), into a fresh database; then the
XLSX export of the same registry. Runs `klaster init`, `klaster import` and `klaster export` in subprocesses
against BENCH_DATABASE_URL (a throw-away SQLite file when unset).

    .venv/bin/python bench/import_bench.py
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from klaster.registry.synth.identifiers import inn10

KLASTER = str(Path(sys.executable).with_name("klaster"))
ORGS = int(os.environ.get("BENCH_ORGANIZATIONS", 100_000))
MEMBERSHIPS = int(os.environ.get("BENCH_MEMBERSHIPS", 150_000))
CLUSTERS = 1_000
HEAD = ["Наименование кластера", "Номер в реестре", "Регион кластера", "Дата включения в реестр", "ИНН участника",
        "Наименование участника", "Регион", "ОКВЭД2", "Роль", "Дата вступления"]  # fmt: skip


def write_file(path: Path) -> None:
    rng = np.random.default_rng(1)
    inns = inn10(np.full(ORGS, 40), np.arange(7_000_000, 7_000_000 + ORGS))
    firm = np.concatenate([np.arange(ORGS), rng.integers(0, ORGS, MEMBERSHIPS - ORGS)])
    cluster = rng.integers(0, CLUSTERS, MEMBERSHIPS)
    seen = set()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEAD)
        for f, c in zip(firm.tolist(), cluster.tolist(), strict=True):
            if (f, c) in seen:
                c = (c + 1) % CLUSTERS
            seen.add((f, c))
            writer.writerow([f"Кластер № {c}", f"ПК-{c:04d}", "40", "29.05.2024", inns[f], f"ООО «Участник {f}»",
                             "40", "29.32", "участник", "01.06.2024"])  # fmt: skip


def run(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run([KLASTER, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"klaster {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return time.perf_counter() - start


def machine_reference() -> float:
    """Seconds for 30 million additions in a Python loop: this shared machine's speed varies several-fold from
    hour to hour, so each run prints it beside its figures (2026-12-03: from 0.9 s to 4.8 s)."""
    start = time.perf_counter()
    total = 0
    for i in range(30_000_000):
        total += i
    return time.perf_counter() - start


def _require_empty(url: str) -> None:
    """A registry left by an earlier run would turn the first import into "the same file again"."""
    if not url.startswith("postgres"):
        return  # a new SQLite file each run
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        count = conn.execute("SELECT count(*) FROM registry_organization").fetchone()[0]
    if count:
        raise SystemExit(f"BENCH_DATABASE_URL holds {count:,} organisations: drop and create the database first")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "KLASTER_VAR": f"{tmp}/var"}
        path = Path(tmp) / "registry.csv"
        write_file(path)
        print(f"machine reference (30 million additions in Python): {machine_reference():.1f} s")
        run(["init"], env)
        _require_empty(url)
        seconds = run(["import", "clusters", str(path)], env)
        rows = MEMBERSHIPS
        print(f"database: {url.split(':')[0]}; file {path.stat().st_size / 1e6:.1f} MB, {rows:,} rows "
              f"({ORGS:,} organisations, {MEMBERSHIPS:,} memberships, {CLUSTERS:,} clusters)")  # fmt: skip
        records = ORGS + MEMBERSHIPS + CLUSTERS
        print(f"import: {seconds:.1f} s = {rows / seconds:,.0f} file rows/s = {records / seconds:,.0f} registry "
              f"records/s ({records:,} organisations, memberships and clusters; validation, history and search index "
              "included)")  # fmt: skip
        again = run(["import", "clusters", str(path)], env)
        print(f"the same file again (nothing to change): {again:.1f} s")
        export = run(["export", "clusters", "--format", "xlsx", "--out", f"{tmp}/out.xlsx"], env)
        print(f"export to XLSX: {export:.1f} s")


if __name__ == "__main__":
    main()
