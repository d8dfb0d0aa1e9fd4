from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "secoop.analysis"
    label = "analysis"
    verbose_name = "Capabilities-based analysis, the SC program catalog and resourcing scenarios"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import generate  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
