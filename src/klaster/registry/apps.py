from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "klaster.registry"
    label = "registry"
    verbose_name = "Реестры"

    def ready(self) -> None:
        from klaster.registry import signals  # noqa: F401  (connects the search index)
