from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "secoop.analysis"
    label = "analysis"
    verbose_name = "Capabilities-based analysis, the SC program catalog and resourcing scenarios"

    def ready(self) -> None:
        from . import demo, generate, today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
