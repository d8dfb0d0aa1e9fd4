"""Planning forms in the UI: country plans (R-PLN-05), planning assumptions and their review
(R-PLN-04), activity funding lines (R-PLN-08). Saved through planning.actions; rule errors inline
with the rule id; bad input saves nothing; only for users who may edit; partners get 404 (R-SEC-03)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.planning.forms import ActivityForm
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CampaignPlan
from secoop.planning.models import CountryPlan
from secoop.planning.models import GuidanceDocument
from secoop.planning.models import PlanningAssumption

from .conftest import activity
from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db

CSCS_TITLE = "Bandaria country-specific security cooperation section (CSCS)"


def cscs() -> CountryPlan:
    return CountryPlan.objects.system().get(title=CSCS_TITLE)


def assumption(start: str) -> PlanningAssumption:
    return PlanningAssumption.objects.system().get(statement__startswith=start)


def errors_of(body: str) -> list[str]:
    """The inline error messages of a form page, in order, as the refusal's text ("R-PLN-08: an
    amount …"). The page shows the plain words first, capitalized, and the rule id after them as
    a link to the rule's page (issue 12 item 4); this reads them back into the refusal's shape."""
    found = []
    for inner in re.findall(r'class="usa-error-message"[^>]*>(.*?)</span>', body, re.S):
        m = re.fullmatch(r'(.*?) <a class="secoop-rule" href="/rules/([^/]+)/"[^>]*>\2</a>', inner)
        if not m:
            found.append(inner)
            continue
        words, rule = m.groups()
        if len(words) > 1 and words[1].islower():
            words = words[0].lower() + words[1:]
        found.append(f"{rule}: {words}")
    return found


def country_plan_data(plan, **changes) -> dict:
    ics = GuidanceDocument.objects.system().get(kind="ics", country_id="XBN")
    data = {
        "marking": "CUI//NOFORN",
        "campaign_plan": plan.pk,
        "country": "XBN",
        "owner_org": org("AFRICOM").pk,
        "title": "Bandaria CSCS, second version",
        "version": 2,
        "issued_on": "2026-11-20",
        "start_fy": 2027,
        "end_fy": 2031,
        "country_assessment": "Assessment text.",
        "country_objectives": "CLO 1: a secure northern border.",
        "ccp_reference": "AFRICOM CCP Annex C.",
        "ics": ics.pk,
        "ics_reference": "ICS Mission Objective 2.",
        "concept_of_engagement": "Build, equip, train, certify.",
        "coordinating_instructions": "SCO enters activities.",
        "reason": "Annual update",
    }
    return {**data, **changes}


def activity_data(record, user, **changes) -> dict:
    """The activity form as it stands, posted back, with no funding rows changed."""
    form = ActivityForm(instance=record, user=user)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else getattr(value, "isoformat", lambda v=value: v)()
    lines = list(ActivityFunding.objects.visible_to(user).filter(activity=record))
    data.update(
        {
            "funding-TOTAL_FORMS": len(lines) + 2,
            "funding-INITIAL_FORMS": len(lines),
            "funding-MIN_NUM_FORMS": 0,
            "funding-MAX_NUM_FORMS": 1000,
        }
    )
    for i, f in enumerate(lines):
        data.update(
            {
                f"funding-{i}-fiscal_year": f.fiscal_year,
                f"funding-{i}-source": f.source,
                f"funding-{i}-amount": str(f.amount),
                f"funding-{i}-note": f.note,
            }
        )
    return {**data, **changes}


# --- country plans (R-PLN-05) ---------------------------------------------------------------------


def test_r_pln_05_country_plan_form_saves_every_section_through_actions(login, plan):
    client = login("ccmd.planner")
    body = client.get(reverse("planning:country-plan-create")).content.decode()
    for label in (
        "Country assessment",
        "Country objectives",
        "Reference to the CCMD campaign plan",
        "Embassy ICS",
        "Reference to the embassy ICS",
        "Concept of engagement",
        "Coordinating instructions",
        "Version",
        "First fiscal year",
        "Last fiscal year",
        "Issued on",
    ):
        assert f">{label}" in body, label
    assert 'class="usa-textarea"' in body and 'class="usa-form-group' in body
    response = client.post(reverse("planning:country-plan-create"), country_plan_data(plan))
    assert response.status_code == 302
    saved = CountryPlan.objects.system().get(title="Bandaria CSCS, second version")
    assert (saved.version, saved.start_fy, saved.end_fy, saved.issued_on) == (
        2,
        2027,
        2031,
        dt.date(2026, 11, 20),
    )
    assert (
        saved.missing_sections() == []
        and saved.concept_of_engagement == "Build, equip, train, certify."
    )
    assert str(saved.marking) == "CUI//NOFORN"
    assert [(e.action, e.reason) for e in log_for(saved)] == [("create", "Annual update")]


def test_r_pln_05_country_plan_outside_the_campaign_plan_is_refused_inline_and_saves_nothing(
    login, plan
):
    client = login("ccmd.planner")
    before = snapshot_counts()
    response = client.post(
        reverse("planning:country-plan-create"), country_plan_data(plan, end_fy=2033)
    )
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [
        "R-PLN-05: FY2027–FY2033 is outside the campaign plan (FY2027–FY2031): cover only fiscal years inside it."
    ]
    assert snapshot_counts() == before


def test_r_pln_05_country_plan_version_taken_is_shown_inline(login, plan):
    response = login("ccmd.planner").post(
        reverse("planning:country-plan-create"), country_plan_data(plan, version=1)
    )
    assert response.status_code == 200
    assert (
        "This version of the country plan exists: give the next version number."
        in response.content.decode()
    )


def test_r_pln_05_country_plan_edit_saves_the_change_with_the_reason(login):
    client = login("ccmd.planner")
    cp = cscs()
    detail = client.get(reverse("planning:country-plan-detail", args=[cp.pk])).content.decode()
    assert reverse("planning:country-plan-edit", args=[cp.pk]) in detail
    assert (
        f'href="{reverse("planning:country-plan-create")}"><svg class="usa-icon" aria-hidden="true" focusable="false"><use href="/static/uswds/img/sprite.svg#add"></use></svg>New country plan</a>'
        in client.get(reverse("planning:country-plans")).content.decode()
    )
    data = country_plan_data(
        cp.campaign_plan,
        title=cp.title,
        version=1,
        issued_on="2026-10-15",
        country_objectives="CLO 1 revised.",
        reason="RWG outcome",
    )
    response = client.post(reverse("planning:country-plan-edit", args=[cp.pk]), data)
    assert response.status_code == 302
    assert cscs().country_objectives == "CLO 1 revised."
    assert log_for(cp)[-1].reason == "RWG outcome"


def test_r_pln_05_country_plan_edit_is_only_for_those_who_may_edit(login):
    cp = cscs()
    client = login("sco.bandaria")  # sees the NOFORN plan, but AFRICOM owns it
    assert client.get(reverse("planning:country-plan-edit", args=[cp.pk])).status_code == 404
    assert (
        reverse("planning:country-plan-edit", args=[cp.pk])
        not in client.get(reverse("planning:country-plan-detail", args=[cp.pk])).content.decode()
    )
    before = snapshot_counts()
    assert (
        client.post(
            reverse("planning:country-plan-edit", args=[cp.pk]), country_plan_data(cp.campaign_plan)
        ).status_code
        == 404
    )
    assert snapshot_counts() == before


@pytest.mark.parametrize(
    "name",
    ["planning:country-plan-create", "planning:assumption-create", "planning:activity-create"],
)
def test_r_sec_03_partner_gets_404_on_every_planning_create_form(login, name):
    client = login("partner.bandaria")
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), {"marking": "CUI"}).status_code == 404


def test_r_sec_03_partner_gets_404_on_every_planning_edit_form(login):
    client = login("partner.bandaria")
    a = assumption("Bandaria's government")
    for name, pk in [
        ("planning:country-plan-edit", cscs().pk),
        ("planning:assumption-edit", a.pk),
        ("planning:assumption-review", a.pk),
        ("planning:activity-edit", activity("DCS purchase").pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert (
        "country-plans/new/" not in client.get(reverse("planning:country-plans")).content.decode()
    )


# --- planning assumptions (R-PLN-04) --------------------------------------------------------------


def assumption_data(plan, **changes) -> dict:
    data = {
        "marking": "CUI//NOFORN",
        "campaign_plan": plan.pk,
        "country_plan": cscs().pk,
        "owner_org": org("AFRICOM").pk,
        "statement": "The MoD funds border fuel from FY2028.",
        "valid": "on",
        "necessary": "on",
        "review_on": "2027-03-01",
        "rationale": "Patrols stop without fuel.",
        "reason": "APC",
    }
    return {**data, **changes}


def test_r_pln_04_assumption_form_creates_and_edits_through_actions(login, plan):
    client = login("ccmd.planner")
    assert (
        reverse("planning:assumption-create")
        in client.get(reverse("planning:assumptions")).content.decode()
    )
    response = client.post(reverse("planning:assumption-create"), assumption_data(plan))
    assert response.status_code == 302
    saved = assumption("The MoD funds border fuel")
    assert (saved.valid, saved.necessary, saved.review_on, saved.country_plan_id) == (
        True,
        True,
        dt.date(2027, 3, 1),
        cscs().pk,
    )
    detail = client.get(reverse("planning:assumption-detail", args=[saved.pk])).content.decode()
    assert (
        reverse("planning:assumption-edit", args=[saved.pk]) in detail and "Mark reviewed" in detail
    )
    response = client.post(
        reverse("planning:assumption-edit", args=[saved.pk]),
        assumption_data(plan, necessary="", valid="on", reason="Fuel now budgeted"),
    )
    assert response.status_code == 302
    assert assumption("The MoD funds border fuel").necessary is False
    assert log_for(saved)[-1].reason == "Fuel now budgeted"


def test_r_pln_04_assumption_with_another_plans_country_plan_is_refused_inline(login, plan):
    other = CampaignPlan(title="Second plan", owner_org=org("AFRICOM"), start_fy=2027, end_fy=2029)
    other.marking = Marking.parse("CUI")
    core.system_create(other, reason="test")
    kenya = CountryPlan(
        campaign_plan=other,
        country_id="KEN",
        owner_org=org("AFRICOM"),
        title="Kenya CSCS",
        start_fy=2027,
        end_fy=2029,
    )
    kenya.marking = Marking.parse("CUI")
    core.system_create(kenya, reason="test")
    before = snapshot_counts()
    response = login("ccmd.planner").post(
        reverse("planning:assumption-create"), assumption_data(plan, country_plan=kenya.pk)
    )
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [
        "R-PLN-04: the country plan belongs to another campaign plan: record the assumption with its own plan."
    ]
    assert snapshot_counts() == before


def test_r_pln_04_mark_reviewed_sets_the_next_review_date_with_the_finding(login, on_demo_day):
    client = login("ccmd.planner")
    a = assumption(
        "The 1st Border Brigade passes"
    )  # review date 1 Nov 2026: overdue on the demo day
    assert (
        "Past its review date"
        in client.get(reverse("planning:assumption-detail", args=[a.pk])).content.decode()
    )
    response = client.post(
        reverse("planning:assumption-review", args=[a.pk]),
        {"review_on": "2027-05-01", "reason": "Vetting passed in October."},
    )
    assert response.status_code == 302
    assert assumption("The 1st Border Brigade passes").review_on == dt.date(2027, 5, 1)
    assert log_for(a)[-1].reason == "Reviewed: Vetting passed in October."
    assert (
        "Past its review date"
        not in client.get(reverse("planning:assumption-detail", args=[a.pk])).content.decode()
    )


def test_r_pln_04_mark_reviewed_refuses_a_past_date_or_no_finding_and_saves_nothing(
    login, on_demo_day
):
    client = login("ccmd.planner")
    a = assumption("The 1st Border Brigade passes")
    before = snapshot_counts()
    response = client.post(
        reverse("planning:assumption-review", args=[a.pk]),
        {"review_on": "2026-11-01", "reason": ""},
    )
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [
        "R-PLN-04: the next review date is after today.",
        "R-PLN-04: say what the review found (e.g. &#x27;still holds after the RWG&#x27;).",
    ]
    assert snapshot_counts() == before
    assert (
        login("sco.bandaria").get(reverse("planning:assumption-review", args=[a.pk])).status_code
        == 404
    )


# --- activity funding lines (R-PLN-08) -------------------------------------------------------------


def test_r_pln_08_funding_lines_are_edited_on_the_activity_form(login):
    client = login("ccmd.planner")
    dcs = activity("DCS purchase")
    body = client.get(reverse("planning:activity-edit", args=[dcs.pk])).content.decode()
    assert 'name="funding-0-amount"' in body and 'value="860000.00"' in body and "R-PLN-08" in body
    data = activity_data(
        dcs,
        person("ccmd.planner"),
        **{
            "funding-1-fiscal_year": "2029",
            "funding-1-source": "fmf",
            "funding-1-amount": "125000.50",
            "reason": "FMF added",
        },
    )
    response = client.post(reverse("planning:activity-edit", args=[dcs.pk]), data)
    assert response.status_code == 302, errors_of(response.content.decode())
    lines = {
        (f.fiscal_year, f.source): f.amount
        for f in ActivityFunding.objects.system().filter(activity=dcs)
    }
    assert lines == {(2028, "partner"): Decimal("860000.00"), (2029, "fmf"): Decimal("125000.50")}
    # A line removed goes.
    data = activity_data(dcs, person("ccmd.planner"), **{"funding-0-DELETE": "on"})
    assert client.post(reverse("planning:activity-edit", args=[dcs.pk]), data).status_code == 302
    assert [
        (f.fiscal_year, f.source) for f in ActivityFunding.objects.system().filter(activity=dcs)
    ] == [(2029, "fmf")]


@pytest.mark.parametrize(
    "fy, amount, error",
    [
        ("2029", "-5", "R-PLN-08: an amount is zero or more US dollars."),
        (
            "2035",
            "100",
            f"R-PLN-08: FY2035 is outside the country plan “{CSCS_TITLE} (v1)” (FY2027–FY2031): fund it in one of the plan&#x27;s fiscal years.",
        ),
        ("2029", "lots", "R-PLN-08: give the amount in US dollars, e.g. 125000.00."),
        ("2029", "", "R-PLN-08: give the amount in US dollars, e.g. 125000.00."),
    ],
)
def test_r_pln_08_bad_funding_line_is_shown_inline_and_nothing_is_saved(login, fy, amount, error):
    client = login("ccmd.planner")
    dcs = activity("DCS purchase")
    before = snapshot_counts()
    data = activity_data(
        dcs,
        person("ccmd.planner"),
        title="Renamed",
        **{
            "funding-1-fiscal_year": fy,
            "funding-1-source": "fmf",
            "funding-1-amount": amount,
        },
    )
    response = client.post(reverse("planning:activity-edit", args=[dcs.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert errors_of(body) == [error]
    assert "A funding line needs attention: see Funding below. Nothing was saved." in body
    assert 'href="/rules/R-PLN-08/"' in body  # issue 12 item 4: plain words, then the rule
    assert (
        snapshot_counts() == before
        and activity("DCS purchase").title == "DCS purchase of tactical radios"
    )


def test_r_pln_08_same_year_and_source_twice_is_refused(login):
    client = login("ccmd.planner")
    dcs = activity("DCS purchase")
    before = snapshot_counts()
    data = activity_data(
        dcs,
        person("ccmd.planner"),
        **{"funding-1-fiscal_year": "2028", "funding-1-source": "partner", "funding-1-amount": "1"},
    )
    response = client.post(reverse("planning:activity-edit", args=[dcs.pk]), data)
    assert errors_of(response.content.decode()) == [
        "R-PLN-08: FY2028 PARTNER is listed twice: one line per fiscal year and source."
    ]
    assert snapshot_counts() == before


def test_r_pln_08_new_activity_with_funding(login):
    client = login("ccmd.planner")
    cp = cscs()
    response = client.post(
        reverse("planning:activity-create"),
        {
            "marking": "CUI",
            "title": "Fuel study",
            "activity_type": "assessment",
            "country": "XBN",
            "country_plan": cp.pk,
            "owner_org": org("AFRICOM").pk,
            "start_date": "2027-06-01",
            "end_date": "2027-06-10",
            "funding-TOTAL_FORMS": 2,
            "funding-INITIAL_FORMS": 0,
            "funding-MIN_NUM_FORMS": 0,
            "funding-MAX_NUM_FORMS": 1000,
            "funding-0-fiscal_year": "2027",
            "funding-0-source": "om",
            "funding-0-amount": "40000",
        },
    )
    assert response.status_code == 302, errors_of(response.content.decode())
    saved = activity("Fuel study")
    assert [
        (f.fiscal_year, f.source, f.amount)
        for f in ActivityFunding.objects.system().filter(activity=saved)
    ] == [(2027, "om", Decimal("40000.00"))]


def test_activity_form_offers_only_the_records_the_user_may_see(db):
    from secoop.core.models import Country
    from secoop.core.models import Organization
    from secoop.planning.models import LineOfActivity
    from secoop.planning.models import Phase

    partner, planner = person("partner.bandaria"), person("ccmd.planner")
    assert LineOfActivity.objects.system().exists()
    # R-SEC-03: a partner is offered no planning record, though there are some.
    assert not ActivityForm(user=partner).fields["line_of_activity"].queryset.exists()
    fields = ActivityForm(user=planner).fields
    assert set(fields["line_of_activity"].queryset) == set(
        LineOfActivity.objects.visible_to(planner)
    )
    assert set(fields["phase"].queryset) == set(Phase.objects.visible_to(planner))
    assert set(fields["country"].queryset) == set(Country.objects.visible_to(planner))
    assert set(fields["owner_org"].queryset) == set(Organization.objects.editable_by(planner))
