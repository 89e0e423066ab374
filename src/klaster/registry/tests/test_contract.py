from datetime import date
from decimal import Decimal

import pytest

from klaster.registry import services
from klaster.registry.contract import organization_input, site_input
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_organization_input_holds_what_the_rules_read_and_leaves_unknowns_out():
    cluster = factories.entered_cluster(
        on=date(2019, 5, 1), regions=("40",), functional_dependence_share=Decimal("0.22")
    )
    buyer = factories.organization(
        inn=factories.valid_inn(),
        size="medium",
        industrial_producer=True,
        spic_version="1.0",
        spic_since=date(2023, 5, 1),
        spic_until=date(2033, 5, 1),
    )
    supplier = factories.organization(size="small")
    services.organization_year_set(
        organization=buyer, year=2026, user=None, headcount=420, payroll_rub=Decimal("600000000")
    )
    for org in (buyer, supplier):
        services.membership_create(
            organization=org,
            site=cluster,
            user=None,
            date_from=date(2021, 3, 1),
            producing=True,
            has_contract_with_participant=True,
        )
    project = services.project_create(
        user=None,
        site=cluster,
        title="П",
        import_substitution=True,
        stage="serial",
        participants=[(buyer, "buyer"), (supplier, "lead")],
    )
    services.start_batch_purchase_add(
        project=project,
        user=None,
        buyer=buyer,
        supplier=supplier,
        amount_rub=Decimal("120000000"),
        date=date(2025, 4, 10),
    )
    services.project_cost_add(project=project, user=None, cost_type="rnd", amount_rub=Decimal("100000000"))
    services.loan_create(
        user=None,
        organization=buyer,
        programme="industrial_mortgage",
        amount_rub=Decimal("400000000"),
        term_years=7,
        signed_on=date(2026, 3, 1),
        purpose="purchase",
        property_area_m2=6000,
        property_region_id="40",
    )
    data = organization_input(buyer, date(2026, 6, 1))
    firms = {f["id"]: f for f in data["firms"]}
    me = firms[f"f{buyer.pk}"]
    assert me["spic"] == {"version": "1.0", "since": "2023-05-01", "until": "2033-05-01"}
    assert (me["headcount"], me["payroll_rub"], me["region"], me["okved"]) == (420, 600000000, "40", "29.32")
    assert "revenue_rub" not in me and "technological_company" not in me  # unknown stays absent
    assert me["memberships"] == [
        {
            "site": f"s{cluster.pk}",
            "role": "participant",
            "since": "2021-03-01",
            "producing": True,
            "has_contract_with_participant": True,
        }
    ]
    assert f"f{supplier.pk}" in firms and "spic" not in firms[f"f{supplier.pk}"]
    site = data["sites"][0]
    assert site["registry"] == {"status": "entered", "since": "2019-05-01", "confirmed_pp779": True}
    assert site["functional_dependence_share"] == 0.22
    project_data = data["projects"][0]
    assert project_data["start_batch_purchases"] == [
        {"buyer": f"f{buyer.pk}", "supplier": f"f{supplier.pk}", "amount_rub": 120000000, "date": "2025-04-10"}
    ]
    assert project_data["costs_rub"] == {"rnd": 100000000}
    assert data["loans"][0]["amount_rub"] == 400000000 and data["loans"][0]["property_region"] == "40"


def test_site_input_on_a_date_before_entry_is_not_confirmed():
    cluster = factories.entered_cluster(on=date(2022, 1, 1))
    services.site_status_change(site=cluster, status="applied", on=date(2021, 6, 1), user=None)
    data = site_input(cluster, date(2021, 12, 31))
    assert data["sites"][0]["registry"] == {"status": "applied", "since": "2021-06-01", "confirmed_pp779": False}
