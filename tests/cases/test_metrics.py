"""Metrics: the pure functions against hand-computed values on the demo data (SPEC §11 AOD goal)."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from secoop.cases import metrics
from secoop.cases.metrics import DeliveryRow
from secoop.cases.metrics import OfferRow

from .conftest import DEMO_TODAY
from .conftest import person

pytestmark = pytest.mark.django_db
D = dt.date


def test_aod_share_on_demo_data_matches_hand_computation():
    # XB-B-ZAA: LOR complete 1 Oct 2025 + 150 = AOD 28 Feb 2026, offered 10 Feb: on time.
    # XB-B-ZAB: 15 Jun 2026 + 150 = 12 Nov 2026, offered 5 Nov: on time.
    # XB-B-ZAD: 1 Dec 2025 + 120 (group A) = 31 Mar 2026, offered 15 May: late.
    offers, _ = metrics.load(person("case.manager"), DEMO_TODAY)
    aod = metrics.aod_performance(offers)
    assert (aod["overall"].on_time, aod["overall"].total, aod["overall"].percent) == (
        2,
        3,
        Decimal("66.7"),
    )
    assert {k: (s.on_time, s.total) for k, s in aod["by"]["category"].items()} == {
        "Purchaser-unique": (2, 2),
        "Services only": (0, 1),
    }
    assert {k: (s.on_time, s.total) for k, s in aod["by"]["month"].items()} == {
        "2026-02": (1, 1),
        "2026-05": (0, 1),
        "2026-11": (1, 1),
    }
    assert {k: s.percent for k, s in aod["by"]["ia"].items()} == {"USASAC": Decimal("66.7")}
    assert {k: s.total for k, s in aod["by"]["country"].items()} == {"Bandaria": 3}


def test_delivery_timeliness_on_demo_data():
    # Due on 23 Nov 2026: line 001 (planned 15 Jul, delivered 10 Jul: on time), line 002 (1 Aug →
    # 20 Sep: 50 days late), line 003 (30 Oct, open: 24 days late); 15 Jan 2027 is not yet due.
    # ZAF and ZAG (closure demo): four deliveries made a week or more early.
    _, deliveries = metrics.load(person("case.manager"), DEMO_TODAY)
    t = metrics.delivery_timeliness(deliveries, DEMO_TODAY)["overall"]
    assert (
        t.due,
        t.late,
        sorted(t.days_late),
        t.late_percent,
        t.mean_days_late,
        t.max_days_late,
    ) == (7, 2, [24, 50], Decimal("28.6"), Decimal("37.0"), 50)


def test_durations_on_demo_data():
    # LOR received → offer: 139 (ZAA), 148 (ZAB), 171 (ZAD) days; offer → acceptance: 38 (ZAA),
    # 36 (ZAD), 45 (ZAF: 5 Apr → 20 May 2024), 55 (ZAG: 4 Mar → 28 Apr 2022); ZAF/ZAG have no LOR.
    offers, _ = metrics.load(person("case.manager"), DEMO_TODAY)
    d = metrics.durations(offers)
    assert (
        sorted(d["lor_to_offer"].values) == [139, 148, 171]
        and d["lor_to_offer"].mean == Decimal("152.7")
        and d["lor_to_offer"].median == 148
    )
    # … and the CLSSA pair: XB-B-KAA offered 5 Feb, accepted 25 Feb (20); XB-B-KAB offered 5 Mar,
    # accepted on its signature of 18 Mar under DSCA's emergency approval (13).
    assert sorted(d["offer_to_acceptance"].values) == [13, 20, 36, 38, 45, 55] and d[
        "offer_to_acceptance"
    ].mean == Decimal("34.5")


def test_partner_metrics_cover_only_what_it_sees():
    offers, _ = metrics.load(person("partner.bandaria"), DEMO_TODAY)
    assert {o.identifier for o in offers} == {
        "XB-B-ZAA",
        "XB-B-ZAB",
        "XB-B-ZAD",
        "XB-B-KAA",
        "XB-B-KAB",
        "XB-B-ZAF",
        "XB-B-ZAG",
    }
    assert {o.ia for o in offers} == {"(restricted)"}  # USASAC is not released to Bandaria


def test_pure_functions_edge_cases():
    assert metrics.aod_performance([]).get("overall").percent is None
    rows = [DeliveryRow("x", "IA", "C", D(2026, 1, 1), None)]
    assert metrics.delivery_timeliness(rows, D(2025, 12, 1))["overall"].due == 0
    assert (
        metrics.durations([OfferRow("x", "IA", "c", "C", None, None)])["lor_to_offer"].mean is None
    )


def test_metrics_dashboard_and_xlsx(login, on_demo_day):
    client = login("case.manager")
    page = client.get("/cases/metrics/").content.decode()
    assert "66.7% (2 of 3)" in page and "<svg" in page and "goal 85%" in page
    wb = load_workbook(
        __import__("io").BytesIO(client.get("/cases/metrics/", {"format": "xlsx"}).content)
    )
    rows = list(wb["AOD performance"].iter_rows(values_only=True))
    assert rows[0][0] == "CUI//REL TO USA, XBN" and ("all", "all", 2, 3, 66.7) in rows


def test_spec_11_aod_four_groups_and_lateness_by_delay_code(login, on_demo_day):
    offers, _ = metrics.load(person("case.manager"), DEMO_TODAY)
    aod = metrics.aod_performance(offers, ["A", "B", "C", "D"])
    assert {k: (s.on_time, s.total) for k, s in aod["by"]["group"].items()} == {
        "Group A": (0, 1),
        "Group B": (2, 2),
        "Group C": (0, 0),
        "Group D": (0, 0),
    }
    assert metrics.lateness_by_code(offers) == {"B2": 1}  # XB-B-ZAD, offered late
    page = login("case.manager").get("/cases/metrics/").content.decode()
    for group in ("Group A", "Group B", "Group C", "Group D"):
        assert group in page
    assert (
        'data-testid="late-by-code"' in page
        and "B2" in page
        and "awaiting source of supply" in page
    )


# --- the dashboard's figures, summed by the database (issue 15 item 4, decision 0046) ------------


def _shares(groups):
    return {k: (s.on_time, s.total) for k, s in groups.items()}


def _late(t):
    return (t.due, t.late, t.late_percent, t.mean_days_late, t.max_days_late)


@pytest.mark.parametrize("username", ["case.manager", "le.staff", "partner.bandaria"])
def test_figures_summed_by_the_database_are_the_rules_row_by_row(username):
    """Each grouped query gives what the pure functions give over the rows the user may see (a
    hidden implementing agency is "(restricted)" in both; a hidden LOR adds no duration)."""
    user = person(username)
    offers, deliveries = metrics.load(user, DEMO_TODAY)
    rows, summed = metrics.aod_performance(offers, "ABCD"), metrics.aod_figures(user, "ABCD")
    assert _shares({"all": rows["overall"]}) == _shares({"all": summed["overall"]})
    assert {g: _shares(v) for g, v in rows["by"].items()} == {
        g: _shares(v) for g, v in summed["by"].items()
    }
    assert metrics.lateness_by_code(offers) == metrics.late_offers_by_code(user)
    rows_t = metrics.delivery_timeliness(deliveries, DEMO_TODAY)
    summed_t = metrics.timeliness_figures(user, DEMO_TODAY)
    assert _late(rows_t["overall"]) == _late(summed_t["overall"])
    assert {g: {k: _late(t) for k, t in v.items()} for g, v in rows_t["by"].items()} == {
        g: {k: _late(t) for k, t in v.items()} for g, v in summed_t["by"].items()
    }
    for name, d in metrics.durations(offers).items():
        counted = metrics.duration_figures(user)[name]
        assert (d.count, d.mean, d.median) == (counted.count, counted.mean, counted.median)
    assert summed["overall"].total > 0 and summed_t["overall"].due > 0


def test_durations_counted_give_the_median_of_an_even_count():
    counted = metrics.DurationCounts(((10, 1), (20, 2), (40, 1)))  # 10, 20, 20, 40
    assert (counted.count, counted.mean, counted.median) == (4, Decimal("22.5"), 20)
    assert metrics.DurationCounts(((3, 1), (5, 1))).median == 4
    assert metrics.DurationCounts(()).median is None and metrics.DurationCounts(()).mean is None


def test_metrics_page_never_reads_cases_or_deliveries_row_by_row(login, on_demo_day):
    """Every query of the page over cases, deliveries or amendments is grouped or counted by the
    database: its queries and their rows do not grow with the cases measured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("case.manager")
    client.get("/cases/metrics/")
    with CaptureQueriesContext(connection) as page:
        assert client.get("/cases/metrics/").status_code == 200
    measured = [
        q["sql"]
        for q in page.captured_queries
        if any(f'FROM "cases_{t}"' in q["sql"] for t in ("fmscase", "delivery", "caseamendment"))
    ]
    assert measured and all(
        "GROUP BY" in sql or "COUNT(" in sql or "DISTINCT" in sql for sql in measured
    ), [sql for sql in measured if "GROUP BY" not in sql]
    assert len(page.captured_queries) <= 22
