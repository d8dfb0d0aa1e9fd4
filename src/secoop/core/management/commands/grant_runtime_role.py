from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import connection

from ...db_roles import grant_runtime_role


class Command(BaseCommand):
    help = (
        "PostgreSQL (R-SEC-04): connect as the owner (DATABASE_OWNER_URL) and grant the runtime role "
        "(the user in DATABASE_URL, or --role) data access without ownership. `secoop migrate` does "
        "this itself when DATABASE_OWNER_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--role", default="", help="the runtime role (default: the user in DATABASE_URL)"
        )

    def handle(self, *args, **options):
        role = options["role"] or settings.DATABASE_RUNTIME_USER
        try:
            statements = grant_runtime_role(connection, role)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(statements))
        self.stdout.write(f"The runtime role {role} reads and writes data but owns no table.")
