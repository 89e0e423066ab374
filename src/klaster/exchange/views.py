"""«Импорт»: upload a registry file, read the per-row error report, download it as XLSX, list past imports."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from klaster.core.access import require
from klaster.exchange import background, export
from klaster.exchange.forms import UploadForm
from klaster.exchange.importer import import_file
from klaster.exchange.models import ImportRun, ImportStatus
from klaster.exchange.report import errors_xlsx
from klaster.registry.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _save(upload, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=Path(upload.name).suffix.lower(), delete=False)
    with handle:
        for chunk in upload.chunks():  # never the whole file in memory
            handle.write(chunk)
    return Path(handle.name)


def _too_large(request: HttpRequest) -> str | None:
    """Checked on the request's declared length: the file is neither kept nor imported."""
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    if size > settings.UPLOAD_MAX_MB * 1_000_000:
        return (
            f"Файл {size / 1_000_000:,.0f} МБ больше предела загрузки через сайт ({settings.UPLOAD_MAX_MB:,.0f} МБ). "
            "Загрузите его на сервере командой «klaster import ВИД ФАЙЛ» (файл читается потоком) или увеличьте "
            "KLASTER_UPLOAD_MAX_MB. Ничего не записано."
        ).replace(",", " ")
    return None


def import_page(request: HttpRequest) -> HttpResponse:
    refused = _too_large(request) if request.method == "POST" else None
    form = UploadForm(request.POST or None, request.FILES or None) if not refused else UploadForm()
    denied = None
    if not refused and request.method == "POST" and form.is_valid():
        try:
            run = _start(request, form.cleaned_data)
        except PermissionDenied as exc:
            denied = f"{exc} Файл не загружен."
        else:
            return redirect("exchange:run", pk=run.pk)
    runs = ImportRun.objects.defer("errors")[:30]
    kinds = [
        ("clusters", "кластеры"),
        ("parks", "парки и технопарки"),
        ("sez", "ОЭЗ"),
        ("organizations", "организации"),
    ]
    limits = {"upload": settings.UPLOAD_MAX_MB, "inline": settings.IMPORT_INLINE_MB}
    login = f"{reverse('admin:login')}?{urlencode({'next': request.path})}"
    context = {"form": form, "runs": runs, "kinds": kinds, "limits": limits, "refused": refused, "denied": denied,
               "login": login}  # fmt: skip
    return render(request, "exchange/index.html", context)


def _start(request: HttpRequest, data: dict) -> ImportRun:
    """Import a small file at once; a large one in the background (the run page shows its progress)."""
    require(request.user, "add", Organization)
    folder = Path(settings.VAR_DIR) / "imports"
    path = _save(data["file"], folder)
    mapping = _save(data["mapping"], folder) if data.get("mapping") else None
    if path.stat().st_size > settings.IMPORT_INLINE_MB * 1_000_000:
        user = request.user if request.user.is_authenticated else None
        run = ImportRun.objects.create(
            kind=data["kind"],
            file_name=data["file"].name,
            size=path.stat().st_size,
            dry_run=data["dry_run"],
            status=ImportStatus.RUNNING,
            created_by=user,
        )
        background.start(run, path, mapping=mapping, user=request.user)
        return run
    try:
        return import_file(path, data["kind"], mapping=mapping, dry_run=data["dry_run"], user=request.user,
                           file_name=data["file"].name)  # fmt: skip
    finally:
        path.unlink(missing_ok=True)
        if mapping:
            mapping.unlink(missing_ok=True)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    state = background.state(run)
    return render(request, "exchange/run.html", {"run": run, "state": state, "errors": run.errors[:500]})


def run_state(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(background.state(get_object_or_404(ImportRun, pk=pk)))


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
