"""EUM actions on both databases: validation at entry, inventories opening possible violations,
the violation's path to DoS PM/RSAT, approvals before end-use changes, materiel notices, the
roles each action names, and what "today" shows each user."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.permissions import RoleRefused
from secoop.core.today import items_for
from secoop.core.verdicts import Refused
from secoop.eum import actions
from secoop.eum import models as m
from secoop.eum import rules
from secoop.eum.today import SECTION
from tests.conftest import builds

from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date


def test_spec_11_a_serial_already_on_record_for_the_nsn_is_refused_and_nothing_written(late_nvd):
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        # NVD-000101 belongs to the first lot of the same NSN in Bandaria.
        actions.add_serials(person("sco.bandaria"), late_nvd, ["NVD-000101"])
    assert refused.value.rule == "SPEC-11-enhanced-EUM" and "already on record" in str(
        refused.value
    )
    assert snapshot_counts() == before


def test_spec_11_an_inventory_naming_an_unknown_serial_is_refused_with_the_reason(
    late_nvd, on_demo_day
):
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.record_check(
            person("sco.bandaria"),
            late_nvd,
            "initial",
            checked_by="EUM officer",
            found=["NVD-000201", "NVD-999999"],
        )
    assert "NVD-999999 is not one of this article's delivered serials" in str(refused.value)
    assert snapshot_counts() == before


def test_r_eum_07_a_missing_serial_opens_a_possible_violation(late_nvd, on_demo_day):
    check = actions.record_check(
        person("sco.bandaria"),
        late_nvd,
        "initial",
        checked_by="EUM officer",
        found=["NVD-000201", "NVD-000202", "NVD-000203"],
    )
    assert check.missing == ["NVD-000204"] and check.present == [
        "NVD-000201",
        "NVD-000202",
        "NVD-000203",
    ]
    serial = m.SerialNumber.objects.system().get(article=late_nvd, serial="NVD-000204")
    assert serial.status == "missing"
    violation = m.PossibleViolation.objects.system().get(serial=serial)
    assert violation.status == "open" and violation.check_record == check
    assert violation.owner_org == org("SCO Bandaria") and violation.opened_on == on_demo_day
    assert [e.action for e in log_for(violation)] == ["create"]
    # Found again at the next count: the serial is back on hand, the violation stays for the SCO.
    actions.record_check(
        person("sco.bandaria"),
        late_nvd,
        "annual",
        checked_by="EUM officer",
        found=["NVD-000201", "NVD-000202", "NVD-000203", "NVD-000204"],
    )
    serial.refresh_from_db()
    assert serial.status == "on_hand"
    assert m.PossibleViolation.objects.system().filter(serial=serial).count() == 1


def test_r_eum_07_investigated_forwarded_to_dos_and_closed_with_a_timeline(nvd, on_demo_day):
    violation = m.PossibleViolation.objects.system().get(article=nvd)
    sco, state = person("sco.bandaria"), person("state.pm")
    with pytest.raises(Refused) as refused:
        actions.forward_violation(sco, violation, note="x")
    assert refused.value.rule == "R-EUM-07"  # investigate locally first
    with pytest.raises(RoleRefused):
        actions.violation_step(person("partner.bandaria"), violation, "investigate")
    with pytest.raises(RoleRefused):
        actions.violation_step(person("le.staff"), violation, "investigate")
    actions.violation_step(sco, violation, "investigate", note="Brigade S4 interviewed; log gap.")
    actions.forward_violation(sco, violation, note="Not found locally after two searches.")
    with pytest.raises(RoleRefused):
        actions.violation_step(sco, violation, "close", note="x")
    v = actions.violation_step(
        state, violation, "close", note="DoS PM/RSAT closed: reported stolen."
    )
    assert v.status == "closed" and v.forwarded_on == on_demo_day
    assert [e["what"] for e in v.timeline] == [
        "Opened: serial not found in an inventory",
        "Start the local investigation",
        "Forward to DoS PM/RSAT",
        "Record DoS PM/RSAT's closure",
    ]
    notes = m.InvestigationNote.objects.system().filter(violation=v).order_by("pk")
    assert [n.text for n in notes] == [
        "Brigade S4 interviewed; log gap.",
        "Not found locally after two searches.",  # why it was forwarded: U.S. staff only
    ]
    assert {str(n.marking) for n in notes} == {"CUI//NOFORN"}
    assert v.outcome == "DoS PM/RSAT closed: reported stolen."  # what the partner reads


def test_the_partner_records_its_own_inventory_but_not_the_us_one(boats, on_demo_day):
    partner = person("partner.bandaria")
    with pytest.raises(NotPermitted):
        actions.record_check(partner, boats, "annual", checked_by="MoD", found=["PB-001", "PB-002"])
    check = actions.record_check(
        partner,
        boats,
        "partner",
        checked_by="Coast guard logistics officer",
        found=["PB-001", "PB-002"],
    )
    assert check.owner_org == org("Bandaria MoD") and check.missing == []
    with pytest.raises(RoleRefused):
        actions.record_check(person("industry.rep"), boats, "partner", checked_by="x")


def test_r_sec_03_an_inventory_never_names_a_serial_hidden_from_the_checker(boats, on_demo_day):
    """The checklist shows the partner the serials it may see; the inventory compares the same
    list, so a NOFORN serial is neither missing nor named in the check or a violation."""
    with builds("a serial the partner may not see"):
        hidden = m.SerialNumber(article=boats, serial="PB-NOFORN-9")
        hidden.marking = Marking.parse("CUI//NOFORN")
        hidden.save()
    before = m.PossibleViolation.objects.system().count()
    check = actions.record_check(
        person("partner.bandaria"),
        boats,
        "partner",
        checked_by="Coast guard logistics officer",
        found=["PB-001", "PB-002"],
    )
    assert check.missing == [] and "PB-NOFORN-9" not in str(check.present)
    assert m.PossibleViolation.objects.system().count() == before
    hidden.refresh_from_db()
    assert hidden.status == "on_hand"


def test_r_sec_10_a_check_and_violation_naming_a_noforn_serial_are_noforn(boats, on_demo_day):
    """The SCO sees every serial: its inventory names a NOFORN one (here missing), so the check
    and the violation it opens are marked NOFORN too, never the article's REL TO marking under
    which the partner would read the serial."""
    with builds("a NOFORN serial of an article released to Bandaria"):
        m.SerialNumber.objects.system().filter(article=boats, serial="PB-002").update(
            dissemination="NOFORN", rel_to=""
        )
    check = actions.record_check(
        person("sco.bandaria"), boats, "annual", checked_by="EUM officer", found=["PB-001"]
    )
    assert check.missing == ["PB-002"] and check.marking.dissemination == "NOFORN"
    violation = m.PossibleViolation.objects.system().get(check_record=check)
    assert violation.marking.dissemination == "NOFORN"
    partner = person("partner.bandaria")
    assert not m.Check.objects.visible_to(partner).filter(pk=check.pk).exists()
    assert not m.PossibleViolation.objects.visible_to(partner).filter(pk=violation.pk).exists()


def test_r_eum_05_a_change_of_end_use_is_refused_before_usg_approval(nvd, on_demo_day):
    req = m.EndUseRequest.objects.system().get(article=nvd)
    partner, state = person("partner.bandaria"), person("state.pm")
    with pytest.raises(Refused) as refused:
        actions.complete_end_use(
            partner, req, demil_standard="DoDM 4160.28", serials=["NVD-000101"]
        )
    assert refused.value.rule == "R-EUM-05"
    with pytest.raises(RoleRefused):
        actions.decide_end_use(person("sco.bandaria"), req, "approve", reference="x")
    with pytest.raises(Refused):
        actions.decide_end_use(state, req, "approve", reference="")
    actions.decide_end_use(state, req, "approve", reference="PM/RSAT 2026-1187")
    with pytest.raises(Refused) as refused:
        actions.complete_end_use(partner, req, serials=["NVD-000101"])
    assert refused.value.findings[0].field == "demil_standard"
    done = actions.complete_end_use(
        partner, req, demil_standard="DoDM 4160.28 code D", serials=["NVD-000101"]
    )
    assert done.status == "completed"
    assert m.SerialNumber.objects.system().get(serial="NVD-000101").status == "disposed"


def test_r_eum_04_the_control_plan_is_approved_only_when_complete(on_demo_day):
    plan = m.ControlPlan.objects.system().get(country_id="XBN")
    sco = person("sco.bandaria")
    plan = actions.update_control_plan(
        person("le.staff"), plan, {"visit_procedures": ""}, reason="rewrite"
    )
    assert plan.approved_on is None
    with pytest.raises(Refused) as refused:
        actions.approve_control_plan(sco, plan)
    assert refused.value.rule == "R-EUM-04"
    with pytest.raises(Refused):
        actions.create_control_plan(
            sco, m.ControlPlan(country_id="XBN", owner_org=org("SCO Bandaria"))
        )


def test_the_database_review_is_signed_off_by_a_second_person(on_demo_day):
    sco = person("sco.bandaria")
    review = m.DatabaseReview(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        reviewed_on=D(2026, 11, 30),
        checked="Serials against deliveries.",
    )
    review.marking = "CUI//NOFORN"
    review = actions.record_review(sco, review)
    with pytest.raises(RoleRefused):
        actions.sign_off_review(person("le.staff"), review)
    signed = actions.sign_off_review(person("dsca.analyst"), review)
    assert signed.signed_off_by == person("dsca.analyst") and signed.reviewer == sco


def test_r_eum_08_a_notice_goes_only_to_interested_eligible_countries(on_demo_day):
    navy = person("navy.case.manager")
    notice = m.MaterielNotice.objects.system().get()
    with pytest.raises(Refused) as refused:
        actions.add_recipient(navy, notice, m.NoticeRecipient(country_id="GBR", eligible=True))
    assert refused.value.rule == "R-EUM-08" and refused.value.findings[0].field == "reason"
    with pytest.raises(Refused):
        actions.add_recipient(navy, notice, m.NoticeRecipient(country_id="XBN", eligible=False))
    added = actions.add_recipient(navy, notice, m.NoticeRecipient(country_id="XBN", eligible=True))
    assert added.reason == "purchase" or added.reason == "related"
    with pytest.raises(Refused) as refused:
        actions.issue_notice(navy, notice)
    assert {f.field for f in refused.value.findings} == {"lor_deadline", "loa_acceptance_by"}
    with pytest.raises(RoleRefused):
        actions.issue_notice(person("sco.bandaria"), notice)


def test_r_eum_08_an_issued_notice_tells_each_country_what_it_states_and_no_more(on_demo_day, api):
    """The partner reads what the notice states, released to it alone; never the notice, its
    other countries or why they are on it (R-SEC-03)."""
    from secoop.core import actions as core
    from secoop.core.models import Notification

    navy = person("navy.case.manager")
    notice = m.MaterielNotice.objects.system().get()
    actions.add_recipient(navy, notice, m.NoticeRecipient(country_id="XBN", eligible=True))
    notice = core.update_record(
        navy, notice, {"lor_deadline": D(2027, 3, 1), "loa_acceptance_by": D(2027, 6, 30)}
    )
    actions.issue_notice(navy, notice)
    told = Notification.objects.system().filter(rule="R-EUM-08")
    to_partners = list(told.filter(recipient_org__kind="partner"))
    assert to_partners and {str(n.marking) for n in to_partners} == {"CUI//REL TO USA, XBN"}
    for note in to_partners:
        assert note.partner_visible and note.country_id == "XBN"
        assert note.object_id == "" and note.url == ""  # nothing to open: the notice is internal
        assert "send a letter of request by 1 Mar 2027" in note.body
        assert "30 Jun 2027" in note.body and notice.rationale in note.body
    partner = api("partner.bandaria")
    seen = partner.get("/api/v1/notifications/", {"page_size": 100}).json()["results"]
    mine = [n for n in seen if n["rule"] == "R-EUM-08"]
    assert mine and {n["subject"] for n in mine} == {f"Materiel notice: {notice.item}"}
    assert {n["about_type"] for n in mine} <= {"", None}
    assert partner.get(f"/api/v1/eum/notices/{notice.pk}/").status_code == 404
    to_sco = told.get(recipient_org__kind="sco")
    assert str(to_sco.marking) == "CUI//NOFORN" and "Bandaria" in to_sco.subject


def test_r_eum_01_an_article_from_a_delivery_takes_its_case_and_line(on_demo_day):
    from secoop.cases.models import Delivery

    delivery = (
        Delivery.objects.system().filter(actual_on__isnull=False, case__country_id="XBN").first()
    )
    article = m.TransferredArticle(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        nomenclature="Radio",
        nsn="5820-01-000-0001",
        quantity=1,
        source="fms",
        program="golden_sentry",
        monitoring="routine",
        delivery=delivery,
        delivered_on=D(2000, 1, 1),
    )
    article.marking = "CUI//REL TO USA, XBN"
    saved = actions.register_article(person("le.staff"), article)
    assert (saved.case_id, saved.line_id, saved.delivered_on) == (
        delivery.case_id,
        delivery.line_id,
        delivery.actual_on,
    )
    wrong = m.TransferredArticle(
        **{
            **{f.attname: getattr(article, f.attname) for f in article._meta.concrete_fields},
            "id": None,
            "program": "blue_lantern",
        }
    )
    with pytest.raises(Refused) as refused:
        actions.register_article(person("sco.bandaria"), wrong)
    assert refused.value.rule == "R-EUM-01"


def _eum_today(username):
    return dict(items_for(person(username))).get(SECTION, [])


def test_overdue_inventory_and_open_violation_surface_on_the_home_page(on_demo_day):
    sco = [i.title for i in _eum_today("sco.bandaria")]
    assert any(
        "Initial serial-number inventory" in t and "overdue" in t and "second lot" in t for t in sco
    )
    assert any("1 possible violation open" in t for t in sco)
    partner = _eum_today("partner.bandaria")
    assert any(i.rule == "R-EUM-07" for i in partner)
    assert not any("database review" in i.title for i in partner + _eum_today("le.staff"))
    assert _eum_today("industry.rep") == []


def test_r_eum_01_a_dcs_article_names_an_approved_license_the_partner_never_reads(on_demo_day, api):
    from secoop.cases.models import DcsLicense

    approved = DcsLicense.objects.system().filter(status="approved", country_id="XBN").first()
    pending = DcsLicense.objects.system().filter(status="in_review", country_id="XBN").first()
    article = m.TransferredArticle(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        nomenclature="Coastal radar",
        nsn="5840-01-000-0002",
        quantity=1,
        source="dcs",
        program="blue_lantern",
        monitoring="routine",
        dcs_license=pending,
        delivered_on=D(2026, 11, 1),
    )
    article.marking = "CUI//REL TO USA, XBN"
    with pytest.raises(Refused) as refused:
        actions.register_article(person("sco.bandaria"), article)
    assert refused.value.findings[0].field == "dcs_license"
    article.dcs_license = approved
    saved = actions.register_article(person("sco.bandaria"), article)
    seen = api("partner.bandaria").get(f"/api/v1/eum/articles/{saved.pk}/").json()
    assert seen["nomenclature"] == "Coastal radar" and "dcs_license" not in seen


def test_r_eum_03_the_partner_reports_a_quarter_once_ended_for_its_own_country(on_demo_day):
    partner = person("partner.bandaria")

    def report(country, period_end):
        r = m.RoutineReport(
            country_id=country,
            owner_org=org("Bandaria MoD"),
            period_end=period_end,
            summary="All articles in their stated use.",
        )
        r.marking = "CUI//REL TO USA, XBN"
        return r

    with pytest.raises(Refused) as refused:
        actions.submit_report(partner, report("XBN", D(2026, 12, 31)))
    assert refused.value.rule == "R-EUM-03"
    with pytest.raises(NotPermitted):
        actions.submit_report(partner, report("GBR", D(2026, 9, 30)))
    saved = actions.submit_report(partner, report("XBN", D(2026, 11, 30)))
    assert saved.submitted_on == on_demo_day
    with pytest.raises(RoleRefused):
        actions.submit_report(person("industry.rep"), report("XBN", D(2026, 11, 30)))


def test_r_eum_02_the_next_cav_is_due_within_24_months_of_the_last(on_demo_day):
    dues = {d.what: d for d in actions.dues_for_country(person("sco.bandaria"), "XBN", on_demo_day)}
    cav = dues["Compliance assessment visit"]
    assert cav.due == D(2027, 6, 10) and not cav.overdue and cav.rule == "R-EUM-02"
    assert dues["Routine EUM report"].due == D(2026, 12, 30)
    assert dues["Quarterly EUM database review"].due == D(2027, 1, 5)
    with pytest.raises(Refused):
        future = m.ComplianceVisit(country_id="XBN", owner_org=org("DSCA"), held_on=D(2027, 1, 1))
        future.marking = "CUI//REL TO USA, XBN"
        actions.record_visit(person("dsca.analyst"), future)


def test_r_eum_08_the_database_reads_only_rows_that_could_name_the_item_and_the_answer_is_the_rules(
    on_demo_day,
):
    """The candidates are chosen in SQL (either text contains the other, case aside); the answer
    is the pure rule's over every row the user may see — a line that names the item in other
    case, or a shorter name the item contains, still counts."""
    from secoop.cases.models import CaseLine
    from secoop.cases.models import LetterOfRequest
    from tests.conftest import builds

    navy = person("navy.case.manager")
    notice = m.MaterielNotice.objects.system().get()
    line = CaseLine.objects.visible_to(navy).order_by("pk").first()
    with builds("a line naming part of the item, in capitals"):
        CaseLine.objects.system().filter(pk=line.pk).update(item=notice.item.split()[-1].upper())

    def every_row():
        purchases, pa, holdings = {}, {}, {}
        for country, item in CaseLine.objects.visible_to(navy).values_list(
            "case__country_id", "item"
        ):
            purchases.setdefault(country, []).append(item)
        for country, items, title in (
            LetterOfRequest.objects.visible_to(navy)
            .filter(request_type="pa")
            .values_list("country_id", "requested_items", "title")
        ):
            pa.setdefault(country, []).extend([items, title])
        for country, item in m.TransferredArticle.objects.visible_to(navy).values_list(
            "country_id", "nomenclature"
        ):
            holdings.setdefault(country, []).append(item)
        return rules.propose_recipients(
            notice.item, notice.related_terms.split(","), purchases, pa, holdings
        )

    expected = every_row()
    assert expected and actions.proposed_recipients(navy, notice) == expected
    assert (
        actions._naming(CaseLine.objects.visible_to(navy), ("item",), [notice.item])
        .filter(pk=line.pk)
        .exists()
    )
    assert not actions._naming(CaseLine.objects.visible_to(navy), ("item",), ["   "]).exists()


@pytest.mark.parametrize("username", ["sco.bandaria", "le.staff"])
def test_issue15_the_dues_of_many_countries_are_each_countrys_own_in_a_fixed_number_of_queries(
    on_demo_day, username, django_assert_num_queries
):
    """Issue 15 item 4: the home page reads each side of the dues once for all its countries
    (five queries a country before); each country's dues are the ones it has alone, for a U.S.
    monitor and for LE staff (who read no database review), and more countries add no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core import generate
    from secoop.eum.today import sco_eum

    sco = person("sco.bandaria")
    sco_eum(sco)  # the access profile and roles, cached on the user
    with CaptureQueriesContext(connection) as few:
        sco_eum(sco)
    generate.generate("tiny", seed=7)  # more countries with EEUM articles, visits and reports
    user = person(username)
    countries = sorted(
        set(m.TransferredArticle.objects.visible_to(user).values_list("country_id", flat=True))
    )
    # LE staff read only what is released to their country (the generated articles are not).
    assert len(countries) > 1 if username == "sco.bandaria" else countries == ["XBN"]
    together = actions.dues_for_countries(user, countries, on_demo_day)
    for country in countries:
        assert together[country] == actions.dues_for_country(user, country, on_demo_day)
    with django_assert_num_queries(len(few.captured_queries)):
        sco_eum(sco)


