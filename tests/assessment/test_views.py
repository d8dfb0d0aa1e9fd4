"""Assessment pages: the indicator page says why no actual can be recorded before the baseline
(R-AME-01) and draws target vs actual; a bad value is refused on the page with nothing saved;
the logic framework (R-AME-03) and the ROI table, chart and XLSX (R-AME-07); the home page's
items for those who approve and report; lessons searchable by word and tag (R-AME-05)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from secoop.assessment import actions
from secoop.assessment.models import Indicator
from secoop.assessment.models import Period
from secoop.core import today
from secoop.core.markings import Marking
from secoop.planning.models import IntermediateObjective
from tests.helpers import on_day

from .conftest import first_period
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date


def test_r_ame_01_the_indicator_page_says_why_no_actual_can_be_recorded_yet(login, coordination):
    fresh = Indicator(
        result_id=coordination.result_id,
        title="Joint patrols planned",
        kind="MOP",
        unit="patrols",
        definition="Joint patrols on the plan",
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
    )
    fresh.marking = Marking.parse("CUI//REL TO USA, XBN")
    fresh = actions.create_indicator(person("sco.bandaria"), fresh)
    period = Period(
        indicator=fresh, period_start=D(2026, 11, 17), period_end=D(2026, 11, 19), target=2
    )
    period.marking = fresh.marking
    actions.add_period(person("sco.bandaria"), period)
    body = login("sco.bandaria").get(fresh.get_absolute_url()).content.decode()
    assert 'data-testid="baseline-first"' in body and "no baseline yet" in body
    assert "Reporting opens once the baseline is recorded" in body and "Save as draft" not in body


def test_the_indicator_page_draws_target_and_actual_and_refuses_a_bad_value(login, wells):
    client = login("sco.bandaria")
    body = client.get(wells.get_absolute_url()).content.decode()
    assert '<svg class="assessment-chart"' in body and "target and actual per period" in body
    before = snapshot_counts()
    response = client.post(
        f"/assessment/indicators/{wells.pk}/report/",
        {"period": first_period(wells).pk, "value": "a few"},
        follow=True,
    )
    assert (
        "R-AME-02" in response.content.decode() and "is not a number" in response.content.decode()
    )
    assert snapshot_counts() == before


def test_r_ame_03_the_logic_framework_runs_from_inputs_to_the_end_state(login):
    imo = IntermediateObjective.objects.system().get(title__startswith="Border brigade patrols")
    body = login("ccmd.planner").get(f"/assessment/objectives/{imo.pk}/").content.decode()
    for column in (
        "Inputs",
        "Activities",
        "Outputs",
        "Outcomes",
        "Impact",
        "Assumptions the path rests on",
    ):
        assert column in body
    assert "The 1st Border Brigade controls the northern frontier" in body
    assert "Illicit crossings interdicted per month" in body and "End state:" in body
    assert login("partner.bandaria").get(f"/assessment/objectives/{imo.pk}/").status_code == 404


def test_r_ame_07_roi_table_chart_and_xlsx(login):
    client = login("ccmd.planner")
    body = client.get("/assessment/return-on-investment/").content.decode()
    assert "Planned spend" in body and 'role="img"' in body
    response = client.get("/assessment/return-on-investment/", {"format": "xlsx"})
    assert response["X-Marking"] == "CUI//NOFORN"
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert any(
        r[0] == "Border brigade patrols the northern frontier day and night with its own logistics"
        for r in rows
    )


def test_r_sec_01_the_roi_is_marked_by_the_funding_lines_it_sums(login, settings):
    """The spend is a sum of funding lines: a SECRET line the planner may read raises the
    workbook's marking (and the page's banner), though the activity itself is CUI."""
    from secoop.planning.models import ActivityFunding
    from tests.conftest import builds

    settings.MAX_CLASSIFICATION = "SECRET"
    line = (
        ActivityFunding.objects.system()
        .filter(activity__line_of_activity__imo__results__isnull=False)
        .order_by("pk")
        .first()
    )
    with builds("a SECRET funding line of a CUI activity"):
        ActivityFunding.objects.system().filter(pk=line.pk).update(
            classification=3, dissemination="NOFORN", rel_to=""
        )
    client = login("ccmd.planner")
    response = client.get("/assessment/return-on-investment/", {"format": "xlsx"})
    assert response["X-Marking"] == "SECRET//NOFORN"
    assert "SECRET//NOFORN" in client.get("/assessment/return-on-investment/").content.decode()


def test_the_home_page_lists_updates_to_decide_and_returned_ones(users):
    planner = dict(today.items_for(users["ccmd.planner"])).get("Assessment", [])
    assert [i.title for i in planner] == ["2 indicator updates to approve or return"]
    sco = [i.title for i in dict(today.items_for(users["sco.bandaria"])).get("Assessment", [])]
    assert sco == ["1 indicator update to approve or return", "1 update returned to you"]
    assert not dict(today.items_for(users["partner.bandaria"])).get("Assessment")


def test_r_ame_02_an_indicator_overdue_by_its_frequency_is_on_the_home_page(users, interdictions):
    with on_day(D(2027, 1, 15)):  # November reported; December ended a fortnight ago
        items = dict(today.items_for(users["sco.bandaria"]))["Assessment"]
    overdue = [i for i in items if "overdue for an update" in i.title]
    assert (
        overdue and overdue[0].due == D(2026, 12, 30) and "Illicit crossings" in overdue[0].detail
    )


def test_r_ame_05_lessons_by_word_and_by_tag(login):
    client = login("ccmd.planner")
    assert (
        "Night patrols start only"
        in client.get("/assessment/lessons/", {"q": "logistics"}).content.decode()
    )
    by_tag = client.get("/assessment/lessons/", {"tag": "Water"}).content.decode()
    assert "Hand over wells with a trained mechanic" in by_tag and "Night patrols" not in by_tag


def test_r_sec_01_the_assessment_home_banner_covers_every_record_it_names(login):
    from tests.core.test_views import banner

    # The SCO's home of the app names a NOFORN result: the banner says so.
    assert banner(login("sco.bandaria").get("/assessment/")) == "CUI//NOFORN"


@pytest.mark.both_databases
@pytest.mark.parametrize("username", ["sco.bandaria", "partner.bandaria"])
def test_the_assessment_lists_cost_the_same_queries_whatever_their_rows(
    login, username, on_demo_day, plain_templates
):
    """ARCHITECTURE invariant 7: a list costs its page, not its rows (each row's period,
    indicator, measure and result read once per page, through the door)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_more_rows

    web = login(username)
    lists = [
        "/assessment/updates/",
        "/assessment/indicators/",
        "/assessment/results/",
        "/assessment/evaluations/",
        "/assessment/lessons/",
    ]

    def counts():
        found = {}
        for url in lists:
            with CaptureQueriesContext(connection) as seen:
                assert web.get(url).status_code == 200
            found[url] = len(seen)
        return found

    web.get("/assessment/")  # warm the session and the reference facts
    before = counts()
    build_more_rows()
    assert counts() == before


