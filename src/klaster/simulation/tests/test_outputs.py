"""`klaster simulate` end to end: the files open and read back with the figures of the hand computation."""

import json

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from klaster.cli.main import app


@pytest.fixture
def cli():
    return CliRunner()


def test_simulate_writes_json_xlsx_and_per_firm_rows(cli, population_dir, share_2027, tmp_path):
    out = tmp_path / "out"
    args = ["simulate", "--scenario", str(share_2027), "--population", str(population_dir), "--years", "2026-2028",
            "--growth", "0", "--out", str(out), "--no-sensitivity"]  # fmt: skip
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert '"delta_window_rub": 20000000.0' in result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["total"]["scenario"]["cost_window_rub"] == 170_000_000
    book = load_workbook(out / "report.xlsx", read_only=True)
    first = [row for row in book["Сценарий"].iter_rows(values_only=True)]
    assert first[0][0].startswith("Доля 60 %")
    assert any(row[1] == "pp41_start_batch_subsidy.share_max" and row[2] == 0.6 for row in first if len(row) > 2)
    measures = list(book["Меры"].iter_rows(values_only=True))
    assert measures[0][0] == "Мера" and measures[1][0] == "Субсидия на стартовые партии (ПП № 41)"
    assert measures[1][3:6] == (150_000_000, 170_000_000, 20_000_000)
    assert {"Регионы", "Округа", "Категории", "Разделы ОКВЭД2", "Кластеры", "Чувствительность"} <= set(book.sheetnames)
    rows = pl.read_parquet(out / "firms.parquet")
    assert rows.filter(pl.col("measure") == "pp41_start_batch_subsidy")["scenario_kop"].sum() == 17_000_000_000
    assert pl.read_csv(out / "firms.csv").height == rows.height


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--years", "2030-2026"], "годы: первый ≤ последний"),
        (["--budget", "pp41_start_batch_subsidy=5"], "МЕРА:ГОД=РУБЛИ"),
        (["--take-up", "industrial_mortgage=много"], "«много» — не число"),
        (["--scenario", "no_such_scenario"], "«no_such_scenario» не найден"),
    ],
)
def test_bad_arguments_are_named(cli, population_dir, share_2027, tmp_path, extra, message):
    args = ["simulate", "--scenario", str(share_2027), "--population", str(population_dir), "--out",
            str(tmp_path / "o"), "--no-sensitivity", *extra]  # fmt: skip
    result = cli.invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output


def test_population_and_registry_are_exclusive(cli, tmp_path):
    result = cli.invoke(app, ["simulate", "--scenario", "akit_2023_round_table", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--population КАТАЛОГ или --registry" in result.output


def test_dask_engine_gives_the_same_numbers(population, share_2027):
    from klaster.simulation.params import RunParams
    from klaster.simulation.runner import Spec, simulate

    params = RunParams(years=(2026, 2028), growth=0.0, chunk_firms=1)
    local, rows_local = simulate(population, Spec([str(share_2027)], [], params), sensitivity=False)
    dask, rows_dask = simulate(population, Spec([str(share_2027)], [], params, "dask"), sensitivity=False)
    assert rows_local.equals(rows_dask)
    assert local["total"] == dask["total"] and dask["engine"] == "dask"
