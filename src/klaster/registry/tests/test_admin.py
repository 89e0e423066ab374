import pytest
from django.contrib.auth.models import User
from django.test import Client

from klaster.registry.demo import load_demo
from klaster.registry.models import Organization, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_ru(db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw-admin-12345"))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "organization",
        "site",
        "membership",
        "jointproject",
        "loan",
        "indicator",
        "reportedfigure",
        "sitestatusevent",
        "region",
        "okved",
        "okpd",
        "organizationyear",
    ],
)
def test_every_model_has_a_russian_changelist(admin_client_ru: Client, model):
    load_demo()
    response = admin_client_ru.get(f"/admin/registry/{model}/?q=Калуж")
    assert response.status_code == 200
    assert "Выберите" in response.content.decode() or "Найти" in response.content.decode()


def test_site_change_page_shows_members_and_history(admin_client_ru: Client):
    load_demo()
    sez = Site.objects.get(name="ОЭЗ «Калуга»")
    page = admin_client_ru.get(f"/admin/registry/site/{sez.pk}/change/").content.decode()
    assert "HAYAT" in page and "Якорный участник" in page
    history = admin_client_ru.get(f"/admin/registry/site/{sez.pk}/history/")
    assert history.status_code == 200 and "Демонстрационные данные" in history.content.decode()


def test_admin_edit_goes_through_the_service_and_validation(admin_client_ru: Client):
    org = Organization.objects.create(full_name="ООО «Правка»")
    response = admin_client_ru.post(
        f"/admin/registry/organization/{org.pk}/change/",
        {
            "kind": "company",
            "full_name": "ООО «Правка»",
            "inn": "7707083894",
            "kpp": "",
            "short_name": "",
            "size": "",
            "spic_version": "",
            "note": "",
            "source_kind": "manual",
            "source": "",
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "не сходится контрольное число" in response.content.decode()
    response = admin_client_ru.post(
        f"/admin/registry/organization/{org.pk}/change/",
        {
            "kind": "company",
            "full_name": "ООО «Правка»",
            "inn": "7707083893",
            "kpp": "",
            "short_name": "Правка",
            "size": "small",
            "spic_version": "",
            "note": "",
            "source_kind": "manual",
            "source": "",
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.inn, org.size) == ("7707083893", "small")
    assert org.history.first().history_change_reason == "Правка в администрировании"


def test_delete_is_not_offered(admin_client_ru: Client):
    org = Organization.objects.create(full_name="ООО «Не удалять»")
    assert admin_client_ru.get(f"/admin/registry/organization/{org.pk}/delete/").status_code in (302, 403)
