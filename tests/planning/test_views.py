"""Planning pages: lists and details through the door, forms with rule errors inline, SMART as
the planner types (htmx), transitions, the home page items, fixed query counts."""

import pytest
from django.urls import reverse

from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.today import items_for
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from secoop.planning.models import CountryPlan
from secoop.planning.models import GuidanceDocument
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfActivity
from secoop.planning.models import LineOfEffort
from secoop.planning.models import PlanningAssumption
from tests.core.test_no_leaks import text_of

from .conftest import activity
from .conftest import imo
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db

LISTS = [
    "planning:index",
    "planning:activities",
    "planning:imos",
    "planning:plans",
    "planning:country-plans",
    "planning:assumptions",
    "planning:guidance",
    "planning:events",
]
DETAILS = [
    (CampaignPlan, "planning:plan-detail"),
    (LineOfEffort, "planning:loe-detail"),
    (IntermediateObjective, "planning:imo-detail"),
    (Activity, "planning:activity-detail"),
    (CountryPlan, "planning:country-plan-detail"),
    (PlanningAssumption, "planning:assumption-detail"),
    (GuidanceDocument, "planning:guidance-detail"),
]


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_every_planning_page_opens_for_the_planner(login):
    client = login("ccmd.planner")
    for name in LISTS + ["planning:activity-create", "planning:imo-create", "planning:plan-create"]:
        page(client, reverse(name))
    for model, name in DETAILS:
        for record in model.objects.system().all()[:3]:
            for tab in ("overview", "related", "history"):
                page(client, reverse(name, args=[record.pk]), tab=tab)
    page(client, reverse("planning:imo-edit", args=[imo("Bandaria certifies").pk]))
    page(client, reverse("planning:activity-edit", args=[activity("DCS purchase").pk]))


def test_r_sec_03_partner_sees_no_planning_page_content(login):
    client = login("partner.bandaria")
    assert (
        "Planning"
        not in client.get(reverse("home"))
        .content.decode()
        .split("Primary navigation")[1]
        .split("</nav>")[0]
    )
    titles = [a.title for a in Activity.objects.system().all()] + [
        i.title for i in IntermediateObjective.objects.system().all()
    ]
    for name in LISTS:
        body = page(client, reverse(name))
        if name != "planning:index":
            body += text_of(client.get(reverse(name), {"format": "xlsx"}))
        assert not [t for t in titles if t in body], name
    for model, name in DETAILS:
        record = model.objects.system().first()
        assert client.get(reverse(name, args=[record.pk])).status_code == 404


def test_r_pln_02_imo_page_shows_each_failing_letter(login):
    body = page(
        login("ccmd.planner"), reverse("planning:imo-detail", args=[imo("Bandaria certifies").pk])
    )
    assert "Not yet SMART" in body and "R-PLN-02" in body
    assert (
        "<strong>Measurable: no indicator or target quantity</strong> — add a measure of performance (MOP) or effectiveness (MOE) with its method and target."
        in body
    )
    assert 'title="Measurable: fails"' in body and 'title="Specific: passes"' in body


def test_r_pln_02_smart_findings_as_the_planner_types(login):
    client = login("ccmd.planner")
    url = reverse("planning:imo-smart-check")
    loe = LineOfEffort.objects.system().get(name="Border security").pk
    empty = page(client, url, line_of_effort=loe, title="x", term="near")
    assert (
        "Specific: no statement of what is expected" in empty and "Time-bound: no deadline" in empty
    )
    typed = page(
        client,
        url,
        line_of_effort=loe,
        title="x",
        term="near",
        statement="Patrols",
        by_whom="Brigade",
        with_whom="SCO",
        deadline="2033-01-01",
    )
    assert "Specific: no" not in typed and "Specific: does not" not in typed
    assert "Time-bound: deadline 1 Jan 2033 is after the plan ends (30 Sep 2031)" in typed
    # For a saved IMO, its measures count.
    saved = imo("Border brigade patrols")
    body = page(
        client,
        url,
        imo=saved.pk,
        line_of_effort=loe,
        title=saved.title,
        term="mid",
        statement=saved.statement,
        by_whom=saved.by_whom,
        with_whom=saved.with_whom,
        authority=saved.authority,
        resources=saved.resources,
        partner_agreement_on="2026-11-19",
        political_risk_considered="on",
        fiscal_risk_considered="on",
        end_state=saved.end_state_id,
        priority=1,
        deadline="2029-09-30",
    )
    assert "<strong>SMART</strong>" in body


