from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "klaster.web"
    label = "web"
    verbose_name = "Веб-интерфейс"
