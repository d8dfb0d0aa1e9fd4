from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secoop.core"
    label = "core"
    verbose_name = "Core: organizations, people, markings, change log"

    def ready(self) -> None:
        from . import checks, today  # noqa: F401  (registers system checks and home-page items)