def test_r_ame_07_the_roi_sums_in_the_database_what_the_logframe_reads(login, settings):
    """Issue 15 item 4: the ROI table adds up each objective's funding lines and actual costs in
    SQL (thousands of activities under one IMO at enterprise scale) — the same spend, actuals,
    progress, cost per point and marking as the IMO's logic framework reads them record by record,
    and the same queries however many activities an IMO has."""
    from secoop.assessment import logframe
    from secoop.core.markings import combine
    from secoop.planning.models import Activity
    from secoop.planning.models import ActivityFunding
    from tests.conftest import builds
    from tests.helpers import person

    settings.MAX_CLASSIFICATION = "SECRET"
    for username in ("ccmd.planner", "sco.bandaria", "dsca.analyst"):
        user = person(username)
        summed = logframe.roi_rows(user)
        assert summed, username
        for f in summed:
            read = logframe.frame(f.imo, user)
            assert (f.spend, f.actual_spend, f.actuals_note, f.progress, f.cost_per_point) == (
                read.spend,
                read.actual_spend,
                read.actuals_note,
                read.progress,
                read.cost_per_point,
            )
            assert combine(r.marking for r in f.records) == combine(r.marking for r in read.records)
            assert (f.outputs, f.outcomes, f.impacts) == (read.outputs, read.outcomes, read.impacts)
    client = login("ccmd.planner")
    url = "/assessment/return-on-investment/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request reads what a session keeps (the access profile)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    imo = logframe.roi_rows(person("ccmd.planner"))[0].imo
    one = Activity.objects.system().filter(line_of_activity__imo=imo).first()
    funding = list(ActivityFunding.objects.system().filter(activity=one))
    with builds("many activities under one IMO"):
        copies = []
        for i in range(40):
            copy = Activity.objects.system().get(pk=one.pk)
            copy.pk = copy.id = None
            copy.title = f"Copy {i}"
            copies.append(copy)
        copies = Activity.objects.system().bulk_create(copies)
        made = []
        for c in copies:
            for f in funding:
                f.pk = f.id = None
                f.activity = c
                made.append(
                    ActivityFunding(
                        **{k: v for k, v in f.__dict__.items() if not k.startswith("_")}
                    )
                )
        ActivityFunding.objects.system().bulk_create(made)
    with CaptureQueriesContext(connection) as after:
        body = client.get(url).content.decode()
    from collections import Counter

    shape = lambda q: Counter(x["sql"][:90] for x in q.captured_queries)  # noqa: E731
    assert len(after.captured_queries) == len(before.captured_queries), shape(after) - shape(before)
    assert (
        f"of {logframe.roi_rows(person('ccmd.planner'))[0].n_activities} activities" in body
        or "actuals recorded" in body
    )


