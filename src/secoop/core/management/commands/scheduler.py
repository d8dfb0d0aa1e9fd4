import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import tasks


class Command(BaseCommand):
    help = "Enqueue the daily background tasks once a day (and once at start). Runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue the daily tasks now and exit."
        )
        parser.add_argument(
            "--interval", type=int, default=300, help="Seconds between checks of the date."
        )

    def handle(self, *args, once=False, interval=300, **options):
        last_day = None
        while True:
            today = timezone.localdate()
            if today != last_day:
                for name, job in tasks.DAILY.items():
                    job.enqueue()
                    self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M} enqueued {name}")
                last_day = today
            if once:
                return
            time.sleep(interval)
