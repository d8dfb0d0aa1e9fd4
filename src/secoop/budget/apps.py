from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "secoop.budget"
    label = "budget"
    verbose_name = "Budget requests (FMF/IMET), Javits and FMS sales forecasts, consonance"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import generate  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
