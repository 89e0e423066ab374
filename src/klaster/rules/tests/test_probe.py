"""`answering_fields` asks the rules which empty input would settle each unknown condition."""

from klaster.rules.probe import AMOUNT, answering_fields

SITE = {"id": "s1", "kind": "industrial_cluster", "registry": {"status": "entered", "since": "2020-05-01"}}
PROBES = {"revenue": 1.0e9, "spic": "1.0", "spic_since": "2024-01-01", "term": 5, "note": "не читается правилами"}


def build(values: dict) -> dict:
    """A participant of a confirmed cluster with a planned industrial-mortgage loan."""
    firm = {"id": "f", "okved": "29.32", "memberships": [{"site": "s1", "role": "participant", "since": "2021-01-01"}]}
    if values.get("revenue") is not None:
        firm["revenue_rub"] = values["revenue"]
    if values.get("spic"):
        firm["spic"] = {
            "version": values["spic"],
            **({"since": values["spic_since"]} if values.get("spic_since") else {}),
        }
    loan = {"id": "l", "firm": "f", "programme": "industrial_mortgage", "amount_rub": 3.0e8, "signed_on": "2025-06-01"}
    if values.get("term") is not None:
        loan["term_years"] = values["term"]
    return {"date": "2025-06-01", "firms": [firm], "sites": [SITE], "loans": [loan]}


def hints_of(values: dict) -> dict:
    hints = answering_fields(values, build, PROBES)
    return {(key[0], code): sorted(h.fields) for key, codes in hints.items() for code, h in codes.items()}


def test_each_unknown_names_the_fields_it_reads():
    hints = hints_of({})
    assert hints[("industrial_mortgage", "industrial_mortgage_revenue")] == ["revenue"]
    assert hints[("industrial_mortgage", "industrial_mortgage_term_max")] == ["term"]
    # A SPIC in force on the date needs both its version and its date: each is named.
    assert hints[("cluster_insurance_premiums", "cluster_insurance_premiums_spic_party")] == ["spic", "spic_since"]
    assert hints[("cluster_insurance_premiums", "cluster_insurance_premiums_within_term")] == ["spic", "spic_since"]
    assert all("note" not in fields for fields in hints.values())  # a field the rules never read is never named


def test_a_filled_field_is_not_suggested_again():
    hints = hints_of({"revenue": 5.0e8})
    assert ("industrial_mortgage", "industrial_mortgage_revenue") not in hints
    assert hints[("industrial_mortgage", "industrial_mortgage_term_max")] == ["term"]


def test_unknowns_no_field_can_settle_are_reported_empty():
    """The purpose of the loan is not in this build: no probe can answer it, and none is named."""
    hints = hints_of({})
    assert hints[("industrial_mortgage", "industrial_mortgage_purpose")] == []
    assert (("industrial_mortgage", AMOUNT)) in hints
