from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "secoop.cases"
    label = "cases"
    verbose_name = "Foreign Military Sales cases: LORs, CTAs, LOAs, deliveries, closure"

    def ready(self) -> None:
        from . import demo, today  # noqa: F401  (registers the demo loader and the home-page items)
