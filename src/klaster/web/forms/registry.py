"""Filter forms of the registry pages: they validate the query string, so no value can cause a 500."""

from django import forms
from django.core.validators import RegexValidator

from klaster.core.models import SourceKind
from klaster.registry.choices import FederalDistrict, RegistryStatus, SiteKind, SizeCategory
from klaster.registry.models import Region
from klaster.web.forms.rendering import WIDGETS

PER_PAGE = [(25, "25"), (50, "50"), (100, "100")]
SOURCES = [
    ("", "Все"),
    ("real", "Реальные"),
    (SourceKind.SYNTHETIC, "Синтетические"),
    (SourceKind.DEMO, "Демо"),
    (SourceKind.FILE, "Из файлов"),
    (SourceKind.MANUAL, "Введённые вручную"),
]


def region_choices() -> list[tuple[str, str]]:
    return [("", "Все регионы")] + [(r.code, r.name) for r in Region.objects.order_by("name")]


def okved_field(label: str) -> forms.CharField:
    """An ОКВЭД2 code prefix (29, 29.3, 29.32): digits and dots only."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=12,
        validators=[RegexValidator(r"^[0-9.]*$", "ОКВЭД2: только цифры и точки, например 29.3")],
        widget=forms.TextInput(attrs={"placeholder": "29.3", "size": 7}),
    )


class BaseFilterForm(forms.Form):
    default_renderer = WIDGETS

    q = forms.CharField(
        label="Поиск",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "название, ИНН, место"}),
    )
    region = forms.ChoiceField(label="Регион", required=False)
    district = forms.ChoiceField(
        label="Федеральный округ", required=False, choices=[("", "Все округа"), *FederalDistrict.choices]
    )
    source = forms.ChoiceField(label="Источник", required=False, choices=SOURCES)
    per_page = forms.TypedChoiceField(label="На странице", required=False, choices=PER_PAGE, coerce=int, empty_value=25)
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label="Сортировка", required=False)

    SORTS: list[tuple[str, str]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["sort"].choices = self.SORTS

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q"),
            "region": data.get("region"),
            "federal_district": data.get("district"),
            "source": data.get("source"),
        }


class SiteFilterForm(BaseFilterForm):
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "Любой"), *RegistryStatus.choices])
    kind = forms.ChoiceField(label="Вид", required=False, choices=[("", "Все виды"), *SiteKind.choices])
    okved = okved_field("Специализация (ОКВЭД2)")
    SORTS = [
        ("name", "по названию"),
        ("-name", "по названию (Я–А)"),
        ("status", "по статусу"),
        ("-status_on", "по дате статуса"),
        ("-created", "сначала новые"),
    ]

    def __init__(self, *args, site_kinds: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if len(site_kinds) < 2:  # a list of one kind needs no kind filter
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [("", "Все виды"), *[(k, SiteKind(k).label) for k in site_kinds]]

    def selector_filters(self) -> dict:
        return {
            **super().selector_filters(),
            "status": self.cleaned_data.get("status"),
            "okved": self.cleaned_data.get("okved"),
            "kind": self.cleaned_data.get("kind"),
        }


class OrganizationFilterForm(BaseFilterForm):
    size = forms.ChoiceField(label="Категория", required=False, choices=[("", "Любая"), *SizeCategory.choices])
    okved = okved_field("ОКВЭД2")
    SORTS = [
        ("name", "по названию"),
        ("-name", "по названию (Я–А)"),
        ("inn", "по ИНН"),
        ("region", "по региону"),
        ("-created", "сначала новые"),
    ]

    def selector_filters(self) -> dict:
        return {
            **super().selector_filters(),
            "size": self.cleaned_data.get("size"),
            "okved": self.cleaned_data.get("okved"),
        }


class ProjectFilterForm(BaseFilterForm):
    district = None  # projects are filtered by their cluster's region
    SORTS = [("id", "по порядку")]

    def selector_filters(self) -> dict:
        data = super().selector_filters()
        data.pop("federal_district")
        return data
