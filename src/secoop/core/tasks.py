"""Background tasks (django-tasks, database backend). Periodic ones are enqueued by `secoop scheduler`."""

from django_tasks import task

from . import actions

# name -> task; the scheduler enqueues each once a day.
DAILY = {}


def daily(fn):
    DAILY[fn.name] = fn
    return fn


@daily
@task()
def disable_inactive_accounts() -> list[str]:
    """R-SEC-05: disable accounts unused for the inactivity period."""
    return actions.disable_inactive_accounts()


@task()
def deliver_notifications(ids: list[int]) -> int:
    """Announce new notifications by e-mail once the change that made them has committed."""
    return actions.deliver_notifications(ids)


@task()
def export_list(job_id: int) -> int:
    """Issue 15 §6: write a list export too large to wait for; returns the rows written."""
    from .list_exports import run

    return run(job_id).rows_done
