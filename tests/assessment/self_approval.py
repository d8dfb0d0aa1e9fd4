"""Assessment's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

from secoop.assessment import actions
from secoop.assessment.models import Indicator, Period
from tests.assessment.conftest import DEMO_TODAY  # noqa: F401  (the day the attempt is made)
from tests.helpers import person


def update_by_its_author():
    # The SCO officer reports the wells' first period and submits it; as an approver of the
    # SCO's indicators, they try to approve their own update.
    wells = Indicator.objects.system().get(title="Wells completed and handed over")
    period = Period.objects.system().filter(indicator=wells).order_by("period_start").first()
    officer = person("sco.bandaria")
    update = actions.enter_update(officer, period, "2", narrative="recount")
    actions.submit_update(officer, update)
    return lambda: actions.approve_update(officer, update, comment="mine")


SELF_APPROVALS = {
    "secoop.assessment.actions.approve_update": update_by_its_author,
}
