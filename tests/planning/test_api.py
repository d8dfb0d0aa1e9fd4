"""Planning API under /api/v1/planning/: filters, SMART findings, writes through actions, 400s with
field messages, transitions, fixed query counts, and partners see nothing (R-SEC-03)."""

import datetime as dt

import pytest

from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import ChangeLogEntry
from secoop.planning import actions
from secoop.planning.models import Activity
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CampaignPlan
from secoop.planning.models import CountryPlan
from secoop.planning.models import EndState
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfActivity
from secoop.planning.models import LineOfEffort

from .conftest import activity
from .conftest import imo
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
BASE = "/api/v1/planning/"
ENDPOINTS = [
    "guidance",
    "campaign-plans",
    "objectives",
    "lines-of-effort",
    "imos",
    "measures",
    "lines-of-activity",
    "activities",
    "dependencies",
    "country-plans",
    "phases",
    "assumptions",
    "events",
]


def loa_id(name="Build support and set conditions"):
    return LineOfActivity.objects.system().get(name=name).pk


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_lists_the_demo_plan_for_a_planner(api, endpoint):
    data = api("ccmd.planner").get(f"{BASE}{endpoint}/").json()
    assert data["count"] >= 1, endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_r_sec_03_partner_sees_no_planning_record_through_the_api(api, endpoint):
    client = api("partner.bandaria")
    assert client.get(f"{BASE}{endpoint}/", {"page_size": 500}).json()["count"] == 0
    some = api("ccmd.planner").get(f"{BASE}{endpoint}/").json()["results"][0]["id"]
    assert client.get(f"{BASE}{endpoint}/{some}/").status_code == 404


def test_r_sec_01_le_staff_see_only_planning_released_to_them(api):
    titles = {
        a["title"]
        for a in api("le.staff").get(f"{BASE}activities/", {"page_size": 500}).json()["results"]
    }
    assert "Interagency staff talks on border security" in titles  # CUI//REL TO USA, XBN
    assert "Human rights (Leahy) vetting of the border brigade" not in titles  # CUI//NOFORN
    assert api("le.staff").get(f"{BASE}imos/").json()["count"] == 0  # the IMOs are NOFORN


def test_activities_filter_by_country_ccmd_status_and_fiscal_year(api):
    client = api("sco.bandaria")
    total = client.get(f"{BASE}activities/", {"country": "XBN"}).json()["count"]
    assert total == Activity.objects.system().filter(country_id="XBN").count()
    assert client.get(f"{BASE}activities/", {"ccmd": "AFRICOM"}).json()["count"] == total
    assert client.get(f"{BASE}activities/", {"ccmd": "EUCOM"}).json()["count"] == 0
    done = client.get(f"{BASE}activities/", {"status": "completed"}).json()["results"]
    assert sorted(a["title"][:24] for a in done) == [
        "Interagency staff talks ",
        "Key leader engagement: C",
    ]
    fy28 = {
        a["title"]
        for a in client.get(f"{BASE}activities/", {"fiscal_year": 2028, "page_size": 100}).json()[
            "results"
        ]
    }
    assert "FMF purchase of ground surveillance radars (FMS case)" in fy28
    assert "Advanced border operations course" not in fy28  # starts Nov 2028: FY2029
    assert "Border brigade capability assessment" not in fy28
    unlinked = client.get(f"{BASE}activities/", {"unlinked": "true"}).json()["results"]
    assert [a["title"] for a in unlinked] == [
        "Visit to border police stations on the eastern frontier"
    ]
    overdue = client.get(f"{BASE}activities/", {"assessment_overdue": "true"}).json()["results"]
    assert [a["title"] for a in overdue] == ["Interagency staff talks on border security"]


def test_campaign_plans_and_country_plans_filter_by_ccmd_and_fiscal_year(api):
    client = api("ccmd.planner")
    assert (
        client.get(f"{BASE}campaign-plans/", {"ccmd": "AFRICOM", "fiscal_year": 2029}).json()[
            "count"
        ]
        == 1
    )
    assert client.get(f"{BASE}campaign-plans/", {"fiscal_year": 2032}).json()["count"] == 0
    cp = client.get(f"{BASE}country-plans/", {"country": "XBN", "ccmd": "AFRICOM"}).json()[
        "results"
    ][0]
    assert (
        cp["period"] == "FY2027–FY2031"
        and cp["missing_sections"] == []
        and cp["update_due"] == "2027-10-15"
    )


