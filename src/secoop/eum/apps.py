from django.apps import AppConfig


class EumConfig(AppConfig):
    name = "secoop.eum"
    label = "eum"
    verbose_name = "End-use monitoring: transferred articles, inventories, violations, notices"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import generate  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
