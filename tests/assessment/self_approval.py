"""Assessment's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

from secoop.assessment import actions
from secoop.assessment.models import Indicator
from secoop.assessment.models import Period
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


def public_release_by_its_writer():
    # The foreign disclosure officer also holds an SCO officer's billet and writes a result;
    # they try to approve it for public release themselves (R-SEC-10 by R-SEC-11).
    from secoop.assessment.models import Result
    from secoop.core import actions as core
    from secoop.core.markings import Marking
    from secoop.core.rules import Role
    from tests.helpers import org

    core.grant_membership(None, person("security.officer"), org("SCO Bandaria"), Role.SCO_OFFICER)
    writer = person("security.officer")
    wells = Result.objects.system().get(title="Border villages have safe drinking water")
    result = Result(
        title="Village water committees maintain their wells",
        activity_id=wells.activity_id,
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
    )
    result.marking = Marking.parse("UNCLASSIFIED")
    result = actions.create_result(writer, result)
    return lambda: actions.approve_public_release(writer, result, reason="Release review.")


SELF_APPROVALS = {
    "secoop.assessment.actions.approve_update": update_by_its_author,
    "secoop.assessment.actions.approve_public_release": public_release_by_its_writer,
}
