"""Background solves (issue 16: large solves run as a task with progress and a time limit)."""

from django_tasks import task


@task()
def solve_in_background(scenario_id: int, user_id: int) -> list[str]:
    """Solve a scenario as its user (solve_scenario checked them when it queued this)."""
    from .actions import run_solve

    return run_solve(scenario_id, user_id)
