import pytest

from klaster.registry.models import Okpd, Okved, Region
from klaster.registry.reference import load_reference, okpd_rows

pytestmark = pytest.mark.django_db


def test_all_89_federal_subjects_with_codes():
    assert Region.objects.count() == 89
    kaluga = Region.objects.get(code="40")
    assert (kaluga.iso_code, kaluga.name, kaluga.federal_district) == ("RU-KLU", "Калужская область", "central")
    assert kaluga.population == 1_000_070
    assert Region.objects.get(code="91").iso_code == "RU-CR"
    assert Region.objects.get(code="92").iso_code == "RU-SEV"
    new = Region.objects.filter(code__in=["90", "93", "94", "95"])
    assert sorted(r.name for r in new) == [
        "Донецкая Народная Республика",
        "Запорожская область",
        "Луганская Народная Республика",
        "Херсонская область",
    ]
    assert all(r.iso_code is None and r.federal_district == "southern" for r in new)
    assert not Region.objects.filter(code="99").exists()  # Baikonur is not a subject


def test_population_joined_for_every_subject_in_the_2020_file():
    assert Region.objects.filter(population__isnull=False).count() == 85
    assert Region.objects.get(code="86").population is not None  # ХМАО: name differs between files
    assert Region.objects.get(code="21").population is not None  # Чувашия: name differs too


def test_okved_hierarchy_from_the_windows_1251_file():
    assert Okved.objects.count() == 2899
    code = Okved.objects.get(code="26.40.2")
    assert code.name.startswith("Производство телевизионных приемников")
    assert [code.parent_id, code.parent.parent_id, code.parent.parent.parent_id] == ["26.40", "26.4", "26"]
    assert Okved.objects.get(code="26").parent_id == "C"
    assert Okved.objects.filter(section="C").count() == 1072 + 0  # manufacturing, as in SOURCE.md


def test_okpd_loaded_with_stray_quotes_removed():
    assert Okpd.objects.count() == 20328
    robots = Okpd.objects.get(code="28.99.39.290")
    assert not robots.name.endswith('"')
    assert robots.section == "C" and robots.parent_id == "28.99.39"


def test_reload_is_idempotent():
    assert load_reference() == {"regions": 0, "okved": 0, "okpd": 0}
    assert load_reference(force=True)["regions"] == 89
    assert Region.objects.count() == 89


def test_okpd_rows_need_no_database():
    assert len(okpd_rows()) == 20328
