"""Issue 10 item 4 (ARCHITECTURE invariant 9, R-SEC-11): each action names the roles that may run
it, checked in the action, and a table proves every action of every app × every demo user."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.db import transaction

from secoop.cases import actions as cases
from secoop.cases.models import FmsCase
from secoop.core import demo
from secoop.core import permissions
from secoop.core.permissions import NOT_ACTIONS
from secoop.core.permissions import REGISTRY
from secoop.core.permissions import RoleRefused
from secoop.core.rules import Role
from secoop.training import actions as training
from secoop.training.models import Student

# What each demo user holds, read from the demo table itself (not from the access layer).
DEMO_ROLES = {username: set(demo.roles_of(role)) for username, *_, role, _staff in demo.USERS}


def _registered_modules():
    return permissions.action_modules()


def test_item4_every_action_of_every_app_is_registered():
    modules = {m.__name__ for m in _registered_modules()}
    assert {
        "secoop.core.actions",
        "secoop.planning.actions",
        "secoop.cases.actions",
        "secoop.training.actions",
    } <= modules
    undeclared = []
    for module in _registered_modules():
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if (
                name.startswith("_")
                or func.__module__ != module.__name__
                or not permissions.takes_acting_user(func)
            ):
                continue
            full = f"{module.__name__}.{name}"
            if full not in REGISTRY and full not in NOT_ACTIONS:
                undeclared.append(full)
    assert undeclared == [], (
        "declare the roles of these actions with @acts (or say why with @not_an_action)"
    )
    assert len(REGISTRY) >= 60


def _call_with_nothing(spec, user):
    """Run the action as `user` with None for every other required argument: the role check runs
    first, so a refused user gets RoleRefused and a permitted one fails later on the None."""
    params = list(inspect.signature(spec.func).parameters.values())[1:]
    args = [None for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty]
    kwargs = {p.name: None for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    try:
        with transaction.atomic():
            spec.func(user, *args, **kwargs)
    except RoleRefused:
        return False
    except Exception:  # noqa: BLE001 - anything after the role check means the check let the user through
        return True
    return True


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_item4_each_action_runs_exactly_for_its_declared_roles(name, users):
    spec = REGISTRY[name]
    assert spec.roles, f"{name} declares no role"
    for username, roles in DEMO_ROLES.items():
        user = users[username]
        expected = bool(roles & spec.roles)
        assert spec.permits(user) is expected, (name, username)
        assert _call_with_nothing(spec, user) is expected, (name, username)


def test_item4_the_table_covers_every_demo_user_including_the_security_officer_and_admin(users):
    assert set(DEMO_ROLES) == set(users)
    assert {"admin", "security.officer", "le.staff"} <= set(DEMO_ROLES)


def _permitted(username, users) -> set[str]:
    return {
        name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1]
        for name, spec in REGISTRY.items()
        if spec.permits(users[username])
    }


def test_item4_le_staff_never_approve_vet_attest_decide_disclosure_or_advise(users):
    allowed = _permitted("le.staff", users)
    for decision in (
        "actions.notify_ia_and_dsca",
        "actions.route_lor",
        "actions.coordinate_cta",
        "actions.transmit_cta",
        "actions.validate_lor",
        "actions.milestone",
        "actions.record_rdfp_approval",
        "actions.record_vetting_result",
        "actions.request_vetting",
        "actions.record_screening",
        "actions.issue_ito",
        "actions.record_prerequisites",
        "actions.submit_cetpp",
        "actions.approve_cetpp",
        "actions.approve_plan",
        "actions.record_assessment",
        "actions.set_allocation",
        "actions.approve_access_change",
        "actions.grant_membership",
    ):
        assert decision not in allowed, decision
    # Clerical entry stays theirs.
    assert {
        "actions.record_ecl",
        "actions.record_medical",
        "actions.create_arrival_notice",
        "actions.nominate",
    } <= allowed


def test_item4_administrator_runs_only_administration(users):
    admin_actions = {name for name, spec in REGISTRY.items() if spec.permits(users["admin"])}
    assert admin_actions == {
        "secoop.core.actions.create_organization",
        "secoop.core.actions.create_record",
        "secoop.core.actions.update_record",
        "secoop.core.actions.delete_record",
        "secoop.core.actions.unlock_account",
        "secoop.core.actions.enable_account",
        "secoop.core.actions.grant_membership",
        "secoop.core.actions.revoke_membership",
        "secoop.core.actions.request_access_change",
        # The SC program catalog is reference data, which administrators keep (issue 16).
        "secoop.analysis.actions.update_program",
        "secoop.analysis.actions.create_program",
    }


def test_item4_security_officer_decides_access_and_nothing_else(users):
    assert {name for name, spec in REGISTRY.items() if spec.permits(users["security.officer"])} == {
        "secoop.core.actions.approve_access_change",
        "secoop.core.actions.refuse_access_change",
        # A disclosure decision (R-SEC-10): publishing in the IATI file is the widest release.
        "secoop.assessment.actions.approve_public_release",
    }


def test_item4_le_staff_cannot_advise_the_ia_and_dsca(users):
    """R-FMS-08: the demo case D is accepted and the SCO has not advised yet; le.staff did it."""
    case = FmsCase.objects.system().get(identifier="XB-B-ZAD")
    assert case.accepted_on and case.sco_notified_on is None
    with pytest.raises(RoleRefused, match="advise the IA and DSCA.*SCO officer"):
        cases.notify_ia_and_dsca(users["le.staff"], case, dt.date(2026, 7, 1))
    assert FmsCase.objects.system().get(pk=case.pk).sco_notified_on is None
    cases.notify_ia_and_dsca(users["sco.bandaria"], case, dt.date(2026, 7, 1))
    assert FmsCase.objects.system().get(pk=case.pk).sco_notified_on == dt.date(2026, 7, 1)


def test_item4_le_staff_cannot_record_an_rdfp_approval(users):
    student = Student.objects.system().filter(program="rdfp").first()
    assert student is not None
    with pytest.raises(RoleRefused, match="record an OSD/SOLIC RDFP approval"):
        training.record_rdfp_approval(users["le.staff"], student, on=dt.date(2026, 11, 30))


def test_item4_a_role_held_elsewhere_does_not_reach_another_organization(users):
    """The role is checked in the organization too: a case manager of NIPO does not validate a
    USASAC LOR, though the role is the right one."""
    from secoop.cases.models import LetterOfRequest

    lor = (
        LetterOfRequest.objects.system()
        .filter(status="submitted", implementing_agency__short_name="USASAC")
        .first()
    )
    assert lor is not None
    with pytest.raises(permissions.NotPermitted, match="Case manager in USASAC"):
        cases.validate_lor(users["navy.case.manager"], lor, dt.date(2026, 11, 30))


def test_item4_refusal_names_the_roles_that_may_act(users):
    with pytest.raises(RoleRefused) as exc:
        permissions.require_role(users["le.staff"], Role.SCO, None, "issue an ITO")
    assert (
        str(exc.value)
        == "You cannot issue an ITO: that takes the role of SCO chief, SCO officer or SDO/DATT."
    )
