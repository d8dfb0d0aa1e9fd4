from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "secoop.cases"
    label = "cases"
    verbose_name = "Foreign Military Sales cases: LORs, CTAs, LOAs, deliveries, closure"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers the demo loader, `secoop generate` data and the home-page items)
        from . import generate  # noqa: F401  (registers the demo loader, `secoop generate` data and the home-page items)
        from . import today  # noqa: F401  (registers the demo loader, `secoop generate` data and the home-page items)
