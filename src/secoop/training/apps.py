from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "secoop.training"
    label = "training"
    verbose_name = "International education and training: courses, CETPP, students, ITOs"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import generate  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
        from . import today  # noqa: F401  (registers demo data, `secoop generate` data and home-page items)
