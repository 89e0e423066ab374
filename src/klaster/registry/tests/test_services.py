from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from klaster.registry import selectors, services
from klaster.registry.models import Membership, Organization
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_status_history_is_kept_and_current_status_derived():
    site = factories.site(name="Кластер истории")
    services.site_status_change(site=site, status="applied", on=date(2019, 3, 1), user=None)
    services.site_status_change(
        site=site, status="entered", on=date(2019, 6, 1), user=None, registry_number="ПК-0001", decree="ПП РФ № 779"
    )
    services.site_status_change(
        site=site, status="excluded", on=date(2023, 1, 10), user=None, reason="Не подтверждено соответствие требованиям"
    )
    site.refresh_from_db()
    assert (site.current_status, site.current_status_on, site.registry_number) == (
        "excluded",
        date(2023, 1, 10),
        "ПК-0001",
    )
    assert [e.status for e in site.status_events.all()] == ["applied", "entered", "excluded"]
    assert site.status_events.get(status="excluded").reason == "Не подтверждено соответствие требованиям"


def test_backdated_event_does_not_become_current():
    site = factories.entered_cluster(on=date(2020, 5, 1))
    services.site_status_change(site=site, status="announced", on=date(2018, 1, 1), user=None)
    site.refresh_from_db()
    assert site.current_status == "entered"


def test_exclusion_keeps_reason():
    site = factories.entered_cluster()
    with pytest.raises(ValidationError) as exc:
        services.site_status_change(site=site, status="excluded", on=date(2024, 1, 1), user=None)
    assert exc.value.message_dict["reason"] == ["Причина: укажите причину исключения из реестра"]
    assert site.status_events.count() == 1


def test_registry_number_unique_per_kind():
    factories.entered_cluster(number="ПК-0777")
    other = factories.site()
    with pytest.raises(ValidationError) as exc:
        services.site_status_change(
            site=other, status="entered", on=date(2021, 1, 1), user=None, registry_number="ПК-0777"
        )
    assert "registry_number" in exc.value.message_dict
    park = factories.site(kind="industrial_park", name="Парк с тем же номером")
    services.site_status_change(
        site=park, status="entered", on=date(2021, 1, 1), user=None, registry_number="ПК-0777"
    )  # another kind: allowed


def test_interregional_cluster_is_found_from_each_region():
    cluster = factories.site(regions=("40", "RU-MOS"), name="Межрегиональный кластер")
    assert sorted(cluster.regions.values_list("code", flat=True)) == ["40", "50"]
    for region in ("40", "50", "RU-KLU"):
        assert list(selectors.site_list(filters={"region": region})) == [cluster]
    assert list(selectors.site_list(filters={"federal_district": "central"})) == [cluster]  # once, not twice


def test_firm_in_two_clusters_and_three_projects():
    firm, partner = factories.organization(), factories.organization()
    first, second = factories.entered_cluster(), factories.entered_cluster()
    for cluster in (first, second):
        services.membership_create(organization=firm, site=cluster, user=None, role="participant")
        services.membership_create(organization=partner, site=cluster, user=None, role="participant")
    projects = [
        services.project_create(
            user=None,
            site=cluster,
            title=f"Проект {i}",
            participants=[(firm, "lead" if i else "buyer"), (partner, "co_executor")],
        )
        for i, cluster in enumerate([first, first, second])
    ]
    assert set(Membership.objects.filter(organization=firm).values_list("site_id", flat=True)) == {first.pk, second.pk}
    assert list(selectors.project_list(filters={"organization": firm.pk})) == projects
    assert list(selectors.organization_list(filters={"site": second.pk}, ordering="id")) == [firm, partner]


def test_inn_unique_when_present_and_optional():
    inn = factories.valid_inn()
    factories.organization(inn=inn)
    with pytest.raises(ValidationError) as exc:
        factories.organization(inn=inn)
    assert exc.value.message_dict["inn"] == ["ИНН: организация с таким ИНН уже есть в реестре"]
    factories.organization(inn=None)
    factories.organization(inn=None)  # many organisations without a known ИНН


def test_bad_inn_is_rejected_with_field_name():
    with pytest.raises(ValidationError) as exc:
        factories.organization(inn="7707083894")
    assert exc.value.message_dict["inn"] == ["ИНН: не сходится контрольное число"]
    assert not Organization.objects.filter(inn="7707083894").exists()


def test_yearly_figures_are_kept_per_year():
    org = factories.organization()
    services.organization_year_set(organization=org, year=2024, user=None, payroll_rub=Decimal("1000000.50"))
    services.organization_year_set(organization=org, year=2025, user=None, payroll_rub=Decimal("1200000"))
    services.organization_year_set(organization=org, year=2025, user=None, headcount=12)
    years = {y.year: (y.payroll_rub, y.headcount) for y in org.years.all()}
    assert years == {2024: (Decimal("1000000.50"), None), 2025: (Decimal("1200000.00"), 12)}


def test_membership_end_keeps_the_row_and_history():
    org, cluster = factories.organization(), factories.entered_cluster()
    membership = services.membership_create(organization=org, site=cluster, user=None)
    services.membership_end(membership=membership, on=date(2025, 1, 1), user=None, reason="Переезд")
    membership.refresh_from_db()
    assert membership.date_to == date(2025, 1, 1)
    assert membership.history.first().history_change_reason == "Выход: Переезд"
    services.membership_create(organization=org, site=cluster, user=None, date_from=date(2026, 1, 1))  # rejoin


def test_dates_in_order():
    org, cluster = factories.organization(), factories.entered_cluster()
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            organization=org, site=cluster, user=None, date_from=date(2024, 1, 1), date_to=date(2023, 1, 1)
        )
    assert "date_to" in exc.value.message_dict


def test_change_history_records_who_and_why():
    user = User.objects.create_user("analyst")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_organization", "change_organization"]))
    user = User.objects.get(pk=user.pk)
    org = services.organization_create(user=user, full_name="ООО «История»", reason="Ввод из анкеты")
    services.organization_update(organization=org, user=user, short_name="История", reason="Уточнение")
    records = list(org.history.order_by("history_date"))
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in records] == [
        ("+", user, "Ввод из анкеты"),
        ("~", user, "Уточнение"),
    ]
    delta = records[1].diff_against(records[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("short_name", "", "История")]


def test_writes_need_the_model_permission():
    nobody = User.objects.create_user("reader")
    with pytest.raises(PermissionDenied):
        services.organization_create(user=nobody, full_name="ООО «Нельзя»")
    assert not Organization.objects.filter(full_name="ООО «Нельзя»").exists()


def test_registry_records_are_never_hard_deleted():
    org = factories.organization()
    with pytest.raises(PermissionDenied):
        org.delete()
    with pytest.raises(PermissionDenied):
        Organization.objects.filter(pk=org.pk).delete()
    assert Organization.objects.filter(pk=org.pk).exists()


def test_purchase_from_oneself_is_rejected():
    firm, cluster = factories.organization(), factories.entered_cluster()
    project = services.project_create(user=None, site=cluster, title="Проект")
    with pytest.raises(ValidationError) as exc:
        services.start_batch_purchase_add(
            project=project, user=None, buyer=firm, supplier=firm, amount_rub=Decimal("100"), date=date(2024, 1, 1)
        )
    assert "supplier" in exc.value.message_dict


def test_joint_project_only_in_a_cluster():
    park = factories.site(kind="industrial_park", name="Парк")
    with pytest.raises(ValidationError) as exc:
        services.project_create(user=None, site=park, title="Проект в парке")
    assert "site" in exc.value.message_dict
