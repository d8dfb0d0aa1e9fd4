from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "secoop.assessment"
    label = "assessment"
    verbose_name = (
        "Assessment, monitoring and evaluation: results, indicators, evaluations, lessons"
    )

    def ready(self) -> None:
        from . import demo, today  # noqa: F401  (registers demo data and home-page items)
