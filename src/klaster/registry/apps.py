from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "klaster.registry"
    label = "registry"
    verbose_name = "Реестры"
