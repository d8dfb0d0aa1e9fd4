"""System checks: the deployment's marking ceiling must be a real classification."""

from django.conf import settings
from django.core import checks

from .markings import Classification
from .markings import MarkingError


@checks.register(checks.Tags.security)
def check_max_classification(app_configs, **kwargs):
    try:
        Classification.parse(settings.MAX_CLASSIFICATION)
    except MarkingError as exc:
        return [checks.Error(f"MAX_CLASSIFICATION: {exc}", id="secoop.E001")]
    return []


@checks.register()
def check_secret_key(app_configs, **kwargs):
    """Refuse to start with DEBUG off on the published development key (issue 10 item 9): anyone
    could forge sessions and password-reset tokens with it. Registered without a tag so that it runs
    before every command that checks (serve, runserver, migrate), not only `check --deploy`."""
    if not settings.DEBUG and settings.SECRET_KEY == getattr(
        settings, "DEVELOPMENT_SECRET_KEY", None
    ):
        return [
            checks.Error(
                "DEBUG is off but SECRET_KEY is the published development key.",
                hint="Set SECRET_KEY to a long random value (or SECRET_KEY_FILE to a file holding one; "
                "`python -m secoop.keyfile var/secret_key` makes one, as `make run` does), "
                "or set DEBUG=1 for development.",
                id="secoop.E002",
            )
        ]
    return []
