"""«Подбор мер поддержки»: a company outside the registry gets the navigator's answer, and every
«неизвестно» names the field that would settle it."""

import re
from datetime import date

import pytest
from django.test import Client

from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db
URL = "/measures/selection/"


@pytest.fixture
def cluster(db):
    return factories.entered_cluster(on=date(2020, 5, 1), name="Кластер «Проверочный»")


def page(client: Client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def row(text: str, title: str) -> str:
    """The answer's table row of one measure (up to the next measure's title or the end of the table)."""
    start = text.index(title, text.index("Ответ на"))
    ends = [text.find(t, start + len(title)) for t in ("Промышленная ипотека", "Пониженные страховые", "Klaster —")]
    return text[start : min(e for e in ends if e > 0)]


def purchase(cluster, **extra) -> dict:
    return {
        "on": "01.06.2025",
        "cluster": str(cluster.pk),
        "member_role": "participant",
        "member_since": "01.01.2021",
        "purchase_amount_rub": "120 000 000",
        "purchase_date": "10.04.2025",
        **extra,
    }


def test_empty_form_shows_fields_and_no_answer(client: Client, cluster):
    text = page(client)
    assert "Подбор мер поддержки" in text and "Кластер «Проверочный» — включён в реестр" in text
    assert "Ответ на" not in text


def test_start_batch_bought_in_the_cluster_is_half_of_the_costs(client: Client, cluster):
    # 120 000 000 × 0,5 = 60 000 000 ₽, under the 150 000 000 ₽ cap (ПП № 41, regime from 2023).
    text = page(client, **purchase(cluster, supplier_in_cluster="yes", supplier_since="01.01.2021"))
    answer = row(text, "Субсидия на стартовые партии (ПП № 41) 2025")
    assert " да " in answer and "60 000 000 ₽" in answer and "Все условия выполнены" in answer


def test_unknown_supplier_names_the_fields_that_answer_it(client: Client, cluster):
    text = page(client, **purchase(cluster))
    answer = row(text, "Субсидия на стартовые партии (ПП № 41) 2025")
    assert "неизвестно" in answer
    assert (
        "Стартовая партия куплена у другого участника того же кластера — неизвестно" in answer
        and "Ответ даст поле: «Поставщик — участник того же кластера»" in answer
    )
    # With the supplier known to be outside the cluster, the answer is «нет», not «неизвестно».
    text = page(client, **purchase(cluster, supplier_in_cluster="no"))
    answer = row(text, "Субсидия на стартовые партии (ПП № 41) 2025")
    assert " нет " in answer and "куплена у другого участника того же кластера — не выполнено" in answer


def test_unknown_revenue_and_spic_are_named(client: Client, cluster):
    text = page(
        client,
        on="01.06.2025",
        cluster=str(cluster.pk),
        member_role="participant",
        member_since="01.01.2021",
        okved="29.32",
        loan_programme="industrial_mortgage",
        loan_amount_rub="300 000 000",
    )
    mortgage = row(text, "Промышленная ипотека (ПП № 1570)")
    assert "Выручка заёмщика не больше 2 млрд ₽" in mortgage and "Ответ даст поле: «Выручка за год, ₽»" in mortgage
    premiums = row(text, "Пониженные страховые взносы")
    assert "Ответ даст поле: «СПИК»" in premiums


def test_a_company_outside_any_cluster_is_told_no(client: Client, cluster):
    text = page(client, on="01.06.2025", cluster="none", spic_version="1.0", spic_since="01.01.2024")
    premiums = row(text, "Пониженные страховые взносы")
    assert " нет " in premiums and "участник промышленного кластера, включённого в реестр — не выполнено" in premiums


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "1234567890", "ИНН: 10 цифр организации или 12 цифр ИП с верными контрольными цифрами"),
        ("okved", "99.99", "ОКВЭД2 «99.99» не найден в классификаторе"),
        ("revenue_rub", "-5", "Сумма не может быть отрицательной"),
        ("revenue_rub", "много", "Введите сумму в рублях цифрами"),
        ("revenue_rub", "9" * 40, "Слишком длинное число"),
        ("on", "31.02.2024", "Дата в виде ДД.ММ.ГГГГ"),
        ("cluster", "999999", "Выберите корректный вариант"),
        ("size", "<script>alert(1)</script>", "Выберите корректный вариант"),
        ("headcount", "-1", "больше либо равно 0"),
        ("loan_programme", "industrial_mortgage", "Укажите сумму кредита"),
    ],
)
def test_bad_input_names_the_field(client: Client, cluster, field, value, message):
    response = client.get(URL, {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Исправьте поля, отмеченные красным" in html and "Ответ на" not in html
    assert "<script>alert(1)</script>" not in html
