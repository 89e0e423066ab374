"""The `klaster` command end to end, in subprocesses, on a throw-away SQLite database."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

KLASTER = [str(Path(sys.executable).with_name("klaster"))]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "KLASTER_VAR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "klaster.settings",
    }
    return environment


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*KLASTER, *args], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_help_lists_every_command(env):
    out = run(env, "--help").stdout
    for command in ("init", "demo", "synth", "serve", "createsuperuser", "token", "simulate"):
        assert command in out
    assert "--sites" in run(env, "synth", "--help").stdout


def test_init_demo_synth_purge(env, tmp_path):
    assert "База готова" in run(env, "init").stderr
    assert "уже загружено" in run(env, "init").stderr  # a second init reuses what exists
    assert "organizations 13" in run(env, "demo").stderr
    assert "без изменений" in run(env, "demo").stderr
    first = run(env, "synth", "--sites", "12", "--organizations", "120", "--seed", "4")
    assert "Калибровка" in first.stderr and "firms 120" in first.stderr
    assert "без изменений" in run(env, "synth", "--sites", "12", "--organizations", "120", "--seed", "4").stderr
    conflict = run(env, "synth", "--sites", "5", "--organizations", "50", "--seed", "5", check=False)
    assert conflict.returncode == 2 and "--purge" in conflict.stderr
    assert "Удалено" in run(env, "synth", "--purge").stderr
    out = tmp_path / "population"
    run(env, "synth", "--sites", "5", "--organizations", "50", "--seed", "5", "--out", str(out))
    meta = json.loads((out / "population.json").read_text())
    assert meta["rows"]["firms"] == 50 and (out / "firms.parquet").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_gunicorn_with_static_files(env):
    run(env, "init")
    port = _free_port()
    server = subprocess.Popen(
        [*KLASTER, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/regions/40", timeout=2) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None and body["iso_code"] == "RU-KLU"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/admin/css/base.css", timeout=5) as response:
            assert response.status == 200  # WhiteNoise serves collected static files
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_eval_of_a_registered_organisation(env):
    run(env, "init")
    run(env, "demo")
    result = run(env, "eval", "--organization", "1", "--date", "2026-06-01")
    body = json.loads(result.stdout)
    measures = {r["measure"] for r in body["results"]}
    assert "pp41_start_batch_subsidy" in measures and body["rules_version"]
    missing = run(env, "eval", "--organization", "999999", check=False)
    assert missing.returncode == 2 and "не найдена" in missing.stderr


def test_simulate_on_the_demo_registry(env, tmp_path):
    run(env, "init")
    run(env, "demo")
    out = tmp_path / "sim"
    result = run(env, "simulate", "--scenario", "akit_2023_round_table", "--registry", "--years", "2026-2030",
                 "--out", str(out))  # fmt: skip
    assert "Предложения круглого стола в Совете Федерации (2023)" in result.stdout
    assert "Не моделируется: innovative_products_discount" in result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["population"]["source"] == "registry" and report["years"] == [2026, 2027, 2028, 2029, 2030]
    assert [m["measure"] for m in report["measures"]][:2] == ["pp41_start_batch_subsidy", "industrial_mortgage"]
    assert (out / "report.xlsx").is_file() and (out / "firms.parquet").is_file()
