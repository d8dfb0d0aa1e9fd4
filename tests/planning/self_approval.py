"""Planning's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

import datetime as dt

from secoop.core.rules import Role
from secoop.planning import actions
from secoop.planning import demo
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from tests.helpers import person
from tests.helpers import wears_a_second_hat
from tests.planning.conftest import DEMO_TODAY  # noqa: F401  (the day the attempt is made)


def campaign_plan_by_its_editor():
    planner = person("ccmd.planner")
    plan = CampaignPlan.objects.system().get(title=demo.PLAN_TITLE)
    actions.update(planner, plan, {"summary": "Revised after the J5 review"})
    return lambda: actions.approve_plan(planner, plan)


def reschedule_by_its_requester():
    # The SCO asks AFRICOM; then the same officer takes a J5 billet and answers their own request.
    vetting = Activity.objects.system().get(title__startswith="Human rights (Leahy)")
    request = actions.request_reschedule(
        person("sco.bandaria"), vetting, dt.date(2027, 8, 2), reason="INVEST backlog"
    )
    dual = wears_a_second_hat("sco.bandaria", Role.CCMD_PLANNER, like="ccmd.planner")
    return lambda: actions.approve_reschedule(dual, request)


SELF_APPROVALS = {
    "secoop.planning.actions.approve_plan": campaign_plan_by_its_editor,
    "secoop.planning.actions.approve_reschedule": reschedule_by_its_requester,
}
