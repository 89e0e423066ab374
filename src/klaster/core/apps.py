from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "klaster.core"
    label = "core"
    verbose_name = "Общее"
