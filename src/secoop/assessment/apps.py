from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "secoop.assessment"
    label = "assessment"
    verbose_name = (
        "Assessment, monitoring and evaluation: results, indicators, evaluations, lessons"
    )

    def ready(self) -> None:
        # Registers the demo data, `secoop generate` data, the home-page items and the daily
        # reporting reminders.
        from . import demo  # noqa: F401
        from . import generate  # noqa: F401
        from . import tasks  # noqa: F401
        from . import today  # noqa: F401
