"""The synchronization matrix (R-PLN-09): layout on hand-made facts, the critical path and broken
dependencies as computed by planning.rules, accessible SVG with contrast, a fixed number of queries
whatever the number of activities, rescheduling through the page, and R-SEC-03 for partners."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secoop.core.markings import Marking
from secoop.planning import matrix
from secoop.planning.matrix import ActivityFact
from secoop.planning.matrix import FundingFact
from secoop.planning.matrix import LinkFact
from secoop.planning.matrix import MatrixFacts
from secoop.planning.matrix import PhaseFact
from secoop.planning.matrix import RowFact
from secoop.planning.matrix import svg as matrix_svg
from secoop.planning.models import Activity
from secoop.planning.models import ActivityDependency
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CountryPlan
from secoop.planning.models import LineOfActivity
from secoop.planning.rules import Status
from tests.conftest import builds

from .conftest import activity

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"


def facts(activities, links=(), phases=(), rows=None) -> MatrixFacts:
    rows = rows or (
        RowFact("a", "Border security", "LOE / SSCI 1", 1),
        RowFact("b", "Defense institution building", "LOE / SSCI 2", 2),
    )
    return MatrixFacts(
        "Test CSCS",
        2027,
        2031,
        tuple(rows),
        tuple(phases),
        tuple(activities),
        tuple(links),
        today=D(2026, 11, 23),
    )


def act(i, start, end, row="a", **kw) -> ActivityFact:
    return ActivityFact(
        id=i, title=kw.pop("title", f"Activity {i}"), start=start, end=end, row=row, **kw
    )


# --- layout ----------------------------------------------------------------------------------------


def test_r_pln_09_columns_are_months_grouped_by_fiscal_years_starting_1_october():
    lay = matrix.layout(facts([act(1, D(2027, 1, 1), D(2027, 1, 31))]))
    assert [t.label for t in lay.fy_ticks] == ["FY2027", "FY2028", "FY2029", "FY2030", "FY2031"]
    assert lay.start == D(2026, 10, 1) and lay.end == D(2031, 9, 30)
    assert lay.fy_ticks[0].x == matrix.LABEL_W
    assert lay.fy_ticks[1].x == pytest.approx(lay.x_of(D(2027, 10, 1)))
    assert len(lay.month_ticks) == 60 and lay.month_ticks[0].long_label == "October 2026"
    assert [t.label for t in lay.quarter_ticks[:4]] == ["Q1", "Q2", "Q3", "Q4"]
    assert lay.quarter_ticks[1].long_label == "Quarter 2 of FY2027"  # January 2027
    quarterly = matrix.layout(facts([act(1, D(2027, 1, 1), D(2027, 1, 31))]), scale="quarter")
    assert quarterly.month_ticks == [] and quarterly.width < lay.width


def test_r_pln_09_phases_are_bands_over_their_dates():
    phases = [
        PhaseFact(1, "Build support", D(2026, 10, 1), D(2027, 9, 30)),
        PhaseFact(2, "Train and equip", D(2027, 10, 1), D(2028, 9, 30)),
    ]
    lay = matrix.layout(facts([act(1, D(2027, 1, 1), D(2027, 1, 31))], phases=phases))
    assert [b.phase.number for b in lay.bands] == [1, 2]
    assert lay.bands[0].x == pytest.approx(lay.x_of(D(2026, 10, 1)))
    assert lay.bands[1].x == pytest.approx(lay.x_of(D(2027, 10, 1)))
    assert lay.bands[0].tint != lay.bands[1].tint


def test_r_pln_09_bars_of_a_row_are_packed_in_lanes_and_never_overlap():
    acts = [
        act(1, D(2027, 1, 1), D(2027, 6, 30)),
        act(2, D(2027, 2, 1), D(2027, 3, 31)),
        act(3, D(2027, 3, 1), D(2027, 4, 30)),
        act(4, D(2030, 1, 1), D(2030, 2, 28)),  # far later: reuses the first lane
        act(5, D(2027, 1, 1), D(2027, 2, 1), row="b"),
    ]
    lay = matrix.layout(facts(acts))
    lanes = {b.activity.id: b.lane for b in lay.bars}
    assert lanes[1] != lanes[2] != lanes[3] and lanes[1] != lanes[3]
    assert lanes[4] == 0 and lanes[5] == 0
    row_a, row_b = lay.rows
    assert row_a.lanes == 3 and row_b.lanes == 1 and row_b.y == row_a.y + row_a.h
    for b1 in lay.bars:
        for b2 in lay.bars:
            if b1 is not b2 and b1.y == b2.y:
                assert b1.x_end <= b2.x or b2.x_end <= b1.x, "two bars overlap in one lane"
    # bars sit inside their row, at their dates
    bar1 = lay.bar(1)
    assert row_a.y <= bar1.y and bar1.y + bar1.h <= row_a.y + row_a.h
    assert bar1.x == pytest.approx(lay.x_of(D(2027, 1, 1)))
    assert bar1.w == pytest.approx(((D(2027, 6, 30) - D(2027, 1, 1)).days + 1) * lay.ppd)


def test_r_pln_09_critical_path_is_computed_by_the_rules_and_highlighted():
    # A → B → C ends last; D has slack; E depends on A but has slack.
    acts = [
        act(1, D(2027, 1, 1), D(2027, 1, 31), title="A"),
        act(2, D(2027, 2, 1), D(2027, 3, 31), title="B"),
        act(3, D(2027, 4, 1), D(2027, 12, 31), title="C", row="b"),
        act(4, D(2027, 3, 1), D(2027, 3, 10), title="D"),
        act(5, D(2027, 5, 1), D(2027, 5, 10), title="E"),
    ]
    links = [LinkFact(1, 2), LinkFact(2, 3), LinkFact(1, 5)]
    lay = matrix.layout(facts(acts, links))
    assert [b.activity.title for b in lay.critical_bars] == ["A", "B", "C"]
    arrows = {(a.predecessor, a.successor): a for a in lay.arrows}
    assert arrows[(1, 2)].critical and arrows[(2, 3)].critical and not arrows[(1, 5)].critical
    assert lay.bar(4).float_days > 0 and not lay.bar(4).critical
    assert "on the critical path" in lay.bar(2).aria_label
    svg = str(matrix_svg.render(lay))
    assert svg.count("mx-arrow--critical") == 2 and svg.count("mx-bar--critical") == 3
    assert "Critical path: A → B → C." in svg


def test_r_pln_09_a_broken_dependency_is_flagged_with_its_fix():
    acts = [
        act(1, D(2027, 1, 1), D(2027, 3, 31), title="Vetting"),
        act(2, D(2027, 3, 1), D(2027, 4, 30), title="Training"),
    ]
    lay = matrix.layout(facts(acts, [LinkFact(1, 2, note="vetting before training")]))
    (arrow,) = lay.arrows
    assert arrow.violated
    assert "“Training” starts 1 Mar 2027, before “Vetting” ends (31 Mar 2027)" in arrow.message
    assert "start it on or after 1 Apr 2027" in arrow.message
    assert lay.bar(2).violated and lay.bar(1).violated
    svg = str(matrix_svg.render(lay))
    assert "mx-arrow--violated" in svg and "broken dependency (R-PLN-09)" in svg
    assert "a dependency is broken (R-PLN-09)" in lay.bar(2).aria_label


def test_r_pln_09_cancelled_activities_take_no_part_in_the_schedule():
    acts = [
        act(1, D(2027, 1, 1), D(2027, 3, 31), status=Status.CANCELLED),
        act(2, D(2027, 3, 1), D(2027, 4, 30)),
    ]
    lay = matrix.layout(facts(acts, [LinkFact(1, 2)]))
    assert not lay.arrows[0].violated
    assert lay.bar(1).fill == matrix.CANCELLED_FILL


def test_a_window_cuts_the_matrix_to_one_phase():
    acts = [act(1, D(2027, 9, 1), D(2027, 11, 30)), act(2, D(2029, 1, 1), D(2029, 1, 31))]
    lay = matrix.layout(facts(acts), start=D(2027, 10, 1), end=D(2028, 9, 30), ppd=3)
    assert [b.activity.id for b in lay.bars] == [1]
    assert lay.bars[0].clipped_left and lay.bars[0].x == pytest.approx(matrix.LABEL_W)


def test_r_pln_08_program_and_funding_shown_per_activity_in_decimal_dollars():
    a = act(
        1,
        D(2027, 10, 1),
        D(2028, 9, 30),
        program="FMF",
        funding=(
            FundingFact(2027, "fmf", Decimal("2400000.00")),
            FundingFact(2028, "fmf", Decimal("1100000.00")),
        ),
    )
    assert a.total == Decimal("3500000.00") and isinstance(a.total, Decimal)
    assert a.program_line == "FMF · $3.5M"
    assert a.funding_text == "FY2027 FMF $2,400,000.00; FY2028 FMF $1,100,000.00"
    assert matrix.money(Decimal("18500")) == "$18.5K" and matrix.money(Decimal("620000")) == "$620K"
    bar = matrix.layout(facts([a])).bars[0]
    assert bar.sub == "FMF · $3.5M" and bar.fill == matrix.SOURCE_COLORS["fmf"]


# --- accessibility ---------------------------------------------------------------------------------


def test_colours_meet_wcag_contrast():
    for source, fill in matrix.SOURCE_COLORS.items():
        assert matrix.contrast(fill, "#ffffff") >= 4.5, (
            f"white text on the {source or 'unfunded'} bar"
        )
    for name in ("CRITICAL_COLOR", "VIOLATION_COLOR", "ARROW_COLOR", "TODAY_COLOR"):
        for bg in (*matrix.PHASE_TINTS, "#ffffff"):
            assert matrix.contrast(getattr(matrix, name), bg) >= 3, f"{name} on {bg}"
    assert matrix.contrast(matrix.CANCELLED_TEXT, matrix.CANCELLED_FILL) >= 4.5


def test_svg_is_well_formed_titled_and_each_bar_is_focusable_with_a_label():
    acts = [
        act(
            1,
            D(2027, 1, 1),
            D(2027, 1, 31),
            title="Staff talks & <KLE>",
            program="O&M",
            editable=True,
        ),
        act(2, D(2027, 3, 1), D(2027, 4, 30), status=Status.PROPOSED),
    ]
    svg = str(matrix_svg.render(matrix.layout(facts(acts, [LinkFact(1, 2)]))))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("Synchronization matrix: Test CSCS")
    assert "2 activities" in root.find(f"{SVG}desc").text
    bars = [g for g in root.iter(f"{SVG}g") if "mx-bar" in (g.get("class") or "").split()]
    assert len(bars) == 2
    assert all(g.get("tabindex") == "0" for g in bars)
    label = bars[0].get("aria-label")
    assert (
        "Staff talks & <KLE>" in label
        and "1 Jan 2027 – 31 Jan 2027" in label
        and "O&M" in label
        and "status planned" in label
    )
    assert bars[0].get("data-movable") == "1" and bars[1].get("data-movable") == "0"
    static = str(matrix_svg.render(matrix.layout(facts(acts)), interactive=False))
    assert "tabindex" not in static


# --- through the door ------------------------------------------------------------------------------


def matrix_url(cp) -> str:
    return f"/planning/country-plans/{cp.pk}/matrix/"


@pytest.fixture
def cscs(db) -> CountryPlan:
    return CountryPlan.objects.system().get(country_id="XBN", version=1)


def test_r_pln_09_matrix_page_shows_the_demo_plan(login, cscs):
    response = login("ccmd.planner").get(matrix_url(cscs))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Border brigade capability assessment" in html
    assert "Activities in the matrix" in html  # the text alternative
    assert 'data-testid="classification-top"' in html and "CUI//NOFORN" in html
    assert "planning/matrix.js" in html


def _bulk_plan(base: CountryPlan, version: int, n: int, deps: int) -> CountryPlan:
    """A copy of the Bandaria CSCS with n activities and `deps` dependencies, made in bulk."""
    with builds("a large plan, in bulk"):
        return _bulk_rows(base, version, n, deps)


def _bulk_rows(base: CountryPlan, version: int, n: int, deps: int) -> CountryPlan:
    cp = CountryPlan(
        campaign_plan_id=base.campaign_plan_id,
        country_id=base.country_id,
        owner_org_id=base.owner_org_id,
        title=f"Generated CSCS v{version}",
        version=version,
        start_fy=2027,
        end_fy=2031,
    )
    cp.marking = Marking.parse("CUI")
    cp.save()
    loas = list(
        LineOfActivity.objects.system()
        .filter(imo__line_of_effort__campaign_plan_id=base.campaign_plan_id)
        .values_list("pk", flat=True)
    )
    start = D(2026, 10, 1)
    acts = []
    for i in range(n):
        s = start + dt.timedelta(days=(i * 3) % 1700)
        a = Activity(
            title=f"Generated activity {i}",
            activity_type="kle",
            country_id="XBN",
            country_plan=cp,
            owner_org_id=base.owner_org_id,
            line_of_activity_id=loas[i % len(loas)] if i % 7 else None,
            start_date=s,
            end_date=s + dt.timedelta(days=5 + i % 20),
            program="Section 333",
        )
        a.marking = Marking.parse("CUI")
        acts.append(a)
    acts = Activity.objects.bulk_create(acts)
    funding = []
    for a in acts[::2]:
        f = ActivityFunding(activity=a, fiscal_year=2027, source="bpc", amount=Decimal("1000.00"))
        f.marking = Marking.parse("CUI")
        funding.append(f)
    ActivityFunding.objects.bulk_create(funding)
    links, seen = [], set()
    i = 0
    while len(links) < deps:
        p, s = i % n, (i % n) + 1 + (i // n)
        i += 1
        if s >= n or (p, s) in seen:
            continue
        seen.add((p, s))
        d = ActivityDependency(predecessor=acts[p], successor=acts[s])
        d.marking = Marking.parse("CUI")
        links.append(d)
    ActivityDependency.objects.bulk_create(links)
    return cp


def test_r_pln_09_matrix_of_500_activities_and_1000_dependencies_runs_a_fixed_number_of_queries(
    login, cscs
):
    small = _bulk_plan(cscs, 50, 5, 4)
    large = _bulk_plan(cscs, 51, 500, 1000)
    assert ActivityDependency.objects.system().filter(successor__country_plan=large).count() == 1000
    client = login("ccmd.planner")
    client.get(matrix_url(small))  # warm the session and caches
    counts = {}
    for cp in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(matrix_url(cp))
        assert response.status_code == 200
        counts[cp.version] = len(queries)
    assert counts[50] == counts[51], counts
    assert response.content.decode().count('class="mx-bar ') == 500


def test_r_sec_03_partner_gets_404_on_the_matrix_and_every_export(login, cscs):
    client = login("partner.bandaria")
    assert client.get(matrix_url(cscs)).status_code == 404
    for fmt in ("xlsx", "pptx", "ics", "docx", "pdf"):
        assert client.get(f"/planning/country-plans/{cscs.pk}/export/{fmt}/").status_code == 404, (
            fmt
        )
    assessment = activity("Border brigade capability assessment")
    response = client.post(
        f"{matrix_url(cscs)}reschedule/", {"activity": assessment.pk, "start": "2027-02-10"}
    )
    assert response.status_code == 404
    assert Activity.objects.system().get(pk=assessment.pk).start_date == D(2027, 1, 11)


# --- rescheduling from the page ----------------------------------------------------------------------


def test_r_pln_09_reschedule_shows_the_dependents_then_moves_them_on_confirmation(
    login, cscs, on_demo_day
):
    client = login("ccmd.planner")
    assessment, vetting = (
        activity("Border brigade capability assessment"),
        activity("Human rights (Leahy) vetting"),
    )
    url = f"{matrix_url(cscs)}reschedule/"
    response = client.post(
        url, {"activity": assessment.pk, "start": "2027-02-10"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-result="confirm"' in html
    assert "Human rights (Leahy) vetting of the border brigade" in html and "1 Mar 2027" in html
    assert Activity.objects.system().get(pk=vetting.pk).start_date == D(
        2027, 2, 1
    )  # nothing moved yet
    response = client.post(
        url,
        {"activity": assessment.pk, "start": "2027-02-10", "confirm": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert re.fullmatch(rf"{matrix_url(cscs)}\?move=\d+", response["HX-Redirect"])
    assert Activity.objects.system().get(pk=assessment.pk).start_date == D(2027, 2, 10)
    moved = Activity.objects.system().get(pk=vetting.pk)
    assert (moved.start_date, moved.end_date) == (D(2027, 3, 1), D(2027, 5, 28))


def test_r_pln_09_reschedule_before_a_predecessor_ends_is_refused_with_the_rule_and_the_fix(
    login, cscs, on_demo_day
):
    vetting = activity("Human rights (Leahy) vetting")
    response = login("ccmd.planner").post(
        f"{matrix_url(cscs)}reschedule/",
        {"activity": vetting.pk, "start": "2027-01-20"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-result="refused"' in html and "R-PLN-09" in html
    assert "Start it on or after 30 Jan 2027" in html and "Nothing was changed" in html
    assert Activity.objects.system().get(pk=vetting.pk).start_date == D(2027, 2, 1)


def test_reschedule_without_htmx_redirects_with_the_message_and_a_bad_date_changes_nothing(
    login, cscs, on_demo_day
):
    client = login("ccmd.planner")
    assessment = activity("Border brigade capability assessment")
    response = client.post(
        f"{matrix_url(cscs)}reschedule/",
        {"activity": assessment.pk, "start": "not a date"},
        follow=True,
    )
    assert "Give the new start date as YYYY-MM-DD" in response.content.decode()
    response = client.post(
        f"{matrix_url(cscs)}reschedule/",
        {"activity": assessment.pk, "start": "2027-01-04"},
        follow=True,
    )
    assert "now starts 4 Jan 2027" in response.content.decode()
    assert Activity.objects.system().get(pk=assessment.pk).start_date == D(2027, 1, 4)


def test_a_reader_who_may_not_edit_is_told_so_and_nothing_moves(login, cscs, on_demo_day):
    assessment = activity("Border brigade capability assessment")
    response = login("case.manager").post(
        f"{matrix_url(cscs)}reschedule/",
        {"activity": assessment.pk, "start": "2027-01-04"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        'data-result="refused"' in response.content.decode()
        and "cannot change" in response.content.decode()
    )
    assert Activity.objects.system().get(pk=assessment.pk).start_date == D(2027, 1, 11)
    page = login("case.manager").get(matrix_url(cscs)).content.decode()
    assert 'data-movable="1"' not in page
