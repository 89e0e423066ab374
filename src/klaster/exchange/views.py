"""«Импорт»: upload a registry file, read the per-row error report, download it as XLSX, list past imports."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from klaster.exchange import export
from klaster.exchange.forms import UploadForm
from klaster.exchange.importer import import_file
from klaster.exchange.models import ImportRun
from klaster.exchange.report import errors_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _save(upload, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=Path(upload.name).suffix.lower(), delete=False)
    with handle:
        for chunk in upload.chunks():  # never the whole file in memory
            handle.write(chunk)
    return Path(handle.name)


def import_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = Path(settings.VAR_DIR) / "imports"
        path = _save(form.cleaned_data["file"], folder)
        mapping = _save(form.cleaned_data["mapping"], folder) if form.cleaned_data.get("mapping") else None
        try:
            run = import_file(path, form.cleaned_data["kind"], mapping=mapping, dry_run=form.cleaned_data["dry_run"],
                              user=request.user, file_name=form.cleaned_data["file"].name)  # fmt: skip
        except PermissionDenied as exc:
            form.add_error(None, f"{exc} Войдите как пользователь с правом на реестр: /admin/login/")
        else:
            return redirect("exchange:run", pk=run.pk)
        finally:
            path.unlink(missing_ok=True)
            if mapping:
                mapping.unlink(missing_ok=True)
    runs = ImportRun.objects.defer("errors")[:30]
    kinds = [
        ("clusters", "кластеры"),
        ("parks", "парки и технопарки"),
        ("sez", "ОЭЗ"),
        ("organizations", "организации"),
    ]
    return render(request, "exchange/index.html", {"form": form, "runs": runs, "kinds": kinds})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    return render(request, "exchange/run.html", {"run": run, "errors": run.errors[:500]})


def run_errors(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    response = HttpResponse(errors_xlsx(run.errors), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.xlsx"'
    return response


def export_file(request: HttpRequest, kind: str, fmt: str) -> FileResponse:
    if (kind not in export.SITE_KINDS and kind != "organizations") or fmt not in ("csv", "xlsx", "json"):
        raise Http404("Нет такой выгрузки")
    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    handle.close()
    path = Path(handle.name)
    export.write(kind, fmt, path)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"klaster-{kind}.{fmt}")
    path.unlink()  # the open handle keeps the data until the response is sent
    return response
