"""System checks: the deployment's marking ceiling must be a real classification."""

from django.conf import settings
from django.core import checks

from .markings import Classification, MarkingError


@checks.register(checks.Tags.security)
def check_max_classification(app_configs, **kwargs):
    try:
        Classification.parse(settings.MAX_CLASSIFICATION)
    except MarkingError as exc:
        return [checks.Error(f"MAX_CLASSIFICATION: {exc}", id="secoop.E001")]
    return []