def test_activity_representation_carries_funding_flags_and_dependencies(api, on_demo_day):
    client = api("ccmd.planner")
    fmf = client.get(f"{BASE}activities/{activity('FMF purchase').pk}/").json()
    assert fmf["funding"] == [
        {"fiscal_year": 2027, "source": "fmf", "amount": "2400000.00", "note": ""},
        {"fiscal_year": 2028, "source": "fmf", "amount": "1100000.00", "note": ""},
    ]
    assert len(fmf["depends_on"]) == 2 and fmf["fiscal_year"] == 2028 and fmf["unlinked"] is False
    jcet = client.get(f"{BASE}activities/{activity('Joint combined exchange').pk}/").json()
    assert jcet["rff_lead_days"] == 365
    assert [f["rule"] for f in jcet["flags"]] == ["R-PLN-10"]
    assert jcet["flags"][0]["fix"].endswith(
        "Start it on or after 23 Nov 2027, or record an earlier RFF submission."
    )
    station = client.get(f"{BASE}activities/{activity('Visit to border police').pk}/").json()
    assert station["flags"] == [
        {
            "rule": "R-PLN-01",
            "letter": "",
            "message": "Unlinked: serves no line of activity, so no IMO",
            "fix": "link it to a line of activity, or drop it",
        }
    ]


def test_r_pln_02_imos_carry_their_smart_findings(api):
    client = api("ccmd.planner")
    failing = client.get(f"{BASE}imos/{imo('Bandaria certifies').pk}/").json()
    assert failing["smart_ok"] is False
    assert [f["message"] for f in failing["smart"]] == [
        "Measurable: no indicator or target quantity",
        "Achievable: no resources named",
        "Achievable: no partner agreement recorded",
        "Achievable: fiscal risk not considered",
    ]
    assert failing["smart"][0] == {
        "rule": "R-PLN-02",
        "letter": "Measurable",
        "message": "Measurable: no indicator or target quantity",
        "fix": "add a measure of performance (MOP) or effectiveness (MOE) with its method and target.",
    }
    good = client.get(f"{BASE}imos/{imo('Border brigade patrols').pk}/").json()
    assert good["smart_ok"] is True and good["smart"] == [] and len(good["measures"]) == 2


def test_create_activity_with_funding_through_the_api(api):
    body = {
        "title": "Border brigade NCO academy visit",
        "activity_type": "exchange",
        "line_of_activity": loa_id(),
        "country": "xbn",
        "owner_org": org("SCO Bandaria").pk,
        "start_date": "2027-06-14",
        "end_date": "2027-06-18",
        "program": "Traditional CCMD activities",
        "authority": "10 U.S.C. 321",
        "marking": "CUI",
        "reason": "RWG action",
        "funding": [{"fiscal_year": 2027, "source": "om", "amount": "23450.10"}],
    }
    response = api("sco.bandaria").post(f"{BASE}activities/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "proposed" and data["country"] == "XBN"
    assert data["funding"] == [
        {"fiscal_year": 2027, "source": "om", "amount": "23450.10", "note": ""}
    ]
    entry = ChangeLogEntry.objects.system().get(
        content_type__model="activity", object_id=str(data["id"])
    )
    assert entry.reason == "RWG action" and entry.username == "sco.bandaria"
    assert (
        ActivityFunding.objects.system().get(activity_id=data["id"]).amount.as_tuple().exponent
        == -2
    )


@pytest.mark.parametrize(
    "change, field, message",
    [
        (
            {"start_date": "2026-09-01", "end_date": "2026-09-02"},
            "start_date",
            "R-PLN-03: 1 Sep 2026–2 Sep 2026 is outside the campaign plan “AFRICOM Campaign Plan FY2027–FY2031” (FY2027–FY2031: "
            "1 Oct 2026–30 Sep 2031). Move the dates inside that period, or link the activity to a plan that covers them.",
        ),
        (
            {"end_date": "2027-06-01"},
            "end_date",
            "R-PLN-08: the end (1 Jun 2027) is before the start (14 Jun 2027): swap or correct the dates.",
        ),
        (
            {"country": "KEN"},
            "line_of_activity",
            "R-PLN-01: the activity is with KEN but “Support built and the border brigade vetted and selected” is an objective "
            "for XBN: link it to a line of activity of a KEN IMO, or correct the activity's country.",
        ),
        (
            {"country": "ZZZ"},
            "country",
            "Unknown country code ZZZ: use an ISO 3166 alpha-3 code such as XBN.",
        ),
        ({"activity_type": "party"}, "activity_type", '"party" is not a valid choice.'),
        (
            {"start_date": "next week"},
            "start_date",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"marking": "SECRET"},
            "marking",
            "R-SEC-01: this system holds information up to CUI only",
        ),
    ],
)
def test_bad_activity_input_is_400_naming_the_field_and_saves_nothing(api, change, field, message):
    body = {
        "title": "Bad activity",
        "activity_type": "kle",
        "line_of_activity": loa_id(),
        "country": "XBN",
        "owner_org": org("SCO Bandaria").pk,
        "start_date": "2027-06-14",
        "end_date": "2027-06-18",
        "marking": "CUI",
    }
    body.update(change)
    before = snapshot_counts()
    response = api("sco.bandaria").post(f"{BASE}activities/", body, format="json")
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message), response.json()
    assert snapshot_counts() == before


