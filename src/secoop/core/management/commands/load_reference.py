from django.core.management.base import BaseCommand

from ...models import Country
from ...models import ReferenceFact
from ...reference_data import load_countries
from ...reference_data import load_facts


class Command(BaseCommand):
    help = "Reload countries (ISO 3166 with combatant commands) and dated reference facts from the shipped data."

    def handle(self, *args, **options):
        n = load_countries(Country)
        f = load_facts(ReferenceFact)
        self.stdout.write(f"{n} countries and {f} reference facts loaded.")
