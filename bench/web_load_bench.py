"""Load benchmark of the web pages on PostgreSQL: 20 users reading for 60 s against `klaster serve`.

Prepares a database with 100 000 synthetic organisations and 2 000 sites (kept between runs), starts
gunicorn with a stated worker count, runs Locust headless and prints p50/p95 and failures per page.
Usage: .venv/bin/python bench/web_load_bench.py   (BENCH_DATABASE_URL, BENCH_WORKERS, BENCH_USERS to change)
"""

import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/klaster_bench")
WORKERS = int(os.environ.get("BENCH_WORKERS", 5))
USERS = int(os.environ.get("BENCH_USERS", 20))
SECONDS = int(os.environ.get("BENCH_SECONDS", 60))


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def klaster(*args: str, env: dict) -> str:
    result = subprocess.run([str(BIN / "klaster"), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return result.stderr


def ids(env: dict) -> tuple[str, str]:
    code = "\n".join(
        [
            "import django, random",
            "django.setup()",
            "from klaster.registry.models import Site, Organization",
            "r = random.Random(1)",
            "s = list(Site.objects.values_list('pk', flat=True))",
            "o = list(Organization.objects.values_list('pk', flat=True))",
            "print(','.join(map(str, r.sample(s, min(200, len(s))))))",
            "print(','.join(map(str, r.sample(o, min(500, len(o))))))",
        ]
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    sites, orgs = out.strip().splitlines()
    return sites, orgs


def main() -> None:
    ensure_database()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "klaster.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    klaster("init", env=env)
    klaster("demo", env=env)
    klaster("synth", "--organizations", "100000", "--sites", "2000", "--seed", "1", env=env)
    sites, orgs = ids(env)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "klaster"), "serve", "--port", str(port), "--workers", str(WORKERS)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/map/data/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "-u",
                    str(USERS),
                    "-r",
                    str(USERS),
                    "-t",
                    f"{SECONDS}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                ],
                env={**env, "BENCH_SITE_IDS": sites, "BENCH_ORG_IDS": orgs},
                check=False,
                capture_output=True,
            )
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"PostgreSQL, klaster serve (gunicorn) with {WORKERS} workers, {USERS} users, 1–3 s think time, {SECONDS} s")
    print(f"{'page':32} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['Name']:32} {row['Request Count']:>9} {row['Failure Count']:>9} {row['50%']:>8} {row['95%']:>8}")


if __name__ == "__main__":
    main()
