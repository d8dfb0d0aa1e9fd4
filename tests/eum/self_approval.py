"""EUM's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

from secoop.eum import actions
from secoop.eum.models import ControlPlan
from secoop.eum.models import DatabaseReview
from tests.eum.conftest import DEMO_TODAY  # noqa: F401  (the day the attempt is made)
from tests.helpers import org
from tests.helpers import person


def control_plan_by_its_editor():
    sco = person("sco.bandaria")
    plan = ControlPlan.objects.system().get(country_id="XBN")
    plan = actions.update_control_plan(
        sco, plan, {"visit_procedures": "Access on 24 hours' notice."}, reason="revised"
    )
    return lambda: actions.approve_control_plan(sco, plan)


def review_by_its_reviewer():
    dsca = person("dsca.analyst")
    review = DatabaseReview(
        country_id="XBN",
        owner_org=org("DSCA"),
        reviewed_on=DEMO_TODAY,
        checked="Serials against deliveries.",
    )
    review.marking = "CUI//NOFORN"
    review = actions.record_review(dsca, review)
    return lambda: actions.sign_off_review(dsca, review)


SELF_APPROVALS = {
    "secoop.eum.actions.approve_control_plan": control_plan_by_its_editor,
    "secoop.eum.actions.sign_off_review": review_by_its_reviewer,
}
