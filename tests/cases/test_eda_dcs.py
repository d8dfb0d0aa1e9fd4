"""EDA offers and DCS license requests through the actions, the API and the pages (issue 13
item 11; EO 14268): the congressional notification gates the EDA transfer and the DCS approval,
naming the day; each step names who may take it; an industry user sees their company's licenses
only (R-IND-01); a partner sees an offered EDA without its notification date, and no DCS license."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from secoop.cases import actions
from secoop.cases import rules
from secoop.cases.models import DcsLicense
from secoop.cases.models import EdaOffer
from secoop.cases.models import LetterOfRequest
from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from secoop.core.verdicts import Refused

from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date
DEMO_OFFER = "Excess patrol boats for the Bandaria Coast Guard"


def refused(rule: str, fn, *args, **kwargs) -> Refused:
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert exc.value.rule == rule, exc.value.messages
    assert snapshot_counts() == before, "nothing changed"
    return exc.value


def denied(fn, *args, **kwargs) -> None:
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        fn(*args, **kwargs)
    assert snapshot_counts() == before


def arden_user() -> User:
    """A user of Meridian's competitor (Arden Aerospace, a demo company without a demo user)."""
    user = User.objects.create(
        username="industry.arden",
        audience=Audience.INDUSTRY,
        citizenship_id="USA",
        clearance=Clearance.SECRET,
    )
    core.grant_membership(None, user, org("Arden Aerospace"), Role.INDUSTRY_REP)
    return person("industry.arden")


def new_license(user="industry.rep", company="Meridian Defense", **kw) -> DcsLicense:
    lic = DcsLicense(
        company=org(company),
        country_id=kw.pop("country_id", "XBN"),
        commodity=kw.pop("commodity", "Maritime patrol aircraft sensors"),
        license_type=kw.pop("license_type", "dsp5"),
        value=kw.pop("value", Decimal("60000000")),
        **kw,
    )
    lic.marking = Marking.parse("CUI")
    return actions.create_dcs(person(user), lic)


def new_offer(value="8400000", **kw) -> EdaOffer:
    offer = EdaOffer(
        title="Excess trucks",
        country_id="XBN",
        owner_org=org("USASAC"),
        article="M1083 medium tactical truck",
        quantity=10,
        authority=kw.pop("authority", "faa516"),
        terms=kw.pop("terms", "grant"),
        original_acquisition_value=Decimal(value),
        current_value=Decimal("900000"),
        condition="repairable",
        **kw,
    )
    offer.marking = Marking.parse("CUI//REL TO USA, XBN")
    return actions.create_eda(person("case.manager"), offer)


# --- DCS license requests ------------------------------------------------------------------------


def test_r_dcs_02_approval_waits_the_36c_period_after_certification_naming_the_day():
    lic = new_license()  # $60M to a non-NATO+5 destination: 30 days
    lic = actions.dcs_step(person("industry.rep"), lic, "submit", D(2026, 9, 1), reference="05-1")
    state = person("state.pm")
    lic = actions.dcs_step(state, lic, "receive", D(2026, 9, 2))
    exc = refused("R-DCS-02", actions.dcs_decide, state, lic, "approve", D(2026, 9, 20))
    assert exc.field == "notified_on"
    lic = actions.record_dcs_notification(state, lic, D(2026, 9, 10))
    exc = refused("R-DCS-02", actions.dcs_decide, state, lic, "approve", D(2026, 10, 10))
    assert "may happen on 11 Oct 2026" in exc.messages[0]
    lic = actions.dcs_decide(state, lic, "approve", D(2026, 10, 11), provisos="No re-export.")
    assert (lic.status, lic.decided_on, lic.provisos) == (
        "approved",
        D(2026, 10, 11),
        "No re-export.",
    )
    t = actions.dcs_timeliness(lic, D(2026, 12, 1))
    assert (t["days"], t["goal"], t["exempt"], t["late"]) == (39, 60, True, None)


