"""The import journey over HTTP: download the registry, edit it, upload a bad row, fix it, see the history."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from klaster.exchange.importer import KINDS
from klaster.exchange.models import ImportKind, ImportRun
from klaster.registry.demo import load_demo
from klaster.registry.models import Membership, Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    load_demo()
    user = User.objects.create_superuser("analyst", password="x")
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, name: str, **extra):
    file = io.BytesIO(data)
    file.name = name
    return client.post("/import/", {"kind": "clusters", "file": file, **extra}, follow=True)


def test_download_edit_upload_fix_and_see_history(analyst):
    response = analyst.get("/import/export/clusters.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    head = [c.value for c in sheet[1]]
    assert head[:2] == ["Наименование кластера", "Номер в реестре"]
    inn_col = head.index("ИНН участника") + 1
    cluster = sheet.cell(2, 1).value
    sheet.cell(2, 4).value = "29.05.2024"  # the cluster's date of entry, which the demo leaves blank
    good, other = factories.valid_inn(), factories.valid_inn()
    sheet.append(
        [
            cluster,
            sheet.cell(2, 2).value,
            sheet.cell(2, 3).value,
            sheet.cell(2, 4).value,
            good,
            "ООО «Новый участник»",
            "40",
            "29.32",
            "участник",
            "01.09.2026",
        ]
    )
    sheet.append(
        [
            cluster,
            sheet.cell(2, 2).value,
            sheet.cell(2, 3).value,
            sheet.cell(2, 4).value,
            "1234567890",
            "ООО «Ошибка»",
            "40",
            "29.32",
            "участник",
            "01.09.2026",
        ]
    )
    sheet.append(
        [
            cluster,
            sheet.cell(2, 2).value,
            sheet.cell(2, 3).value,
            sheet.cell(2, 4).value,
            other,
            "ООО «Ещё один»",
            "99",
            "29.32",
            "участник",
            "01.09.2026",
        ]
    )
    bad_row = sheet.max_row - 1
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(analyst, buffer.getvalue(), "реестр.xlsx").content.decode()
    assert "Отклонено: ошибки в файле" in page and "Ошибки: 2" in page
    assert f'<td class="num" data-label="Строка">{bad_row}</td>' in page and "1234567890" in page
    assert "нет субъекта РФ «99»" in page
    assert not Membership.objects.filter(organization__inn=good).exists()  # nothing written
    run = ImportRun.objects.latest("pk")
    errors = load_workbook(io.BytesIO(analyst.get(f"/import/{run.pk}/errors.xlsx").content)).active
    assert [c.value for c in errors[1]] == ["Строка", "Столбец", "Значение", "Причина"] and errors.max_row == 3
    # Fix both rows and upload again.
    sheet.cell(bad_row, inn_col).value = factories.valid_inn()
    sheet.cell(bad_row + 1, head.index("Регион") + 1).value = "71"
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(analyst, buffer.getvalue(), "реестр.xlsx").content.decode()
    assert "Загружено" in page and "участий добавлено" in page
    site = Site.objects.get(name=cluster)
    assert site.memberships.filter(organization__inn=good).exists()
    profile = analyst.get(f"/sites/{site.pk}/").content.decode()
    assert "ООО «Новый участник»" in profile
    history = profile[profile.index("<h2>История изменений</h2>") :]
    assert "Статус в реестре: Включён в реестр с 29.05.2024. Импорт файла реестр.xlsx" in history
    assert (site.current_status, site.current_status_on) == ("entered", date(2024, 5, 29))
    member = Membership.objects.get(organization__inn=good)
    assert member.history.first().history_change_reason.startswith("Импорт файла реестр.xlsx")


def test_anonymous_users_cannot_write(db):
    load_demo()
    before = Client().get("/import/").content.decode()
    assert 'href="/admin/login/?next=%2Fimport%2F">войти</a>' in before
    page = upload(Client(), b"x", "a.csv").content.decode()
    assert "Файл не загружен" in page and 'href="/admin/login/?next=%2Fimport%2F"' in page
    assert not ImportRun.objects.exists()


def test_a_user_without_the_registry_right_is_told_so(db):
    load_demo()
    client = Client()
    client.force_login(User.objects.create_user("reader", password="x"))
    page = upload(client, b"x", "a.csv").content.decode()
    assert "Файл не загружен" in page and not ImportRun.objects.exists()
    assert "войти</a>" in page  # as someone else, with the right


def test_runs_are_listed_with_their_registry_in_words(analyst):
    upload(analyst, b"".join(analyst.get("/import/export/parks.csv").streaming_content), "parks.csv", kind="parks")
    page = analyst.get("/import/").content.decode()
    assert '<td data-label="Реестр">индустриальные парки и технопарки</td>' in page


def test_every_import_kind_has_a_label():
    assert set(ImportKind.values) == set(KINDS)


def test_dry_run_page_says_what_would_change(analyst):
    data = analyst.get("/import/export/clusters.csv")
    page = upload(analyst, b"".join(data.streaming_content), "same.csv", dry_run="on").content.decode()
    assert "Проверка без записи" in page and "участий без изменений" in page
