"""GISIP park cards: the card's fields read under their usual headers, kept on the site with history, exported in
the same columns, shown on the site's page."""

import pytest
from django.test import Client

from klaster.exchange import export
from klaster.exchange.importer import import_file
from klaster.exchange.tests.test_import import write_csv
from klaster.registry.models import Site

pytestmark = pytest.mark.django_db
HEAD = ["Наименование парка", "Вид площадки", "Регион площадки", "Тип площадки", "Статус парка",
        "Продажа земли", "Расстояние до регионального центра, км", "Свободная площадь, га", "Электроэнергия, МВт",
        "Газ, м3/ч", "Число резидентов", "Частные инвестиции, руб", "Контакты"]  # fmt: skip
CARD = ["Индустриальный парк «Ворсино»", "индустриальный парк", "40", "гринфилд", "действующий", "да", "28,5",
        "1 000,25", "150", "10 000", "71", "1,5 млрд", "+7 (4842) 00-00-00"]  # fmt: skip


def test_a_card_is_read_kept_with_history_exported_and_shown(tmp_path):
    run = import_file(write_csv(tmp_path / "гисип.csv", [CARD], head=HEAD), "parks")
    assert run.status == "done", run.errors or run.message
    park = Site.objects.get(name="Индустриальный парк «Ворсино»")
    assert park.park_card == {
        "site_type": "greenfield", "operation": "operating", "land_sale": True, "distance_centre_km": "28.5",
        "free_area_ha": "1000.25", "electricity_mw": "150", "gas_m3h": "10000", "residents": 71,
        "investment_private_rub": "1500000000", "contacts": "+7 (4842) 00-00-00",
    }  # fmt: skip
    page = Client().get(f"/sites/{park.pk}/").content.decode()
    assert "<h2>Карточка ГИСИП</h2>" in page and "<dd>1 000,25</dd>" in page and "<dd>1 500 000 000</dd>" in page
    out = tmp_path / "parks.csv"
    export.write("parks", "csv", out)
    text = out.read_text(encoding="utf-8-sig")
    assert ";гринфилд;действующий;да;;28,5;" in text  # a blank «Аренда земельных участков» stays blank
    assert ";1000,25;" in text and ";1500000000;" in text
    again = import_file(out, "parks")
    assert (again.counts["sites_updated"], again.counts["sites_unchanged"]) == (0, 1), again.counts
    changed = list(CARD)
    changed[7] = "900"  # some land sold: the rest of the card stays
    run = import_file(write_csv(tmp_path / "продано.csv", [changed[:8]], head=HEAD[:8]), "parks")
    assert run.counts["sites_updated"] == 1, run.errors or run.counts
    park.refresh_from_db()
    assert park.park_card["free_area_ha"] == "900" and park.park_card["residents"] == 71
    old = park.history.all()[1]
    assert old.park_card["free_area_ha"] == "1000.25"


def test_a_bad_card_value_is_the_row_s_error(tmp_path):
    bad = list(CARD)
    bad[3], bad[10] = "пустырь", "70,5"
    run = import_file(write_csv(tmp_path / "плохо.csv", [bad], head=HEAD), "parks")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [
        (2, "Тип площадки", "пустырь"), (2, "Число резидентов", "70,5")
    ]  # fmt: skip
    assert "допустимо" in run.errors[0]["reason"] and "целое" in run.errors[1]["reason"]
    assert not Site.objects.filter(name="Индустриальный парк «Ворсино»").exists()
