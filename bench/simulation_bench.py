"""Reform simulation benchmark (issue 6): baseline + one scenario, every firm measure, five years, from a
Parquet population directory to the written report (JSON + XLSX + per-firm Parquet/CSV).

For each size a population is written by `klaster synth --out` (cached under BENCH_DIR), then
`klaster simulate --no-sensitivity` runs in a subprocess: wall time and peak memory (max RSS) of that
process. At the largest size the compute part of one year is timed side by side with the rules issue's
independent NumPy kernel, and the Dask engine (LocalCluster of 2 workers) is run for its overhead and
its totals.

    .venv/bin/python bench/simulation_bench.py [--sizes 10000,100000,1000000]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

KLASTER = str(Path(sys.executable).with_name("klaster"))
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/klaster-bench"))
SCENARIO = "duma_expert_council_2026"


def population(n: int) -> Path:
    out = BENCH_DIR / f"pop-{n}"
    if not (out / "population.json").is_file():
        sites = max(200, n // 500)
        subprocess.run([KLASTER, "synth", "--organizations", str(n), "--sites", str(sites), "--out", str(out)],
                       check=True, capture_output=True)  # fmt: skip
    return out


def simulate(pop: Path, engine: str = "local") -> tuple[float, float, dict]:
    out = BENCH_DIR / f"sim-{pop.name}-{engine}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [KLASTER, "simulate", "--scenario", SCENARIO, "--population", str(pop), "--years", "2026-2030",
         "--out", str(out), "--no-sensitivity", "--engine", engine],
        capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return wall, max(peak, before) / 1024, report["total"]


def kernel_side_by_side(pop: Path, repeats: int = 5) -> tuple[float, float]:
    """One year (2026) of the four measures: the rules (build + compute) vs the NumPy kernel, each
    the best of `repeats` alternating runs (on 2 shared cores a single run varies by ±30 %)."""
    import numpy

    from klaster.rules.kernel import Kernel
    from klaster.rules.system import baseline
    from klaster.simulation.engine import evaluate_year
    from klaster.simulation.population import from_directory
    from klaster.simulation.tables import prepare
    from klaster.simulation.years import year_tables

    prep = prepare(from_directory(pop))
    yt = year_tables(prep, 2026, 0.05, None, 1)
    system = baseline()
    n = prep.n_firms
    rules = kernel = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        evaluate_year(system, yt, yt.tables, numpy.arange(n), numpy.ones(n, dtype=bool))
        rules = min(rules, time.perf_counter() - start)
        start = time.perf_counter()
        Kernel(system.parameters, yt.tables, yt.day).run()
        kernel = min(kernel, time.perf_counter() - start)
    return rules, kernel


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print("| firms | population rows (projects / loans) | wall, s | peak RSS, MB | scenario minus baseline, ₽ |")
    print("|---|---|---|---|---|")
    for n in sizes:
        pop = population(n)
        rows = json.loads((pop / "population.json").read_text(encoding="utf-8"))["rows"]
        wall, peak, total = simulate(pop)
        print(f"| {n:,} | {rows['projects']:,} / {rows['loans']:,} | {wall:.1f} | {peak:,.0f} | "
              f"{total['delta_window_rub']:,.2f} |", flush=True)  # fmt: skip
    largest = population(sizes[-1])
    rules, kernel = kernel_side_by_side(largest)
    print(f"\nOne year at {sizes[-1]:,} firms (best of 5): rules {rules:.2f} s, NumPy kernel {kernel:.2f} s, "
          f"ratio {rules / kernel:.2f}×")  # fmt: skip
    dask_size = sizes[1] if len(sizes) > 1 else sizes[0]
    pop = population(dask_size)
    local_wall, _, local_total = simulate(pop)
    dask_wall, _, dask_total = simulate(pop, "dask")
    same = "same totals" if local_total == dask_total else f"DIFFERENT totals {local_total} vs {dask_total}"
    print(
        f"Dask LocalCluster (2 workers) at {dask_size:,} firms: {dask_wall:.1f} s vs local {local_wall:.1f} s; {same}"
    )


if __name__ == "__main__":
    main()
