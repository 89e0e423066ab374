"""The upload form of «Импорт»: it only checks the request; the importer checks the file."""

from django import forms

KIND_CHOICES = [
    ("clusters", "Промышленные кластеры и их участники"),
    ("parks", "Индустриальные парки и технопарки (карточки ГИСИП)"),
    ("sez", "Особые экономические зоны и резиденты"),
    ("organizations", "Организации"),
    ("sme", "Реестр МСП (XML ФНС): категория, численность, ОКВЭД2, регион организаций реестра"),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Реестр", choices=KIND_CHOICES)
    file = forms.FileField(label="Файл (CSV, XLSX или JSON)")
    mapping = forms.FileField(label="Сопоставление столбцов (YAML, необязательно)", required=False)
    dry_run = forms.BooleanField(label="Только проверить, ничего не записывать", required=False)