def test_r_dcs_03_the_list_and_the_page_agree_on_the_goal_and_a_withdrawal_is_no_decision(login):
    state, rep = person("state.pm"), person("industry.rep")
    # $60M to Bandaria needs a §36(c) certification: an exception to the goal on the request's
    # page and in the list's figures alike, recorded or not.
    denied = new_license(commodity="Sensors, denied")
    actions.dcs_step(rep, denied, "submit", D(2026, 6, 1))
    actions.dcs_step(state, denied, "receive", D(2026, 6, 2))
    denied = actions.dcs_decide(state, denied, "deny", D(2026, 9, 30), note="Regional stability")
    assert actions.dcs_timeliness(denied, D(2026, 12, 1))["exempt"] is True
    withdrawn = new_license(commodity="Sensors, withdrawn")
    actions.dcs_step(rep, withdrawn, "submit", D(2026, 6, 1))
    withdrawn = actions.dcs_step(rep, withdrawn, "withdraw", D(2026, 6, 20))
    assert (withdrawn.decided_on, withdrawn.withdrawn_on) == (None, D(2026, 6, 20))
    t = actions.dcs_timeliness(withdrawn, D(2026, 12, 1))
    assert (t["days"], t["late"]) == (19, None)
    client = login("state.pm")
    page = client.get("/cases/dcs/").content.decode()
    listed = DcsLicense.objects.visible_to(state).filter(
        status__in=rules.DCS_DECIDED + ("submitted", "in_review")
    )
    figures = rules.dcs_review_summary(actions.dcs_review_row(lic) for lic in listed)
    assert figures.exempt >= 1 and f"{figures.exempt} notification case" in page
    assert "withdrawal on 20 Jun 2026" in client.get(f"/cases/dcs/{withdrawn.pk}/").content.decode()


def test_r_dcs_01_who_may_take_each_step():
    lic = new_license()
    # Only DoS PM certifies to Congress; the applicant never records DDTC's decision.
    for user in ("sco.bandaria", "industry.rep", "case.manager"):
        denied(actions.record_dcs_notification, person(user), lic, D(2026, 9, 1))
    denied(actions.dcs_decide, person("industry.rep"), lic, "deny", D(2026, 9, 1), note="x")
    # Entry: the company's representative or the destination's SCO — not the case manager.
    denied(actions.dcs_step, person("case.manager"), lic, "submit", D(2026, 9, 1))
    lic = actions.dcs_step(person("sco.bandaria"), lic, "submit", D(2026, 9, 1))
    assert lic.status == "submitted"
    # A denial records DDTC's reason; provisos belong to approvals.
    lic = actions.dcs_step(person("state.pm"), lic, "receive", D(2026, 9, 2))
    refused("R-DCS-01", actions.dcs_decide, person("sco.bandaria"), lic, "deny", D(2026, 9, 5))
    lic = actions.dcs_decide(
        person("sco.bandaria"), lic, "deny", D(2026, 9, 5), note="Regional stability concerns."
    )
    assert lic.status == "denied"
    refused("R-DCS-01", actions.update_dcs, person("industry.rep"), lic, {"commodity": "x"})


