"""Large uploads: refused above the site's limit with a clear message; imported in the background above
the inline size, the page polling the run's state; a run whose server restarted reads «interrupted»."""

import io
import json
import time

from django.contrib.auth.models import User
from django.test import Client

from klaster.exchange import background
from klaster.exchange.models import ImportRun
from klaster.exchange.tests.test_import import HEAD, flat_rows
from klaster.registry.models import Organization
from klaster.registry.tests import factories


def _client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("analyst", password="x"))
    return client


def _csv(rows: list[list]) -> io.BytesIO:
    text = "\n".join(";".join(str(c) for c in row) for row in [HEAD, *rows])
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "реестр.csv"
    return file


def test_a_200_mb_upload_is_refused_with_a_clear_message(db, settings):
    settings.UPLOAD_MAX_MB = 100
    big = io.BytesIO(b"x" * 200_000_000)
    big.name = "huge.csv"
    before = Organization.objects.count()
    response = _client().post("/import/", {"kind": "clusters", "file": big})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Файл 200 МБ больше предела загрузки через сайт (100 МБ)" in page and "klaster import" in page
    assert Organization.objects.count() == before and not ImportRun.objects.exists()


def test_a_large_file_is_imported_in_the_background(transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.IMPORT_INLINE_MB = 0  # every file counts as large here
    client = _client()
    inns = [factories.valid_inn() for _ in range(3)]
    response = client.post("/import/", {"kind": "clusters", "file": _csv(flat_rows(inns))})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/import/{run.pk}/"
    thread = background._threads.get(run.pk)
    if thread:
        page = client.get(f"/import/{run.pk}/").content.decode()
        assert 'id="progress"' in page or "Загружено" in page
        thread.join(60)
    state = client.get(f"/import/{run.pk}/state.json").json()
    assert state["status"] == "done" and state["finished"] is True
    run.refresh_from_db()
    assert run.counts["organizations_created"] == 3 and run.sha256
    assert Organization.objects.filter(inn__in=inns).count() == 3
    assert not list((tmp_path / "imports").iterdir())  # the upload and its progress file are removed
    assert "Загружено" in client.get(f"/import/{run.pk}/").content.decode()


def test_a_run_left_running_by_a_restart_reads_interrupted(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    run = ImportRun.objects.create(kind="clusters", file_name="r.csv", status="running")
    path = background.progress_path(run.pk)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"rows": 45_000, "stage": "проверка", "beat": time.time()}), encoding="utf-8")
    client = Client()
    state = client.get(f"/import/{run.pk}/state.json").json()
    assert state == {"status": "running", "finished": False, "progress": None, "message": "проверка: строк 45 000"}
    background._report(run.pk, 50_000, "проверка", 0.375)  # the share of the file checked, as the page shows it
    state = client.get(f"/import/{run.pk}/state.json").json()
    assert state == {"status": "running", "finished": False, "progress": 0.375, "message": "проверка: строк 50 000"}
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert f'data-url="/import/{run.pk}/state.json"' in page and "progress.js" in page
    stale = time.time() - background.STALE_SECONDS - 1
    path.write_text(json.dumps({"rows": 45_000, "stage": "проверка", "beat": stale}), encoding="utf-8")
    state = client.get(f"/import/{run.pk}/state.json").json()
    assert state["status"] == "interrupted" and "ничего не записано" in state["message"]
    assert "Прервано." in client.get(f"/import/{run.pk}/").content.decode()
