"""Large uploads are imported in a thread, and the page shows how far it got.

Progress goes to a small JSON file under VAR_DIR, not to the database: the import runs in one
transaction, which hides anything it writes until it ends (and on SQLite holds the only write lock).
Every worker process of the server reads the same file. A run whose thread is gone and whose file
has not moved for a while was interrupted (the server restarted): its transaction was rolled back,
so nothing of it was written, and the page says so instead of showing it as running for ever.
"""

import json
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connections

from klaster.exchange.importer import import_file
from klaster.exchange.models import ImportRun, ImportStatus

STALE_SECONDS = 120
INTERRUPTED = "Загрузка прервана (сервер перезапущен): ничего не записано, загрузите файл снова"
_threads: dict[int, threading.Thread] = {}
log = logging.getLogger(__name__)


def progress_path(run_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"run-{run_id}.progress.json"


def _report(run_id: int, rows: int, stage: str, share: float | None = None) -> None:
    path = progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    report = {"rows": rows, "stage": stage, "share": share, "beat": time.time()}
    partial.write_text(json.dumps(report), encoding="utf-8")
    os.replace(partial, path)  # readers never see half a file


def start(run: ImportRun, path: Path, *, mapping: Path | None, user) -> threading.Thread:
    """Import `path` into the saved `run` (status «running») in a thread; the files are removed after."""
    _report(run.pk, 0, "в очереди")

    def work() -> None:
        try:
            import_file(path, run.kind, mapping=mapping, dry_run=run.dry_run, user=user, file_name=run.file_name,
                        run=run, progress=lambda rows, stage, share: _report(run.pk, rows, stage, share))  # fmt: skip
        except Exception as exc:  # recorded on the run: the page must not wait for ever
            log.exception("import %s failed", run.pk)
            run.status, run.message = ImportStatus.FAILED, f"Внутренняя ошибка: {exc}. Ничего не записано."
            run.save()
        finally:
            for leftover in (path, mapping, progress_path(run.pk)):
                if leftover:
                    leftover.unlink(missing_ok=True)
            connections.close_all()  # this thread's own connection: nothing else will close it
            _threads.pop(run.pk, None)

    thread = threading.Thread(target=work, name=f"import-{run.pk}", daemon=True)
    _threads[run.pk] = thread
    thread.start()
    return thread


def state(run: ImportRun) -> dict:
    """What the page shows: status (or «interrupted»), whether it is over, and a progress message."""
    if run.status != ImportStatus.RUNNING:
        return {"status": run.status, "finished": True, "progress": None, "message": run.message}
    try:
        report = json.loads(progress_path(run.pk).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = None
    alive = run.pk in _threads or (report is not None and time.time() - report["beat"] < STALE_SECONDS)
    if not alive:
        return {"status": "interrupted", "finished": True, "progress": None, "message": INTERRUPTED}
    rows = f"{report['rows']:,}".replace(",", " ") if report else "0"
    stage = report["stage"] if report else "в очереди"
    share = report.get("share") if report else None  # the share of the file checked; none while writing
    return {"status": "running", "finished": False, "progress": share, "message": f"{stage}: строк {rows}"}