def test_imo_form_saves_a_failing_imo_and_shows_why(login):
    client = login("ccmd.planner")
    loe = LineOfEffort.objects.system().get(name="Border security")
    response = client.post(
        reverse("planning:imo-create"),
        {
            "marking": "CUI//NOFORN",
            "line_of_effort": loe.pk,
            "title": "Better borders",
            "term": "near",
        },
    )
    assert response.status_code == 302
    saved = IntermediateObjective.objects.system().get(title="Better borders")
    assert "Specific: no statement of what is expected" in page(client, response["Location"])
    assert saved.line_of_effort == loe


def test_r_pln_03_activity_form_shows_the_rule_inline_and_saves_nothing(login):
    client = login("sco.bandaria")
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    before = snapshot_counts()
    response = client.post(
        reverse("planning:activity-create"),
        {
            "marking": "CUI",
            "title": "Too early",
            "activity_type": "kle",
            "line_of_activity": loa.pk,
            "country": "XBN",
            "owner_org": org("SCO Bandaria").pk,
            "start_date": "2026-09-01",
            "end_date": "2026-09-02",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "1 Sep 2026–2 Sep 2026 is outside the campaign plan" in body and "/rules/R-PLN-03/" in body
    )
    assert snapshot_counts() == before
    ok = client.post(
        reverse("planning:activity-create"),
        {
            "marking": "CUI",
            "title": "Just right",
            "activity_type": "kle",
            "line_of_activity": loa.pk,
            "country": "XBN",
            "owner_org": org("SCO Bandaria").pk,
            "start_date": "2027-06-01",
            "end_date": "2027-06-02",
            "reason": "RWG",
        },
    )
    assert ok.status_code == 302
    assert Activity.objects.system().get(title="Just right").status == "proposed"


def test_owner_choices_are_organizations_the_user_may_write_for(login):
    body = page(login("sco.bandaria"), reverse("planning:activity-create"))
    assert ">SCO Bandaria<" in body and ">AFRICOM<" not in body


def test_r_pln_01_transition_buttons_and_refusal_message(login):
    client = login("sco.bandaria")
    station = activity("Visit to border police")
    response = client.post(
        reverse("planning:activity-transition", args=[station.pk, "plan"]), follow=True
    )
    assert (
        "An activity not linked to a line of activity (and so to an IMO) stays a proposed draft: link it first."
        in response.content.decode()
    )
    assert activity("Visit to border police").status == "proposed"
    body = page(client, reverse("planning:activity-detail", args=[station.pk]))
    assert "Unlinked: serves no line of activity, so no IMO" in body


def test_r_pln_06_assessment_through_the_page(login, on_demo_day):
    client = login("ccmd.planner")
    talks = activity("Interagency staff talks")
    assert "Overdue" in page(client, reverse("planning:activity-detail", args=[talks.pk]))
    client.post(
        reverse("planning:activity-assess", args=[talks.pk]),
        {"assessment": "Interior joined the program."},
    )
    assert activity("Interagency staff talks").assessment == "Interior joined the program."


def test_r_pln_02_approve_button_refused_with_the_failing_imo(login):
    plan = CampaignPlan.objects.system().get(kind="ccp")
    response = login("ccmd.planner").post(
        reverse("planning:plan-approve", args=[plan.pk]), follow=True
    )
    assert "The plan cannot be approved while 1 IMO fails SMART" in response.content.decode()
    assert CampaignPlan.objects.system().get(kind="ccp").status == "draft"


def test_r_pln_02_the_approve_button_answers_403_to_a_user_without_the_approver_role(login):
    """A missing role is the 403 page; a rule's refusal (above) is a message on the plan."""
    plan = CampaignPlan.objects.system().get(kind="ccp")
    response = login("sco.bandaria").post(reverse("planning:plan-approve", args=[plan.pk]))
    assert response.status_code == 403
    assert CampaignPlan.objects.system().get(kind="ccp").status == "draft"


def test_r_sec_01_banner_covers_the_related_records_an_activity_page_names(login):
    body = page(
        login("ccmd.planner"),
        reverse("planning:activity-detail", args=[activity("Border brigade capability").pk]),
    )
    assert (
        "Support built and the border brigade vetted and selected" in body
    )  # the NOFORN IMO is named
    assert body.count("CUI//NOFORN") >= 2  # so the banners say NOFORN


def test_le_staff_see_restricted_for_related_records_they_may_not_read(login):
    talks = activity("Interagency staff talks")  # REL TO USA, XBN; its IMO is NOFORN
    body = page(login("le.staff"), reverse("planning:activity-detail", args=[talks.pk]))
    assert (
        "Support built and the border brigade vetted and selected" not in body
        and "(restricted)" in body
    )


@pytest.mark.both_databases  # a query count: the database's own answer
@pytest.mark.parametrize(
    "name",
    [
        "planning:activities",
        "planning:imos",
        "planning:plans",
        "planning:country-plans",
        "planning:assumptions",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(login, name, django_assert_max_num_queries):
    client = login("ccmd.planner")
    client.get(reverse(name))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(name), {"page": 1})
    plan = CampaignPlan.objects.system().get(kind="ccp")
    loa = LineOfActivity.objects.system().first()
    for i in range(12):
        for record in (
            Activity(
                title=f"Bulk {i}",
                activity_type="kle",
                country_id="XBN",
                owner_org=org("SCO Bandaria"),
                line_of_activity=loa,
                start_date="2027-06-01",
                end_date="2027-06-02",
            ),
            IntermediateObjective(line_of_effort=loa.imo.line_of_effort, title=f"Bulk {i}"),
            CampaignPlan(title=f"Bulk {i}", owner_org=org("AFRICOM"), start_fy=2027, end_fy=2029),
            CountryPlan(
                campaign_plan=plan,
                country_id="KEN",
                owner_org=org("AFRICOM"),
                title=f"Bulk {i}",
                version=i + 1,
                start_fy=2027,
                end_fy=2029,
            ),
            PlanningAssumption(
                campaign_plan=plan,
                owner_org=org("AFRICOM"),
                statement=f"Bulk {i}",
                review_on="2027-01-01",
            ),
        ):
            record.marking = Marking.parse("CUI")
            core.system_create(record, reason="query count")
    with django_assert_max_num_queries(20) as many:
        client.get(reverse(name), {"page": 1})
    assert len(many.captured_queries) == len(few.captured_queries)


# --- what needs me today -------------------------------------------------------------------------


def titles(username):
    return [
        (section, item.title, item.rule)
        for section, items in items_for(person(username))
        for item in items
        if section == "Planning"
    ]


def test_planner_today_shows_failing_imos_overdue_assessments_assumptions_and_rff(on_demo_day):
    found = titles("ccmd.planner")
    assert (
        "Planning",
        "IMO not SMART: Bandaria certifies its border units and runs interagency border operations",
        "R-PLN-02",
    ) in found
    assert (
        "Planning",
        "Assessment overdue: Interagency staff talks on border security",
        "R-PLN-06",
    ) in found
    assert (
        "Planning",
        "Assumption past review: The 1st Border Brigade passes human rights vetting without remediation.",
        "R-PLN-04",
    ) in found
    assert (
        "Planning",
        "Inside the request-for-forces lead time: Joint combined exchange training: border reconnaissance",
        "R-PLN-10",
    ) in found


def test_sco_today_shows_unlinked_and_overdue_for_its_country(on_demo_day):
    found = titles("sco.bandaria")
    assert ("Planning", "1 unlinked activity in your country", "R-PLN-01") in found
    assert (
        "Planning",
        "1 other activity in your country completed without an assessment",
        "R-PLN-06",
    ) in found
    assert not [t for t in found if t[2] == "R-PLN-02"]  # SMART is the planner's


def test_today_links_lead_to_where_it_is_fixed(login, on_demo_day):
    client = login("sco.bandaria")
    items = [
        i
        for section, its in items_for(person("sco.bandaria"))
        for i in its
        if section == "Planning"
    ]
    unlinked = next(i for i in items if i.rule == "R-PLN-01")
    assert "Visit to border police stations" in page(client, unlinked.url)


@pytest.mark.parametrize("username", ["partner.bandaria", "industry.rep", "admin", "le.staff"])
def test_r_sec_03_no_planning_items_for_partner_industry_or_the_administrator(
    username, on_demo_day
):
    assert (
        titles(username) == []
        or username == "le.staff"
        and all(t[2] in ("R-PLN-01", "R-PLN-06") for t in titles(username))
    )


def test_planning_home_offers_new_activity_only_to_who_may_create_one(login):
    """Issue 12.6: the partner was offered a "New activity" button that led to a 404."""
    assert "New activity" in login("sco.bandaria").get("/planning/").content.decode()
    assert "New activity" not in login("partner.bandaria").get("/planning/").content.decode()


def test_issue15_a_country_plan_lists_the_first_activities_of_each_phase_and_says_how_many(
    client, monkeypatch
):
    """A large partner's plan has thousands of activities: the page lists the first PHASE_ROWS of
    each phase (by start date) and says how many there are, with a link to the activities list."""
    from django.db.models import Count

    from secoop.planning import views
    from secoop.planning.models import Activity
    from secoop.planning.models import CountryPlan

    busiest = (
        Activity.objects.system()
        .exclude(phase=None)
        .values("country_plan", "phase")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest and busiest["n"] >= 2, "the demo has a phase with two activities"
    monkeypatch.setattr(views, "PHASE_ROWS", 1)
    client.force_login(person("sco.bandaria"))
    plan = CountryPlan.objects.system().get(pk=busiest["country_plan"])
    response = client.get(plan.get_absolute_url())
    body = response.content.decode()
    phase_rows = {p.pk: (acts, n) for p, acts, n in response.context["phases"]}
    acts, n = phase_rows[busiest["phase"]]
    assert len(acts) == 1 and n >= 2 and f"The first 1 of {n} activities" in body
    assert response.context["total"] >= sum(n for _, n in phase_rows.values())


def test_list_filters_keep_only_overdue_assessments_and_assumptions_past_review(login, on_demo_day):
    from django.utils import timezone

    from secoop.planning import rules

    planner, client = person("ccmd.planner"), login("ccmd.planner")
    overdue = set(Activity.objects.visible_to(planner).filter(rules.assessment_overdue_q()))
    assert overdue and overdue != set(Activity.objects.visible_to(planner))
    listed = client.get(reverse("planning:activities"), {"overdue": "yes"}).context["object_list"]
    assert set(listed) == overdue
    past = set(
        PlanningAssumption.objects.visible_to(planner).filter(review_on__lt=timezone.localdate())
    )
    assert past and past != set(PlanningAssumption.objects.visible_to(planner))
    listed = client.get(reverse("planning:assumptions"), {"review": "overdue"}).context[
        "object_list"
    ]
    assert set(listed) == past
    everything = client.get(reverse("planning:assumptions"), {"review": ""}).context["object_list"]
    assert set(everything) == set(PlanningAssumption.objects.visible_to(planner))
