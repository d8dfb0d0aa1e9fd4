import datetime as dt

from django.core.management.base import BaseCommand

from ... import actions


class Command(BaseCommand):
    help = (
        "Notify each indicator's responsible organization of updates that fell due (a period "
        "ended with nothing submitted). Once per period: safe to run again (issue 17 item 10)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, default=None, help="The day (YYYY-MM-DD); today."
        )

    def handle(self, *args, on=None, **options):
        sent = actions.send_reporting_reminders(on)
        for note in sent:
            self.stdout.write(f"{note.recipient_org}: {note.subject}")
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
