"""docs/measures.md is generated from the rules and must be current."""

from klaster.rules import docs


def test_measures_doc_is_current():
    assert docs.main(["--check"]) == 0, "docs/measures.md устарел: python -m klaster.rules.docs"
