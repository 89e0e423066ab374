from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "klaster.exchange"
    label = "exchange"
    verbose_name = "Импорт и экспорт"
