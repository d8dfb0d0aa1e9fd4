from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "secoop.planning"
    label = "planning"
    verbose_name = "Planning: campaign plans, objectives, activities, country plans"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import generate  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