@pytest.mark.parametrize("value", ["2028.5", "abc", "99999"])
def test_a_fiscal_year_filter_that_is_no_year_matches_nothing(api, value):
    response = api("sco.bandaria").get(f"{BASE}activities/", {"fiscal_year": value})
    assert response.status_code in (200, 400) and (
        response.status_code == 400 or response.json()["count"] == 0
    )


def test_bad_funding_is_400(api):
    a = activity("DV orientation tour")
    response = api("sco.bandaria").patch(
        f"{BASE}activities/{a.pk}/",
        {"funding": [{"fiscal_year": 2028, "source": "om", "amount": "-5"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "funding": {"0": {"amount": ["Ensure this value is greater than or equal to 0."]}}
    }


def test_r_pln_03_bad_plan_period_is_400_with_the_rule_header(api):
    body = {
        "title": "Short plan",
        "kind": "ccp",
        "owner_org": org("AFRICOM").pk,
        "start_fy": 2027,
        "end_fy": 2028,
        "marking": "CUI",
    }
    response = api("ccmd.planner").post(f"{BASE}campaign-plans/", body, format="json")
    assert response.status_code == 400 and response["X-Rule"] == "R-PLN-03"
    assert response.json() == {
        "end_fy": [
            "R-PLN-03: a campaign plan spans 3 to 5 fiscal years; FY2027–FY2028 is 2. Set the last fiscal year to FY2029–FY2031."
        ]
    }


def test_status_cannot_be_written_through_the_api(api):
    a = activity("DCS purchase")
    response = api("sco.bandaria").patch(
        f"{BASE}activities/{a.pk}/",
        {"status": "completed", "location": "Bandar City"},
        format="json",
    )
    assert (
        response.status_code == 200
        and response.json()["status"] == "proposed"
        and response.json()["location"] == "Bandar City"
    )


def test_r_pln_02_approval_refused_through_the_api_lists_the_failing_imo(api):
    plan = CampaignPlan.objects.system().get(kind="ccp")
    before = snapshot_counts()
    response = api("ccmd.planner").post(
        f"{BASE}campaign-plans/{plan.pk}/approve/", {"reason": "J5"}, format="json"
    )
    assert response.status_code == 400 and response["X-Rule"] == "R-PLN-02"
    [text] = response.json()["non_field_errors"]
    assert text.startswith(
        "R-PLN-02: the plan cannot be approved while 1 IMO fails SMART: “Bandaria certifies"
    )
    assert snapshot_counts() == before


def test_activity_transitions_through_the_api(api, on_demo_day):
    client = api("sco.bandaria")
    station = activity("Visit to border police")
    refused = client.post(f"{BASE}activities/{station.pk}/plan/", {}, format="json")
    assert refused.status_code == 400 and refused.json() == {
        "line_of_activity": [
            "R-PLN-01: an activity not linked to a line of activity (and so to an IMO) stays a proposed draft: link it first."
        ]
    }
    assert (
        client.patch(
            f"{BASE}activities/{station.pk}/", {"line_of_activity": loa_id()}, format="json"
        ).status_code
        == 200
    )
    assert (
        client.post(f"{BASE}activities/{station.pk}/plan/", {}, format="json").json()["status"]
        == "planned"
    )
    cancelled = client.post(
        f"{BASE}activities/{station.pk}/cancel/", {"reason": "merged into the KLE"}, format="json"
    ).json()
    assert cancelled["status"] == "cancelled"
    talks = activity("Interagency staff talks")
    assessed = (
        api("ccmd.planner")
        .post(
            f"{BASE}activities/{talks.pk}/assess/",
            {"assessment": "Interior joined."},
            format="json",
        )
        .json()
    )
    assert (
        assessed["assessed_on"] == "2026-11-23"
        and assessed["assessment_overdue"] is False
        and assessed["flags"] == []
    )


def test_r_pln_09_reschedule_through_the_api_shows_then_moves_dependents(api, on_demo_day):
    client = api("ccmd.planner")
    vetting = activity("Human rights (Leahy)")
    preview = client.post(
        f"{BASE}activities/{vetting.pk}/reschedule/", {"start_date": "2027-08-02"}, format="json"
    ).json()
    assert preview["applied"] is False
    assert [(m["title"][:20], m["new_start"]) for m in preview["moves"]] == [
        ("Human rights (Leahy)", "2027-08-02"),
        ("Joint combined excha", "2027-10-30"),
    ]
    done = client.post(
        f"{BASE}activities/{vetting.pk}/reschedule/",
        {"start_date": "2027-08-02", "confirm": True},
        format="json",
    ).json()
    assert done["applied"] is True
    assert activity("Joint combined exchange").start_date == dt.date(2027, 10, 30)
    refused = client.post(
        f"{BASE}activities/{activity('Border patrol individual').pk}/reschedule/",
        {"start_date": "2027-12-01"},
        format="json",
    )
    assert refused.status_code == 400 and refused["X-Rule"] == "R-PLN-09"
    assert refused.json()["start_date"][0].startswith(
        "R-PLN-09: “Border patrol individual training (mobile training team)” cannot start 1 Dec 2027"
    )


def test_r_pln_09_the_api_names_what_the_sco_may_not_move_and_who_must_approve(api, on_demo_day):
    client = api("sco.bandaria")
    vetting = activity("Human rights (Leahy)")
    url = f"{BASE}activities/{vetting.pk}/reschedule/"
    preview = client.post(url, {"start_date": "2027-08-02"}, format="json").json()
    assert preview["applied"] is False
    assert preview["blocked"] == [activity("Joint combined exchange").pk]
    assert (preview["approver"], preview["alone"]) == ("AFRICOM", "2027-05-05")
    refused = client.post(url, {"start_date": "2027-08-02", "confirm": True}, format="json")
    assert refused.status_code == 400 and refused["X-Rule"] == "R-PLN-09"
    assert "Send the move to AFRICOM for approval" in refused.json()["start_date"][0]
    assert activity("Human rights (Leahy)").start_date == dt.date(2027, 2, 1)


def test_r_pln_09_a_reschedule_request_asked_and_approved_through_the_api(api, on_demo_day):
    sco, planner = api("sco.bandaria"), api("ccmd.planner")
    vetting = activity("Human rights (Leahy)")
    body = {"activity": vetting.pk, "start_date": "2027-08-02", "reason": "INVEST backlog"}
    asked = sco.post(f"{BASE}reschedules/", body, format="json")
    assert asked.status_code == 201, asked.content
    record = asked.json()
    assert (record["status"], record["actions_now"]) == ("requested", [])  # AFRICOM answers
    url = f"{BASE}reschedules/{record['id']}/"
    # the SCO may not answer its own request (R-SEC-11); AFRICOM sees it waiting and may
    own = sco.post(url + "approve/", {}, format="json")
    assert own.status_code == 400 and own["X-Rule"] == "R-SEC-11"
    seen = planner.get(f"{BASE}reschedules/", {"status": "requested"}).json()["results"]
    assert [r["id"] for r in seen] == [record["id"]]
    assert seen[0]["actions_now"] == ["approve", "decline"]
    no_reason = planner.post(url + "decline/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    done = planner.post(url + "approve/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "applied"
    assert activity("Joint combined exchange").start_date == dt.date(2027, 10, 30)
    assert planner.post(url + "undo/", {}, format="json").json()["status"] == "undone"
    # R-SEC-03: planning records never reach the partner
    partner = api("partner.bandaria")
    assert partner.get(f"{BASE}reschedules/").json()["results"] == []
    assert partner.get(url).status_code == 404
    again = sco.post(f"{BASE}reschedules/", {**body, "activity": 999999}, format="json")
    assert again.status_code == 400 and "activity" in again.json()


def test_r_pln_09_dependency_cycle_through_the_api_is_400(api):
    body = {
        "predecessor": activity("Advanced border operations course").pk,
        "successor": activity("Human rights (Leahy)").pk,
    }
    before = snapshot_counts()
    response = api("ccmd.planner").post(f"{BASE}dependencies/", body, format="json")
    assert response.status_code == 400 and response["X-Rule"] == "R-PLN-09"
    assert response.json()["predecessor"] == [
        "R-PLN-09: this dependency would make a cycle (Advanced border operations course → Human rights (Leahy) vetting of "
        "the border brigade → Border patrol individual training (mobile training team) → Advanced border operations course): "
        "an activity cannot wait for itself. Remove one of these dependencies first."
    ]
    assert snapshot_counts() == before
    ok = api("ccmd.planner").post(
        f"{BASE}dependencies/",
        {
            "predecessor": activity("Military staff talks").pk,
            "successor": activity("Interoperability workshop").pk,
            "lag_days": 30,
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["marking"] == "CUI"


def test_imo_created_failing_smart_is_saved_and_says_why(api):
    loe = IntermediateObjective.objects.system().first().line_of_effort_id
    response = api("ccmd.planner").post(
        f"{BASE}imos/",
        {"line_of_effort": loe, "title": "Better borders", "marking": "CUI//NOFORN"},
        format="json",
    )
    assert response.status_code == 201
    letters = [f["letter"] for f in response.json()["smart"]]
    assert letters[0] == "Specific" and set(letters) == {
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    }


def test_writing_another_organizations_plan_is_403_with_the_reason(api):
    plan = CampaignPlan.objects.system().get(kind="ccp")
    response = api("sco.bandaria").patch(
        f"{BASE}campaign-plans/{plan.pk}/", {"summary": "mine now"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith(
        "You cannot change this campaign plan: it is not yours to edit"
    )


def test_guidance_links_of_a_plan_are_written_and_logged(api):
    plan = CampaignPlan.objects.system().get(kind="ccp")
    client = api("ccmd.planner")
    ids = client.get(f"{BASE}campaign-plans/{plan.pk}/").json()["guidance"]
    assert len(ids) == 4
    ics = client.get(f"{BASE}guidance/", {"kind": "ics"}).json()["results"][0]["id"]
    response = client.patch(
        f"{BASE}campaign-plans/{plan.pk}/", {"guidance": ids + [ics]}, format="json"
    )
    assert sorted(response.json()["guidance"]) == sorted(ids + [ics])
    entry = (
        ChangeLogEntry.objects.system()
        .filter(content_type__model="campaignplan", object_id=str(plan.pk))
        .order_by("id")
        .last()
    )
    assert entry.before == {"guidance": sorted(ids)} and entry.after == {
        "guidance": sorted(ids + [ics])
    }


def _more_rows():
    """Enough extra rows that an N+1 would show."""
    plan = CampaignPlan.objects.system().get(kind="ccp")
    for i in range(3):
        es = EndState(campaign_plan=plan, title=f"Extra end state {i}")
        es.marking = Marking.parse("CUI")
        core.system_create(es, reason="query count")
        loe = LineOfEffort(
            campaign_plan=plan, end_state=es, name=f"Extra LOE {i}", country_id="KEN"
        )
        loe.marking = Marking.parse("CUI")
        core.system_create(loe, reason="query count")
        p = CampaignPlan(
            title=f"Extra plan {i}", owner_org=org("AFRICOM"), start_fy=2027, end_fy=2030
        )
        p.marking = Marking.parse("CUI")
        core.system_create(p, reason="query count")
        cp = CountryPlan(
            campaign_plan=plan,
            country_id="KEN",
            owner_org=org("AFRICOM"),
            title=f"Kenya CSCS {i}",
            version=i + 1,
            start_fy=2027,
            end_fy=2029,
        )
        cp.marking = Marking.parse("CUI")
        core.system_create(cp, reason="query count")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_endpoints_run_a_fixed_number_of_queries(api, endpoint, django_assert_max_num_queries):
    """ARCHITECTURE invariant 7."""
    _more_rows()
    client = api("ccmd.planner")
    client.get(f"{BASE}{endpoint}/")  # warm the profile and content types
    with django_assert_max_num_queries(10) as one:
        client.get(f"{BASE}{endpoint}/", {"page_size": 1})
    with django_assert_max_num_queries(10) as many:
        data = client.get(f"{BASE}{endpoint}/", {"page_size": 100}).json()
    assert data["count"] >= 3, endpoint
    assert len(many.captured_queries) == len(one.captured_queries), endpoint


def test_r_pln_09_the_reschedule_list_costs_the_same_queries_for_one_record_or_three(
    api, on_demo_day
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sco, client = person("sco.bandaria"), api("sco.bandaria")
    actions.reschedule(sco, activity("Human rights (Leahy)"), dt.date(2027, 5, 5), confirm=True)
    with CaptureQueriesContext(connection) as one:
        first = client.get(f"{BASE}reschedules/").json()["results"]
    for day in (dt.date(2027, 4, 28), dt.date(2027, 4, 21)):  # earlier: pushes nothing
        actions.reschedule(sco, activity("Human rights (Leahy)"), day, confirm=True)
    with CaptureQueriesContext(connection) as three:
        page = client.get(f"{BASE}reschedules/").json()["results"]
    assert len(page) == len(first) + 2 and "undo" in page[0]["actions_now"]
    assert len(three.captured_queries) == len(one.captured_queries)
