"""Training's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

import datetime as dt

from secoop.core.rules import Role
from secoop.training import actions
from secoop.training.models import Cetpp
from secoop.training.models import Course
from secoop.training.models import Student
from tests.helpers import org
from tests.helpers import person
from tests.helpers import wears_a_second_hat
from tests.training.conftest import DEMO_TODAY  # noqa: F401  (the day the attempt is made)


def cetpp_by_its_writer():
    # The SCO wrote the FY2027 CETPP (the demo's); the same officer moved to the CCMD reviews it.
    cetpp = Cetpp.objects.system().get(fiscal_year=2027, plan__country_id="XBN")
    dual = wears_a_second_hat("sco.bandaria", Role.CCMD_PLANNER, like="ccmd.planner")
    return lambda: actions.approve_cetpp(dual, cetpp, comment="Consistent with the CCP")


def rdfp_nomination_by_its_nominator():
    student = actions.nominate(
        person("sco.bandaria"),
        Student(
            country_id="XBN",
            owner_org=org("SCO Bandaria"),
            given_name="Ira",
            family_name="Quell",
            unit="CT cell",
            career_personnel=True,
            course=Course.objects.system().get(course_id="D300040"),
            program="rdfp",
            class_start=dt.date(2027, 8, 2),
            class_end=dt.date(2028, 6, 9),
        ),
    )
    dual = wears_a_second_hat("sco.bandaria", Role.OSD_POLICY, like="osd.solic")
    return lambda: actions.record_rdfp_approval(dual, student, on=dt.date(2026, 11, 30))


SELF_APPROVALS = {
    "secoop.training.actions.approve_cetpp": cetpp_by_its_writer,
    "secoop.training.actions.record_rdfp_approval": rdfp_nomination_by_its_nominator,
}
