import pytest

from klaster.registry import search
from klaster.registry.demo import load_demo
from klaster.registry.models import Organization, SearchDocument, Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def names(query: str, kind: str = "site") -> set[str]:
    ids = search.match_ids(query, kind) or []
    model = {"site": Site, "organization": Organization}[kind]
    return set(
        model.objects.filter(pk__in=ids).values_list("full_name" if kind == "organization" else "name", flat=True)
    )


def test_word_forms_and_places():
    load_demo()
    assert names("кластеры фармацевтические") == {"Фармацевтический кластер Калужской области"}
    kaluga = names("Калуге")
    assert "ОЭЗ «Калуга»" in kaluga and "Промышленный технопарк «Азаровский»" in kaluga
    assert names("калужские кластеры") == names("кластер Калужская область")
    assert "Фармацевтический кластер Калужской области" in names("калужские кластеры")
    assert names("Татарстане") == {"ОЭЗ «Алабуга»", "Северные ворота", "Этилен-600"}
    assert names("Казань") == names("Татарстан")  # the capital finds the region's sites
    assert names("несуществующееслово") == set()
    assert search.match_ids("«» !!", "site") is None


def test_organisation_by_inn_and_index_kept_current_on_save():
    inn = factories.valid_inn()
    org = factories.organization(full_name="ООО «Ромашка»", inn=inn)
    assert names(inn, "organization") == {"ООО «Ромашка»"}
    assert inn not in SearchDocument.objects.get(kind="organization", object_id=org.pk).lemmas  # found by its own index
    assert names(f"ромашка {inn}", "organization") == {"ООО «Ромашка»"}
    assert names(f"василек {inn}", "organization") == set()
    assert names(f"ромашка {factories.valid_inn()}", "organization") == set()
    ogrn = factories.valid_ogrn()
    Organization.objects.filter(pk=org.pk).update(ogrn=ogrn)
    assert names(ogrn, "organization") == {"ООО «Ромашка»"}
    assert names(f"{ogrn} ромашка {inn}", "organization") == {"ООО «Ромашка»"}  # both codes and a word
    other = factories.organization(full_name="ООО «Лютик»", inn=factories.valid_inn())
    assert names(f"{other.inn} {ogrn}", "organization") == set()  # the codes of two organisations
    assert names(f"лютик {other.inn}", "organization") == {"ООО «Лютик»"}
    assert names(f"ромашка {other.inn}", "organization") == set()
    factories.organization(full_name="ИП Лютикова Анна Петровна", inn="500100732259")
    assert names("лютикова 500100732259", "organization") == {"ИП Лютикова Анна Петровна"}
    listed = search.filter_queryset(Organization.objects.all(), f"ромашки {inn}", "organization")
    assert list(listed.values_list("full_name", flat=True)) == ["ООО «Ромашка»"]
    site = factories.site(name="Технопарк 7701234567")  # a number in a site's name is one of its words
    assert search.match_ids("технопарк 7701234567", "site") == [site.pk]
    org.full_name = "ООО «Василёк»"
    org.save()
    assert names("василек", "organization") == {"ООО «Василёк»"}
    assert names("ромашка", "organization") == set()
    assert SearchDocument.objects.filter(kind="organization", object_id=org.pk).count() == 1


def test_hostile_queries_do_not_break_the_index():
    load_demo()
    for query in ['"', "' OR 1=1 --", "NEAR(a b)", "a*", "кластер AND", "<script>", "я" * 500, "^^"]:
        search.match_ids(query, "site")  # no exception