def test_r_ame_07_the_roi_table_is_paged_by_objective(login, monkeypatch):
    """Issue 15 item 4: the ROI table shows ROI_PAGE objectives a page (about twenty queries
    each); following Next shows every objective with results once, in order."""
    import re

    from secoop.assessment import logframe
    from tests.helpers import person

    monkeypatch.setattr(logframe, "ROI_PAGE", 1)
    client = login("ccmd.planner")
    url = "/assessment/return-on-investment/"
    expected = [o.pk for o in logframe.roi_objectives(person("ccmd.planner"))]
    assert len(expected) > 1
    seen, response = [], client.get(url)
    while True:
        html = response.content.decode()
        shown = re.findall(r'<th scope="row"><a href="/assessment/objectives/(\d+)/', html)
        assert len(shown) == 1
        seen += [int(pk) for pk in shown]
        following = re.search(r'href="(\?cursor=[^"]+)" aria-label="Next page"', html)
        if not following:
            break
        response = client.get(url + following.group(1).replace("&amp;", "&"))
    assert seen == expected


@pytest.mark.both_databases
def test_issue_15_the_roi_page_sums_spend_and_costs_in_the_same_queries_for_one_objective_or_ten(
    login, monkeypatch
):
    """Issue 15 item 4: a page of the ROI table counts and adds up its objectives' activities,
    funding lines and actual costs grouped by objective, in the same queries whether it shows
    one objective or all of them (summed_by_objective), not eight queries per objective."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.assessment import logframe
    from tests.helpers import person

    client = login("ccmd.planner")
    url = "/assessment/return-on-investment/"
    client.get(url)  # the first request reads what a session keeps (the access profile)
    tables = ("planning_activityfunding", "assessment_actualcost")

    def summing(page: int, counts=lambda sql: any(t in sql for t in tables)) -> int:
        monkeypatch.setattr(logframe, "ROI_PAGE", page)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return sum(counts(q["sql"]) for q in seen.captured_queries)

    assert len(logframe.roi_objectives(person("ccmd.planner"))) > 1
    assert summing(1) == summing(50) == 5
    # The results (outputs, outcomes, impacts) of the page's objectives: one read, not one each.
    results = lambda page: summing(page, lambda sql: 'AS "via"' in sql)  # noqa: E731
    assert results(1) == results(50) == 1


@pytest.mark.both_databases
def test_issue_15_the_roi_page_costs_the_same_queries_however_many_objectives_it_shows(
    login, monkeypatch
):
    """Issue 15: a page of the ROI table reads its objectives' plans, assumptions, end states,
    indicators, periods, updates and roll-ups for the whole page at once: three times the
    objectives (each with its results, indicators, periods, updates and contributors) cost no
    more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.assessment import logframe

    from .conftest import copy_objectives

    monkeypatch.setattr(logframe, "ROI_PAGE", 100)
    planner = person("ccmd.planner")
    client = login("ccmd.planner")
    url = "/assessment/return-on-investment/"
    client.get(url)  # the first request reads what a session keeps (the access profile)

    def page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as seen:
            body = client.get(url).content.decode()
        return len(seen), body.count('<th scope="row">')

    queries, shown = page()
    assert shown == len(logframe.roi_objectives(planner)) > 1
    copy_objectives(planner, times=2)
    assert page() == (queries, 3 * shown)


def test_issue_15_the_roi_export_holds_every_objective_past_fifty(login, monkeypatch):
    """Issue 15 §6: the ROI workbook holds every objective the user may see with results (it
    stopped at 50 without a word), read a chunk at a time."""
    from secoop.assessment import logframe

    from .conftest import copy_objectives

    monkeypatch.setattr(logframe, "ROI_CHUNK", 7)
    planner = person("ccmd.planner")
    n = len(logframe.roi_objectives(planner))
    copy_objectives(planner, times=-(-51 // n), deep=False)
    expected = [str(o) for o in logframe.roi_objectives(planner)]
    assert len(expected) > 50
    response = login("ccmd.planner").get("/assessment/return-on-investment/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [r[0] for r in sheet.iter_rows(values_only=True)]
    header = rows.index("IMO / outcome")
    assert rows[header + 1 : header + 1 + len(expected)] == expected
    assert rows[header + 1 + len(expected)].startswith("Planned spend:")
    assert f"every objective you may see with results ({len(expected)})" in rows[1]
