"""Registry endpoints over real HTTP (Django's test client): happy paths, 4xx with field names, queries."""

from datetime import date

import pytest
from django.test import Client

from klaster.registry import services
from klaster.registry.models import Organization, Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def _locs(response) -> list[list[str]]:
    return [item["loc"] for item in response.json()["detail"]]


def test_openapi_and_docs_are_served(client: Client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/sites", "/api/v1/organizations", "/api/v1/regions/{code}"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("code", ["40", "RU-KLU", "ru-klu"])
def test_region_by_subject_or_iso_code(client: Client, code):
    body = client.get(f"/api/v1/regions/{code}").json()
    assert (body["code"], body["iso_code"], body["name"]) == ("40", "RU-KLU", "Калужская область")


def test_regions_list_and_unknown_region(client: Client):
    assert len(client.get("/api/v1/regions").json()) == 89
    assert len(client.get("/api/v1/regions?federal_district=central").json()) == 18
    response = client.get("/api/v1/regions/RU-XXX")
    assert response.status_code == 404 and response.json()["detail"][0]["type"] == "not_found"


def test_organization_list_filters(client: Client):
    kaluga = factories.organization(full_name="ООО «Калужский Завод»", okved_id="29.32", size="large")
    factories.organization(full_name="ООО «Пермский завод»", region_id="59", okved_id="20.16", size="small")
    factories.organization(full_name="ООО «Синт»", source_kind="synthetic", region_id="40", okved_id="10.11")

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/organizations?{query}")
        assert response.status_code == 200, response.content
        return [o["full_name"] for o in response.json()["items"]]

    assert names("region=RU-KLU&source=real") == ["ООО «Калужский Завод»"]
    assert names("region=40&source=synthetic") == ["ООО «Синт»"]
    assert names("okved=29") == ["ООО «Калужский Завод»"]
    assert names("okved=20.1") == ["ООО «Пермский завод»"]
    assert names("size=small") == ["ООО «Пермский завод»"]
    assert names("federal_district=volga") == ["ООО «Пермский завод»"]
    # Lemmas: «калужская» also finds every organisation located in Калужская область.
    assert sorted(names("q=калужская")) == ["ООО «Калужский Завод»", "ООО «Синт»"]
    assert names("q=заводы пермские") == ["ООО «Пермский завод»"]
    assert names("q=ЗАВОД&ordering=-name") == ["ООО «Пермский завод»", "ООО «Калужский Завод»"]
    assert client.get(f"/api/v1/organizations/{kaluga.pk}").json()["region"]["iso_code"] == "RU-KLU"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("region=99", "region"),
        ("size=huge", "size"),
        ("ordering=secret", "ordering"),
        ("source=fake", "source"),
        ("site=abc", "site"),
        ("page=-1", "page"),
        ("q=" + "я" * 300, "q"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(client: Client, query, field):
    response = client.get(f"/api/v1/organizations?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_writes_need_authentication_and_permission(client: Client, reader_client: Client):
    payload = {"full_name": "ООО «Новое»"}
    response = client.post("/api/v1/organizations", payload, content_type="application/json")
    assert response.status_code == 401
    response = reader_client.post("/api/v1/organizations", payload, content_type="application/json")
    assert response.status_code == 403
    assert not Organization.objects.filter(full_name="ООО «Новое»").exists()


def test_session_login_can_write(editor):
    client = Client(enforce_csrf_checks=False)
    client.force_login(editor)
    response = client.post("/api/v1/organizations", {"full_name": "ООО «Сессия»"}, content_type="application/json")
    assert response.status_code == 201


def test_create_and_update_organization(editor_client: Client):
    inn = factories.valid_inn()
    response = editor_client.post(
        "/api/v1/organizations",
        {
            "full_name": "Акционерное общество «Пример»",
            "short_name": "АО «Пример»",
            "inn": inn,
            "region": "RU-KLU",
            "okved": "29.32",
            "size": "medium",
            "spic_version": "1.0",
            "spic_since": "2023-05-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["inn"], body["region"]["code"], body["okved"], body["spic_version"]) == (inn, "40", "29.32", "1.0")
    response = editor_client.patch(
        f"/api/v1/organizations/{body['id']}", {"size": "large"}, content_type="application/json"
    )
    assert response.json()["size"] == "large"
    response = editor_client.put(
        f"/api/v1/organizations/{body['id']}/years/2025",
        {"headcount": 420, "payroll_rub": "600000000.00"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["payroll_rub"] == "600000000.00"
    org = Organization.objects.get(pk=body["id"])
    assert org.history.count() == 2 and org.history.first().history_user.username == "editor"


@pytest.mark.parametrize(
    ("payload", "field", "kind"),
    [
        ({"full_name": "X", "inn": "7707083894"}, "inn", "inn_checksum"),
        ({"full_name": "X", "inn": "123"}, "inn", "inn_format"),
        ({"full_name": "X", "region": "RU-XX"}, "region", "unknown_region"),
        ({"full_name": "X", "okved": "99.99.99"}, "okved", "unknown_okved"),
        ({"full_name": "X", "size": "giant"}, "size", "enum"),
        ({"full_name": "X", "spic_since": "01.05.2023"}, "spic_since", "date_from_datetime_parsing"),
        ({"full_name": "X", "colour": "red"}, "colour", "extra_forbidden"),
        ({}, "full_name", "missing"),
    ],
)
def test_bad_organization_is_422_naming_the_field(editor_client: Client, payload, field, kind):
    response = editor_client.post("/api/v1/organizations", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == field
    assert detail[0]["type"].startswith(kind.split("_")[0])
    assert Organization.objects.count() == 0


def test_not_json_is_422(editor_client: Client):
    response = editor_client.post("/api/v1/organizations", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_site_create_status_and_detail(editor_client: Client):
    manager = factories.organization(kind="specialised_organisation", full_name="СОПК")
    response = editor_client.post(
        "/api/v1/sites",
        {
            "kind": "industrial_cluster",
            "name": "Кластер «API»",
            "regions": ["40", "RU-MOS"],
            "specialisation_okved": ["29.32"],
            "manager": manager.pk,
            "functional_dependence_share": "0.22",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    site_id = response.json()["id"]
    assert [r["code"] for r in response.json()["regions"]] == ["40", "50"]
    response = editor_client.post(
        f"/api/v1/sites/{site_id}/status",
        {"status": "entered", "on": "2021-03-01", "registry_number": "ПК-9001"},
        content_type="application/json",
    )
    assert response.status_code == 201
    detail = editor_client.get(f"/api/v1/sites/{site_id}").json()
    assert (detail["current_status"], detail["registry_number"]) == ("entered", "ПК-9001")
    assert [e["status"] for e in detail["status_history"]] == ["entered"]
    response = editor_client.patch(
        f"/api/v1/sites/{site_id}", {"name": "Кластер «API-2»"}, content_type="application/json"
    )
    assert response.json()["name"] == "Кластер «API-2»"
    response = editor_client.post(
        f"/api/v1/sites/{site_id}/status", {"status": "excluded", "on": "2024-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422 and _locs(response) == [["body", "reason"]]


def test_site_errors(editor_client: Client):
    response = editor_client.post(
        "/api/v1/sites",
        {"kind": "industrial_cluster", "name": "X", "regions": ["77x"]},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "regions"
    response = editor_client.post(
        "/api/v1/sites",
        {"kind": "industrial_cluster", "name": "X", "regions": ["40"], "manager": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422 and _locs(response) == [["body", "manager"]]
    assert editor_client.get("/api/v1/sites/999999").status_code == 404
    assert Site.objects.count() == 0


def test_site_list_filters(client: Client):
    cluster = factories.entered_cluster(name="Фармацевтический кластер", specialisation_okved=["21.20"])
    factories.site(kind="industrial_park", name="Парк", regions=("59",))
    assert [s["id"] for s in client.get("/api/v1/sites?kind=industrial_cluster&status=entered").json()["items"]] == [
        cluster.pk
    ]
    assert client.get("/api/v1/sites?okved=21").json()["count"] == 1
    assert client.get("/api/v1/sites?q=фармацевтический").json()["count"] == 1
    assert client.get("/api/v1/sites?region=RU-PER").json()["items"][0]["name"] == "Парк"
    assert client.get("/api/v1/sites?status=bogus").status_code == 422


def test_membership_project_indicator_and_figure(editor_client: Client):
    cluster = factories.entered_cluster()
    firm, supplier = factories.organization(), factories.organization()
    for org in (firm, supplier):
        response = editor_client.post(
            "/api/v1/memberships",
            {"organization": org.pk, "site": cluster.pk, "producing": True, "date_from": "2021-03-01"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    membership_id = response.json()["id"]
    response = editor_client.patch(
        f"/api/v1/memberships/{membership_id}", {"has_contract_with_participant": True}, content_type="application/json"
    )
    assert response.json()["has_contract_with_participant"] is True
    assert editor_client.get(f"/api/v1/memberships?site={cluster.pk}").json()["count"] == 2
    response = editor_client.post(
        "/api/v1/projects",
        {
            "site": cluster.pk,
            "title": "Импортозамещающий узел",
            "okpd": "29.32.30.390",
            "import_substitution": True,
            "stage": "serial",
            "participants": [{"organization": firm.pk, "role": "buyer"}, {"organization": supplier.pk, "role": "lead"}],
            "costs": [{"cost_type": "rnd", "amount_rub": "100000000"}],
            "purchases": [{"buyer": firm.pk, "supplier": supplier.pk, "amount_rub": "120000000", "date": "2025-04-10"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    project = response.json()
    assert [p["role"] for p in project["participants"]] == ["buyer", "lead"]
    assert project["purchases"][0]["amount_rub"] == "120000000.00"
    assert editor_client.get(f"/api/v1/projects?organization={firm.pk}").json()["count"] == 1
    response = editor_client.patch(
        f"/api/v1/projects/{project['id']}", {"status": "active"}, content_type="application/json"
    )
    assert response.json()["status"] == "active"
    response = editor_client.put(
        "/api/v1/indicators",
        {"site": cluster.pk, "year": 2024, "kind": "participants", "value": 12},
        content_type="application/json",
    )
    assert (
        response.status_code == 200 and editor_client.get(f"/api/v1/indicators?site={cluster.pk}").json()["count"] == 1
    )
    response = editor_client.post(
        "/api/v1/reported-figures",
        {
            "on": "2024-05-29",
            "metric": "industrial_clusters",
            "what": "Промышленных кластеров",
            "value": 61,
            "source": "новость 29.05.2024",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (
        editor_client.get("/api/v1/reported-figures?metric=industrial_clusters").json()["items"][0]["value"]
        == "61.0000"
    )


def test_project_with_dangling_ids_writes_nothing(editor_client: Client):
    cluster = factories.entered_cluster()
    response = editor_client.post(
        "/api/v1/projects",
        {"site": cluster.pk, "title": "Проект", "participants": [{"organization": 987654, "role": "lead"}]},
        content_type="application/json",
    )
    assert response.status_code == 422 and _locs(response) == [["body", "organization"]]
    assert not cluster.projects.exists()


def _populate(n: int) -> None:
    for i in range(n):
        cluster = factories.site(regions=("40", "50"), name=f"Кластер {n}-{i}", specialisation_okved=["29.32"])
        services.site_status_change(site=cluster, status="entered", on=date(2020, 1, 1), user=None)
        factories.organization(full_name=f"ООО «Участник {n}-{i}»")


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(client: Client, django_assert_num_queries, rows):
    _populate(rows)
    with django_assert_num_queries(4):  # count, page, regions, ОКВЭД
        assert client.get("/api/v1/sites?region=40&page_size=100").status_code == 200
    with django_assert_num_queries(2):  # count, page (region and ОКВЭД joined)
        assert client.get("/api/v1/organizations?region=40&page_size=100").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/99999999999999999999",
        "/api/v1/sites/99999999999999999999",
        "/api/v1/projects/99999999999999999999",
    ],
)
def test_huge_ids_are_404_not_500(client: Client, path):
    assert client.get(path).status_code == 404


def test_page_size(client: Client):
    for i in range(3):
        factories.organization(full_name=f"ООО «Страница {i}»")
    body = client.get("/api/v1/organizations?page_size=2&page=2").json()
    assert body["count"] == 3 and len(body["items"]) == 1
    assert len(client.get("/api/v1/organizations?page_size=100000").json()["items"]) == 3  # capped at 500, no error
    response = client.get("/api/v1/projects?region=ZZ")
    assert response.json()["detail"][0]["msg"].startswith("Регион:")


WRITES = [
    ("post", "/api/v1/organizations"),
    ("patch", "/api/v1/organizations/1"),
    ("put", "/api/v1/organizations/1/years/2025"),
    ("post", "/api/v1/sites"),
    ("patch", "/api/v1/sites/1"),
    ("post", "/api/v1/sites/1/status"),
    ("post", "/api/v1/memberships"),
    ("patch", "/api/v1/memberships/1"),
    ("post", "/api/v1/projects"),
    ("patch", "/api/v1/projects/1"),
    ("put", "/api/v1/indicators"),
    ("post", "/api/v1/reported-figures"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_every_write_needs_credentials(client: Client, method, path):
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"][0]["type"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_every_write_needs_the_permission(reader_client: Client, method, path):
    cluster = factories.entered_cluster()
    org = factories.organization()
    membership = services.membership_create(organization=org, site=cluster, user=None)
    project = services.project_create(user=None, site=cluster, title="Проект")
    path = (
        path.replace("organizations/1", f"organizations/{org.pk}")
        .replace("sites/1", f"sites/{cluster.pk}")
        .replace("memberships/1", f"memberships/{membership.pk}")
        .replace("projects/1", f"projects/{project.pk}")
    )
    payloads = {
        "/api/v1/organizations": {"full_name": "X"},
        "/api/v1/sites": {"kind": "sez", "name": "X", "regions": ["40"]},
        "/api/v1/memberships": {"organization": org.pk, "site": cluster.pk},
        "/api/v1/projects": {"site": cluster.pk, "title": "X"},
        "/api/v1/indicators": {"site": cluster.pk, "year": 2024, "kind": "participants", "value": 1},
        "/api/v1/reported-figures": {"on": "2024-01-01", "metric": "m", "what": "w", "value": 1, "source": "s"},
    }
    payload = payloads.get(path, {"status": "applied", "on": "2024-01-01"} if path.endswith("/status") else {})
    response = getattr(reader_client, method)(path, payload, content_type="application/json")
    assert response.status_code == 403, response.content


def test_a_park_s_gisip_card_is_in_its_detail(client: Client):
    park = factories.site(kind="industrial_park", name="Парк «API»", park_card={"free_area_ha": "2.4", "residents": 14})
    detail = client.get(f"/api/v1/sites/{park.pk}").json()
    assert detail["park_card"] == {"free_area_ha": "2.4", "residents": 14}
