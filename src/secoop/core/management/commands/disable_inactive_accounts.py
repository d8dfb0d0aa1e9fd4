from django.conf import settings
from django.core.management.base import BaseCommand

from ... import actions


class Command(BaseCommand):
    help = (
        "R-SEC-05: disable (never delete) accounts unused for ACCOUNT_INACTIVITY_DAYS. Run daily."
    )

    def handle(self, *args, **options):
        disabled = actions.disable_inactive_accounts()
        self.stdout.write(
            f"Disabled {len(disabled)} account(s) unused for {settings.ACCOUNT_INACTIVITY_DAYS} days"
            + (f": {', '.join(disabled)}" if disabled else ".")
        )
