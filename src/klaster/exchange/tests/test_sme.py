"""The SME registry XML refreshes organisations matched by ИНН; others are counted, not added."""

import pytest

from klaster.exchange.importer import import_file
from klaster.registry.models import Organization
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def sme_xml(docs: str) -> str:
    return (
        '<?xml version="1.0" encoding="windows-1251"?>\n'
        '<Файл ИдФайл="VO_RRMSPSV_0000_9965_20240510_1" ВерсФорм="4.03" ТипИнф="РЕЕСТРМСП" КолДок="2">'
        f"{docs}</Файл>"
    )


def doc(inn: str, category: str = "2", okved: str = "29.32", region: str = "40", headcount: str = "57") -> str:
    return (
        f'<Документ ИдДок="1" ДатаСост="10.05.2024" ДатаВклМСП="10.08.2016" ВидСубМСП="1" КатСубМСП="{category}" '
        f'ПризНовМСП="2" ССЧР="{headcount}"><ОргВклМСП НаимОрг="ООО ТЕСТ" ИННЮЛ="{inn}"/>'
        f'<СведМН КодРегион="{region}"><Регион Тип="ОБЛАСТЬ" Наим="КАЛУЖСКАЯ"/></СведМН>'
        f'<СвОКВЭД><СвОКВЭДОсн КодОКВЭД="{okved}" НаимОКВЭД="…" ВерсОКВЭД="2014"/></СвОКВЭД></Документ>'
    )


def test_refreshes_size_headcount_okved_region(tmp_path):
    org = factories.organization(inn=factories.valid_inn(), size="large", region_id="71", okved_id="22.21")
    outsider = factories.valid_inn()
    path = tmp_path / "sme.xml"
    path.write_bytes(sme_xml(doc(org.inn) + doc(outsider)).encode("cp1251"))
    run = import_file(path, "sme")
    assert run.status == "done", run.errors or run.message
    assert run.counts == {"rows": 2, "documents": 2, "organizations_updated": 1, "organizations_unchanged": 0,
                          "not_in_registry": 1, "years_created": 1, "years_updated": 0}  # fmt: skip
    org.refresh_from_db()
    assert (org.size, org.region_id, org.okved_id) == ("small", "40", "29.32")
    assert org.years.get(year=2024).headcount == 57
    assert not Organization.objects.filter(inn=outsider).exists()


def test_bad_document_rejects_the_file(tmp_path):
    org = factories.organization(inn=factories.valid_inn())
    path = tmp_path / "bad.xml"
    path.write_bytes(sme_xml(doc(org.inn, category="7") + doc("1234567890")).encode("cp1251"))
    run = import_file(path, "sme")
    assert run.status == "rejected" and [e["column"] for e in run.errors] == ["КатСубМСП", "ИННЮЛ"]
    org.refresh_from_db()
    assert org.size == "medium"


@pytest.mark.parametrize(("content", "message"), [(b"<a/>", "не выгрузка реестра МСП"),
                                                  (sme_xml(doc("7707083893"))[:150].encode(), "обрезан")])  # fmt: skip
def test_not_sme_or_cut_off(tmp_path, content, message):
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    run = import_file(path, "sme")
    assert run.status == "failed" and message in run.message


def test_okved_refresh_from_the_official_cp1251_file(tmp_path):
    from importlib import resources

    source = resources.files("klaster.registry") / "data" / "okved2_rosstat_opendata_20231201_cp1251.csv"
    raw = source.read_bytes() + '"C";"29.99";"Новый код для проверки"\n'.encode("cp1251")
    path = tmp_path / "okved.csv"
    path.write_bytes(raw)
    run = import_file(path, "okved")
    assert run.status == "done", run.message
    assert run.counts["codes"] == 2_900 and run.counts["added"] == 1
    from klaster.registry.models import Okved

    assert Okved.objects.get(code="29.99").name == "Новый код для проверки"
    short = tmp_path / "short.csv"
    short.write_bytes('"C";"29.99";"Один код"\n'.encode("cp1251"))
    assert "не полный классификатор" in import_file(short, "okved").message


def test_a_long_file_is_held_in_memory_only_for_the_registry_s_firms(tmp_path):
    """Real files list millions of firms outside any cluster: they are counted, not kept."""
    import tracemalloc

    import numpy as np

    from klaster.exchange import sme
    from klaster.registry.synth.identifiers import inn10

    org = factories.organization(inn=factories.valid_inn())
    outsiders = inn10(np.full(20_000, 50), np.arange(3_000_000, 3_020_000))
    path = tmp_path / "long.xml"
    with path.open("wb") as fh:
        fh.write(sme_xml("{}").split("{}")[0].encode("cp1251"))
        for i in range(20_000):
            fh.write(doc(outsiders[i]).encode("cp1251"))
        fh.write(doc(org.inn).encode("cp1251") + "</Файл>".encode("cp1251"))
    assert path.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        plan = sme.validate(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (plan.rows, plan.outside, list(plan.records)) == (20_001, 20_000, [org.inn])
    assert peak < 2_000_000, peak
    run = import_file(path, "sme")
    assert run.counts["not_in_registry"] == 20_000 and run.counts["organizations_updated"] == 1
