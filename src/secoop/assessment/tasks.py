"""Assessment's background task: the daily reporting reminders (issue 17 item 10), enqueued by
`secoop scheduler` with core's other daily tasks."""

from django_tasks import task

from secoop.core.tasks import daily

from . import actions


@daily
@task()
def send_reporting_reminders() -> int:
    """Tell responsible organizations of indicator updates that fell due (once per period)."""
    return len(actions.send_reporting_reminders())
