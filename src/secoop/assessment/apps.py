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
        from . import demo, generate, tasks, today  # noqa: F401
