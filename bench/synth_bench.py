"""Benchmark: `klaster synth` of 100 000 organisations and 2 000 sites into a fresh database.

Runs `klaster init` and `klaster synth` in a subprocess against BENCH_DATABASE_URL (a throw-away SQLite
file when unset; synthetic records are purged before and after on PostgreSQL) and prints wall time and
peak memory of each step.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KLASTER = str(Path(sys.executable).with_name("klaster"))
ORGANIZATIONS = int(os.environ.get("BENCH_ORGANIZATIONS", 100_000))
SITES = int(os.environ.get("BENCH_SITES", 2_000))


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run([KLASTER, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"klaster {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KLASTER_VAR": tmp}
        env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        backend = env["DATABASE_URL"].split(":", 1)[0]
        if backend != "sqlite":
            subprocess.run([KLASTER, "synth", "--purge"], env=env, check=False, capture_output=True)
        init = timed(["init"], env)
        synth = timed(["synth", "--organizations", str(ORGANIZATIONS), "--sites", str(SITES), "--seed", "1"], env)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out = Path(tmp) / "population"
        parquet = timed(
            ["synth", "--organizations", str(ORGANIZATIONS), "--sites", str(SITES), "--seed", "1", "--out", str(out)],
            env,
        )
        if backend != "sqlite":
            subprocess.run([KLASTER, "synth", "--purge"], env=env, check=False, capture_output=True)
    print(f"database: {backend}")
    print(f"klaster init:                              {init:8.1f} s")
    print(f"klaster synth {ORGANIZATIONS} orgs, {SITES} sites:    {synth:8.1f} s")
    print(f"klaster synth --out (Parquet):              {parquet:8.1f} s")
    print(f"peak memory of the largest step:           {peak_mib:8.0f} MiB")


if __name__ == "__main__":
    main()