@pytest.mark.parametrize("later", [0, 200])
def test_issue15_the_home_page_reads_only_the_first_dues_and_they_are_the_first_of_all(
    on_demo_day, users, later
):
    """Issue 15: the home page's EUM dates are read in SQL up to what it shows (a cutoff on the
    date each counts from, by the facts in force); for every demo user they are the first SHOWN
    of every date dues_for_countries computes article by article, due by the horizon, in its
    order (earliest first; a tie by country, articles before the country-wide dates)."""
    from secoop.core import generate
    from secoop.eum import today as eum_today

    generate.generate("tiny", seed=7)  # more countries with EEUM articles, visits and reports
    day = on_demo_day + dt.timedelta(days=later)
    until = day + dt.timedelta(days=eum_today.SOON_DAYS)
    shown = 0
    for user in users.values():
        countries = eum_today._countries(user)
        every = [
            (c, d)
            for c, dues in actions.dues_for_countries(user, countries, day).items()
            for d in dues
            if d.due <= until
        ]
        expected = sorted(every, key=lambda cd: cd[1].due)[: eum_today.SHOWN]
        found = actions.first_dues(user, countries, day, until, eum_today.SHOWN)
        assert [(c, d) for c, d, _ in found] == expected, user.username
        assert all(a is None or a.pk == d.article for _, d, a in found)
        shown += len(found)
    assert shown
