"""Forms of «Реформы»: start a run, build a scenario. They validate and convert; services decide."""

from decimal import Decimal

from django import forms

from klaster.reforms import services
from klaster.rules.parameters_tree import parameter_list
from klaster.simulation.params import MEASURES
from klaster.web.forms.selection import RubField
from klaster.web.navigator import MEASURE_TITLES


def _scenario_choices() -> list[tuple[str, str]]:
    return [(s["name"], s["title"]) for s in services.scenario_list()]


class RunForm(forms.Form):
    scenario = forms.MultipleChoiceField(
        label="Сценарий", help_text="Несколько — применяются по очереди", widget=forms.SelectMultiple(attrs={"size": 4})
    )
    baseline = forms.MultipleChoiceField(
        label="База", required=False, help_text="Пусто — действующие правила",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )  # fmt: skip
    population = forms.ChoiceField(label="Популяция")
    year_from = forms.IntegerField(label="С года", initial=2026, min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label="По год", initial=2030, min_value=2000, max_value=2100)
    growth = forms.DecimalField(label="Рост в год, %", initial=5, min_value=-50, max_value=100, decimal_places=2)
    pp41_budget = RubField(label="Лимит ПП № 41 в год, ₽", help_text="Пусто — из параметра правил")
    rationing = forms.ChoiceField(
        label="Распределение при нехватке лимита",
        choices=[("ranked", "по баллу: меньшие заявки первыми"), ("pro_rata", "пропорционально"),
                 ("first_come", "в порядке подачи")],
    )  # fmt: skip
    take_up_mode = forms.ChoiceField(
        label="Получатели", choices=[("expected", "ожидаемое значение"), ("draw", "случайный выбор (зерно 1)")]
    )
    sensitivity = forms.BooleanField(label="Чувствительность к спорным параметрам", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _scenario_choices()
        self.fields["scenario"].choices = choices
        self.fields["baseline"].choices = choices
        self.fields["population"].choices = [
            (p, "Реестр в базе данных" if p == "registry" else f"Каталог {p}") for p in services.population_choices()
        ]
        for measure in MEASURES:
            self.fields[f"take_up_{measure}"] = forms.DecimalField(
                label=f"Доля получателей: {MEASURE_TITLES[measure]}", initial=1, min_value=0, max_value=1,
                decimal_places=3, required=False,
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", "Последний год не может быть раньше первого")
        return data

    def run_kwargs(self) -> dict:
        d = self.cleaned_data
        years = list(range(d["year_from"], d["year_to"] + 1))
        params = {
            "years": [d["year_from"], d["year_to"]],
            "growth": float(d["growth"] / Decimal(100)),
            "rationing": d["rationing"],
            "take_up_mode": d["take_up_mode"],
            "take_up": {m: 1.0 if d.get(f"take_up_{m}") is None else float(d[f"take_up_{m}"]) for m in MEASURES},
        }
        if d.get("pp41_budget") is not None:
            params["budget"] = {"pp41_start_batch_subsidy": {y: float(d["pp41_budget"]) for y in years}}
        return {
            "scenario": d["scenario"],
            "baseline": d.get("baseline") or [],
            "population": d["population"],
            "params": params,
            "sensitivity": d["sensitivity"],
        }


class ScenarioForm(forms.Form):
    name = forms.SlugField(label="Код", max_length=80, help_text="латиница, цифры, _ и -")
    title = forms.CharField(label="Название", max_length=300)
    author = forms.CharField(label="Автор", max_length=200, required=False)
    source = forms.CharField(label="Источник (ссылка, новость)", max_length=500, required=False)
    description = forms.CharField(label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        paths = [("", "—")] + [(p["path"], p["path"]) for p in parameter_list()]
        for i in range(self.ROWS):
            self.fields[f"parameter_{i}"] = forms.ChoiceField(label="Параметр", choices=paths, required=i == 0)
            self.fields[f"value_{i}"] = forms.CharField(label="Новое значение", required=False, max_length=200)
            self.fields[f"from_{i}"] = forms.DateField(
                label="Действует с", required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                widget=forms.DateInput(attrs={"placeholder": "ДД.ММ.ГГГГ"}),
            )  # fmt: skip
            self.fields[f"until_{i}"] = forms.DateField(
                label="по (необязательно)", required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                widget=forms.DateInput(attrs={"placeholder": "ДД.ММ.ГГГГ"}),
            )  # fmt: skip

    def rows(self):
        return [[self[f"{k}_{i}"] for k in ("parameter", "value", "from", "until")] for i in range(self.ROWS)]

    def changes(self) -> list[dict]:
        """Filled rows as changes; a value is read as a number, true/false, a list or text."""
        import yaml

        out = []
        for i in range(self.ROWS):
            path = self.cleaned_data.get(f"parameter_{i}")
            if not path:
                continue
            raw = (self.cleaned_data.get(f"value_{i}") or "").strip()
            number = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            try:
                value = float(number) if number else None
                value = int(value) if value is not None and value.is_integer() and "." not in number else value
            except ValueError:
                try:
                    value = yaml.safe_load(raw)
                except yaml.YAMLError:
                    value = raw
            out.append(
                {"parameter": path, "value": value, "in_force_from": self.cleaned_data.get(f"from_{i}"),
                 "in_force_until": self.cleaned_data.get(f"until_{i}"), "source": self.cleaned_data.get("source", "")}
            )  # fmt: skip
        return out
