from django.apps import AppConfig


class ReformsConfig(AppConfig):
    name = "klaster.reforms"
    label = "reforms"
    verbose_name = "Реформы и моделирование"
