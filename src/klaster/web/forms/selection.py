"""«Подбор мер поддержки»: what a company outside the registry tells about itself and its plans.

Every field is optional: an empty field is «не знаю», and the rules answer «неизвестно» where it
matters (never «нет»). The form only validates and converts; `klaster.web.selection` turns the
cleaned values into the rules' input and asks which empty fields would settle each unknown.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from stdnum.ru import inn as inn_check

from klaster.exchange.values import parse_number
from klaster.registry.choices import LoanProgramme, LoanPurpose, MembershipRole, SiteKind, SizeCategory, SpicVersion
from klaster.registry.models import Okved, Region, Site
from klaster.web.forms.rendering import WIDGETS

TRI = [("", "не знаю"), ("yes", "да"), ("no", "нет")]
NOT_MEMBER = "none"


class RubField(forms.Field):
    """Rubles as people write them: «1 500 000», «1 500 000,50», «2000000»."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1 500 000", "maxlength": 30})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 30:
            raise ValidationError("Слишком длинное число")
        try:
            amount = parse_number(text)  # the same reading as imports: «1 500 000», «1,5 млрд», «300 млн ₽»
        except ValueError:
            raise ValidationError("Введите сумму в рублях цифрами, например 1 500 000") from None
        if not amount.is_finite() or amount < 0:
            raise ValidationError("Сумма не может быть отрицательной")
        if amount > Decimal("1e13"):
            raise ValidationError("Сумма больше 10 трлн ₽ — проверьте число")
        return amount


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "ДД.ММ.ГГГГ"}),
        error_messages={"invalid": "Дата в виде ДД.ММ.ГГГГ, например 29.05.2024"},
    )


def _tri(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=TRI)


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "не знаю"), *choices])


class SelectionForm(forms.Form):
    """Grouped in the page as «Компания», «Участие в кластере», «Планируемый кредит», «Стартовая партия»."""

    default_renderer = WIDGETS
    on = _date("Дата расчёта")
    # Компания
    name = forms.CharField(label="Название", required=False, max_length=300)
    inn = forms.CharField(label="ИНН", required=False, max_length=12)
    region = forms.ChoiceField(label="Регион", required=False)
    okved = forms.CharField(
        label="Основной ОКВЭД2", required=False, max_length=12, widget=forms.TextInput(attrs={"placeholder": "29.32"})
    )
    size = _choice("Категория", SizeCategory.choices)
    industrial_producer = _tri("Промышленный производитель")
    technological_company = _tri("Технологическая компания")
    headcount = forms.IntegerField(label="Среднесписочная численность", required=False, min_value=0, max_value=10**7)
    revenue_rub = RubField(label="Выручка за год, ₽")
    payroll_rub = RubField(label="Фонд оплаты труда за год, ₽")
    spic_version = _choice("СПИК", SpicVersion.choices)
    spic_since = _date("СПИК заключён")
    # Участие в кластере
    cluster = forms.ChoiceField(label="Кластер", required=False)
    member_role = _choice("Роль в кластере", MembershipRole.choices[:2])
    member_since = _date("Участник с")
    producing = _tri("Уже выпускает продукцию")
    # Планируемый кредит
    loan_programme = forms.ChoiceField(
        label="Программа", required=False, choices=[("", "кредит не планируется"), *LoanProgramme.choices]
    )
    loan_amount_rub = RubField(label="Сумма кредита, ₽")
    loan_term_years = forms.DecimalField(label="Срок, лет", required=False, min_value=Decimal("0.1"), max_value=50)
    loan_signed_on = _date("Дата договора")
    loan_purpose = _choice("Цель", LoanPurpose.choices)
    property_area_m2 = forms.DecimalField(label="Площадь объекта, м²", required=False, min_value=1, max_value=10**8)
    property_cost_rub = RubField(label="Стоимость объекта, ₽")
    project_cost_rub = RubField(label="Стоимость проекта, ₽")
    priority_product = _tri("Продукция из перечня приоритетной")
    lender_authorised = _tri("Банк — уполномоченный кредитор программы")
    investment_phase_years = forms.DecimalField(
        label="Инвестиционная фаза, лет", required=False, min_value=0, max_value=50
    )
    # Стартовая партия
    purchase_amount_rub = RubField(label="Стоимость стартовой партии, ₽")
    purchase_date = _date("Дата закупки")
    supplier_in_cluster = _tri("Поставщик — участник того же кластера")
    supplier_since = _date("Поставщик в кластере с")
    documented = _tri("Затраты подтверждены документами")

    GROUPS = (
        ("Компания", ("name", "inn", "region", "okved", "size", "industrial_producer", "technological_company",
                      "headcount", "revenue_rub", "payroll_rub", "spic_version", "spic_since")),
        ("Участие в кластере", ("cluster", "member_role", "member_since", "producing")),
        ("Планируемый кредит", ("loan_programme", "loan_amount_rub", "loan_term_years", "loan_signed_on",
                                "loan_purpose", "property_area_m2", "property_cost_rub", "project_cost_rub",
                                "priority_product", "lender_authorised", "investment_phase_years")),
        ("Стартовая партия у другого участника кластера (ПП № 41)", ("purchase_amount_rub", "purchase_date",
                                                                     "supplier_in_cluster", "supplier_since",
                                                                     "documented")),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "не знаю")] + [
            (r.code, f"{r.code} — {r.name}") for r in Region.objects.order_by("code")
        ]
        clusters = Site.objects.filter(kind=SiteKind.INDUSTRIAL_CLUSTER).order_by("name")
        self.fields["cluster"].choices = [(NOT_MEMBER, "не участвует в кластере")] + [
            (str(s.pk), f"{s.name} — {s.get_current_status_display().lower()}" if s.current_status else s.name)
            for s in clusters
        ]

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def clean_inn(self) -> str:
        value = "".join(self.cleaned_data["inn"].split())
        if value and not inn_check.is_valid(value):
            raise ValidationError("ИНН: 10 цифр организации или 12 цифр ИП с верными контрольными цифрами")
        return value

    def clean_okved(self) -> str:
        value = self.cleaned_data["okved"].strip()
        if value and not Okved.objects.filter(code=value).exists():
            raise ValidationError(f"ОКВЭД2 «{value[:12]}» не найден в классификаторе; пример: 29.32")
        return value

    def clean_cluster(self) -> str:
        return self.cleaned_data["cluster"] or NOT_MEMBER

    def clean_on(self) -> date:
        return self.cleaned_data["on"] or date.today()

    def clean(self):
        data = super().clean()
        if data.get("loan_programme") and data.get("loan_amount_rub") in (None, Decimal(0)):
            self.add_error("loan_amount_rub", "Укажите сумму кредита: без неё кредит нельзя оценить")
        if data.get("purchase_amount_rub") and not data.get("purchase_date"):
            self.add_error("purchase_date", "Укажите дату закупки: от неё зависит, какой режим ПП № 41 действует")
        return data