def test_r_ind_01_another_companys_user_neither_sees_nor_acts_on_a_license(api):
    lic = new_license()
    rival = arden_user()
    assert not DcsLicense.objects.visible_to(rival).filter(pk=lic.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.dcs_step(rival, lic, "submit", D(2026, 9, 1))
    # …nor enters one in Meridian's name.
    other = DcsLicense(
        company=org("Meridian Defense"),
        country_id="XBN",
        commodity="x",
        license_type="dsp5",
        value=Decimal(1),
    )
    other.marking = Marking.parse("CUI")
    denied(actions.create_dcs, rival, other)
    # The API: Meridian's user lists their company's requests only; Arden's sees none of them.
    mine = api("industry.rep").get("/api/v1/cases/dcs-licenses/", {"page_size": 100}).json()
    companies = {r["company"] for r in mine["results"]}
    assert companies == {org("Meridian Defense").pk}
    assert api("industry.arden").get(f"/api/v1/cases/dcs-licenses/{lic.pk}/").status_code == 404
    theirs = api("industry.arden").get("/api/v1/cases/dcs-licenses/", {"page_size": 100}).json()
    assert {r["company"] for r in theirs["results"]} == {org("Arden Aerospace").pk}


def test_r_sec_03_partner_sees_no_dcs_license(api):
    lic = new_license()
    client = api("partner.bandaria")
    assert client.get(f"/api/v1/cases/dcs-licenses/{lic.pk}/").status_code == 404
    assert client.get("/api/v1/cases/dcs-licenses/").json()["count"] == 0


def test_r_dcs_01_the_api_enters_and_moves_a_request(api):
    client = api("industry.rep")
    made = client.post(
        "/api/v1/cases/dcs-licenses/",
        {
            "company": org("Meridian Defense").pk,
            "country": "XBN",
            "commodity": "Night vision goggles",
            "license_type": "dsp5",
            "value": "2000000.00",
            "marking": "CUI",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    bad = client.post(
        "/api/v1/cases/dcs-licenses/",
        {
            "company": org("Meridian Defense").pk,
            "country": "XBN",
            "commodity": "x",
            "license_type": "dsp5",
            "value": "10.00",
            "mde_value": "20.00",
            "marking": "CUI",
        },
        format="json",
    )
    assert bad.status_code == 400 and bad["X-Rule"] == "R-DCS-01"
    sent = client.post(f"/api/v1/cases/dcs-licenses/{pk}/submit/", {"on": "2026-11-01"})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    detail = api("state.pm").get(f"/api/v1/cases/dcs-licenses/{pk}/").json()
    assert detail["notification"]["required"] is False
    assert detail["timeliness"]["goal"] == 60


# --- EDA offers -----------------------------------------------------------------------------------


def test_spec_11_eda_transfer_waits_the_notification_period_naming_the_day():
    cm, partner = person("case.manager"), person("partner.bandaria")
    offer = new_offer()  # original acquisition value $8.4M ≥ $7M
    offer = actions.eda_step(cm, offer, "offer", D(2026, 10, 1))
    offer = actions.eda_recipient_step(partner, offer, "accept", D(2026, 10, 5))
    exc = refused(
        "SPEC-11-EDA-notification", actions.eda_step, cm, offer, "transfer", D(2026, 10, 6)
    )
    assert exc.field == "notified_on"
    offer = actions.record_eda_notification(cm, offer, D(2026, 10, 2))
    exc = refused(
        "SPEC-11-EDA-notification", actions.eda_step, cm, offer, "transfer", D(2026, 11, 1)
    )
    assert "may happen on 2 Nov 2026" in exc.messages[0]
    offer = actions.eda_step(cm, offer, "transfer", D(2026, 11, 2))
    assert (offer.status, offer.transferred_on) == ("transferred", D(2026, 11, 2))


def test_spec_11_eda_below_the_threshold_needs_no_notification():
    cm = person("case.manager")
    offer = new_offer(value="6999999.99")
    refused("SPEC-11-EDA-notification", actions.record_eda_notification, cm, offer, D(2026, 10, 1))
    offer = actions.eda_step(cm, offer, "offer", D(2026, 10, 1))
    offer = actions.eda_recipient_step(cm, offer, "accept", D(2026, 10, 2))  # on its behalf
    assert actions.eda_step(cm, offer, "transfer", D(2026, 10, 3)).status == "transferred"


def test_r_eda_01_terms_and_who_may_act():
    refused("R-EDA-01", new_offer, authority="aeca", terms="grant")
    offer = new_offer()
    for user in ("sco.bandaria", "partner.bandaria", "industry.rep", "state.pm"):
        denied(actions.eda_step, person(user), offer, "offer", D(2026, 10, 1))
    denied(actions.eda_recipient_step, person("partner.bandaria"), offer, "accept", D(2026, 10, 1))
    refused("R-EDA-01", actions.eda_step, person("case.manager"), offer, "transfer", D(2026, 10, 1))
    # A navy case manager does not act on the Army IA's offer.
    denied(actions.eda_step, person("navy.case.manager"), offer, "offer", D(2026, 10, 1))
    offer = actions.eda_step(person("case.manager"), offer, "offer", D(2026, 10, 1))
    refused("R-EDA-01", actions.update_eda, person("case.manager"), offer, {"quantity": 2})


def test_r_sec_03_partner_reads_an_offered_eda_without_its_notification(api):
    proposed = new_offer()
    client = api("partner.bandaria")
    assert client.get(f"/api/v1/cases/eda-offers/{proposed.pk}/").status_code == 404
    offer = EdaOffer.objects.system().get(title=DEMO_OFFER)
    data = client.get(f"/api/v1/cases/eda-offers/{offer.pk}/").json()
    assert data["article"] and data["current_value"] and data["as_is_where_is"] is True
    assert "notified_on" not in data and "notification" not in data
    usg = api("case.manager").get(f"/api/v1/cases/eda-offers/{offer.pk}/").json()
    assert usg["notified_on"] == "2026-10-01" and usg["notification"]["required"] is True
    assert api("industry.rep").get(f"/api/v1/cases/eda-offers/{offer.pk}/").status_code == 404


def _fact(key: str, value: str, since: dt.date, unit: str = "days") -> None:
    from secoop.core.models import ReferenceFact

    ReferenceFact.objects.create(
        key=key, label=key, value=Decimal(value), unit=unit, effective_from=since, source="test"
    )


@pytest.mark.both_databases  # the figures are counted in SQL: each database's own answer
def test_r_dcs_03_the_figures_counted_in_sql_are_the_request_by_request_ones():
    """Issue 15 item 4: actions.dcs_review_figures (SQL, per span of constant facts) gives what
    dcs_review_summary of each request's dcs_review_row gives, for the DoS PM (every request)
    and the industry representative (their company's only), across a change of the review goal
    and Bandaria joining NATO+5, on both sides of each §36(c)/(d) threshold."""
    _fact("dcs-ddtc-review-goal-days", "45", D(2026, 7, 1))
    _fact("fms-nato5-xbn", "1", D(2026, 8, 1), unit="flag")
    rows = [  # company, type, value, MDE, firearms, abroad, submitted, received, decided
        ("Meridian Defense", "dsp5", "60000000", "0", False, False, D(2026, 6, 1), D(2026, 6, 2), D(2026, 7, 30)),
        ("Meridian Defense", "dsp5", "30000000", "20000000", False, False, D(2026, 6, 10), None, D(2026, 7, 1)),
        ("Meridian Defense", "dsp5", "2000000", "0", True, False, D(2026, 7, 5), D(2026, 7, 6), D(2026, 8, 30)),
        ("Meridian Defense", "taa", "1000", "0", False, True, D(2026, 7, 20), D(2026, 7, 21), D(2026, 8, 1)),
        ("Meridian Defense", "dsp5", "60000000", "20000000", False, False, D(2026, 8, 3), D(2026, 8, 4), D(2026, 10, 1)),
        ("Arden Aerospace", "dsp5", "120000000", "0", False, False, D(2026, 8, 10), D(2026, 8, 11), D(2026, 9, 1)),
        ("Arden Aerospace", "dsp5", "5000000", "0", False, False, D(2026, 6, 20), D(2026, 6, 21), None),
        ("Arden Aerospace", "dsp5", "5000000", "0", False, False, D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 12)),
        ("Meridian Defense", "dsp5", "5000000", "0", False, False, None, None, None),
    ]  # fmt: skip
    for i, (company, kind, value, mde, arms, abroad, sub, rec, dec) in enumerate(rows):
        by = "industry.rep" if company == "Meridian Defense" else "sco.bandaria"
        lic = new_license(by, company=company, commodity=f"Lot {i}", license_type=kind)
        with core.system_writes("test: the dates and figures a request reaches over months"):
            DcsLicense.objects.filter(pk=lic.pk).update(
                value=Decimal(value),
                mde_value=Decimal(mde),
                firearms_category_i=arms,
                manufacture_abroad_sme=abroad,
                submitted_on=sub,
                received_on=rec,
                decided_on=dec,
                status="approved" if dec else "in_review" if sub else "draft",
            )
    for user in (person("state.pm"), person("industry.rep")):
        listed = DcsLicense.objects.visible_to(user).filter(
            status__in=rules.DCS_DECIDED + ("submitted", "in_review")
        )
        one_by_one = rules.dcs_review_summary(actions.dcs_review_row(lic) for lic in listed)
        assert actions.dcs_review_figures(listed) == one_by_one, user
        assert one_by_one.decided >= 4 and one_by_one.exempt >= 2 and one_by_one.open >= 1
    # the two users see different requests, so the test compares two different sets
    assert actions.dcs_review_figures(
        DcsLicense.objects.visible_to(person("state.pm"))
    ) != actions.dcs_review_figures(DcsLicense.objects.visible_to(person("industry.rep")))


# --- pages -----------------------------------------------------------------------------------------


@pytest.mark.one_database
def test_dcs_licenses_list_beside_the_cases_and_detail_pages(login):
    sco = login("sco.bandaria")
    page = sco.get("/cases/dcs/", {"country": "XBN"}).content.decode()
    assert "Coastal surveillance radar" in page and "Arden Aerospace" in page
    assert "median <strong>44 days</strong>" in page and "1 within the 60-day goal" in page
    assert "DCS license requests" in sco.get("/cases/list/").content.decode()
    mine = login("industry.rep").get("/cases/dcs/").content.decode()
    assert "<span>DCS licenses</span>" in mine  # the industry user's way in
    assert "Coastal surveillance radar" in mine and "Ground surveillance radar" not in mine
    radar = DcsLicense.objects.system().get(commodity="Coastal surveillance radar, 2 systems")
    detail = login("industry.rep").get(f"/cases/dcs/{radar.pk}/").content.decode()
    assert "No transfer of source code" in detail and "44 days" in detail
    radar_lor = LetterOfRequest.objects.system().get(title="Border surveillance radar")
    related = sco.get(f"/cases/lors/{radar_lor.pk}/", {"tab": "related"}).content.decode()
    assert "Ground surveillance radar, 2 mobile systems" in related
    partner_lor = login("partner.bandaria").get(f"/cases/lors/{radar_lor.pk}/", {"tab": "related"})
    assert "Ground surveillance radar" not in partner_lor.content.decode()
    offer = EdaOffer.objects.system().get(title=DEMO_OFFER)
    usg = login("navy.case.manager").get(f"/cases/eda/{offer.pk}/").content.decode()
    assert "Record the transfer" in usg and "1 Nov 2026" in usg
    partner = login("partner.bandaria").get(f"/cases/eda/{offer.pk}/").content.decode()
    assert "as is, where is" in partner and "Congress" not in partner


# --- what needs you today ----------------------------------------------------------------------


def test_today_dos_pm_certifies_and_the_eda_owner_transfers(on_demo_day):
    from secoop.core.today import items_for

    lic = new_license()
    actions.dcs_step(person("industry.rep"), lic, "submit", D(2026, 11, 2))
    pm = dict(items_for(person("state.pm")))["DCS license requests"]
    assert [i.title for i in pm] == [f"Certify to Congress: {lic}"]
    assert "DCS license requests" not in dict(items_for(person("sco.bandaria")))
    navy = dict(items_for(person("navy.case.manager")))["Excess defense articles"]
    assert navy[0].detail == "May be transferred from 01 Nov 2026."
    assert "Excess defense articles" not in dict(items_for(person("case.manager")))


@pytest.mark.both_databases  # a query count: the database's own answer
def test_dcs_list_runs_the_same_queries_for_3_or_13_requests(login, django_assert_max_num_queries):
    client = login("sco.bandaria")
    client.get("/cases/dcs/")
    with django_assert_max_num_queries(40) as few:
        client.get("/cases/dcs/")
    for i in range(10):
        new_license("sco.bandaria", commodity=f"Radar spares lot {i}")
    with django_assert_max_num_queries(40) as many:
        client.get("/cases/dcs/")
    assert len(many.captured_queries) == len(few.captured_queries)
