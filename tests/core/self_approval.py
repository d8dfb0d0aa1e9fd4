"""Core's approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

from secoop.core import actions
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from tests.helpers import person
from tests.helpers import wears_a_second_hat


def access_change_by_its_requester():
    # The administrator who asks for the change also holds the security officer's role.
    admin = wears_a_second_hat("admin", Role.SECURITY_OFFICER, like="security.officer")
    req = actions.request_access_change(
        admin, person("ccmd.planner"), {"clearance": Clearance.TOP_SECRET}, reason="new billet"
    )
    return lambda: actions.approve_access_change(admin, req)


SELF_APPROVALS = {"secoop.core.actions.approve_access_change": access_change_by_its_requester}
