from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from ... import demo


class Command(BaseCommand):
    help = "Load the demo data (organizations, Bandaria, demo users, records with mixed markings). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo users have a published password. "
                "Use --force if this really is a demonstration system."
            )
        made = demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(made['orgs'])} organizations, {len(made['users'])} users, "
                f"{len(made['documents'])} documents (password for every demo user: {demo.DEMO_PASSWORD})."
            )
        )
