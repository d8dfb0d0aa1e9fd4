"""What an outside assessor probed in EUM on 4 Dec 2026 (security review, decision 0047's rule
that a comparison with records uses the records the user may see), each proven closed: a hidden
serial named to an end-use completion, a review signed off by another country's SCO chief, an
end-use request filed in another organization's name, a serial format that backtracks for
minutes, and the checklist download's X-Marking."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from secoop.core import actions as core
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.verdicts import Refused
from secoop.eum import actions
from secoop.eum import models as m
from secoop.eum import rules
from tests.conftest import builds

from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_demo_day")]
D = dt.date


def _approved_request(article) -> m.EndUseRequest:
    req = m.EndUseRequest.objects.system().get(article=article)
    return actions.decide_end_use(person("state.pm"), req, "approve", reference="PM/RSAT 2026-1187")


def test_r_sec_03_an_end_use_completion_never_writes_or_confirms_a_serial_hidden_from_the_partner(
    nvd,
):
    """The partner names a NOFORN serial it may not see: the answer is the one an unknown serial
    gets, and the serial is not marked disposed."""
    with builds("a NOFORN serial of an article released to Bandaria"):
        hidden = m.SerialNumber(article=nvd, serial="NVD-000199")
        hidden.marking = Marking.parse("CUI//NOFORN")
        hidden.save()
    req = _approved_request(nvd)
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.complete_end_use(
            person("partner.bandaria"),
            req,
            demil_standard="DoDM 4160.28 code D",
            serials=["NVD-000199"],
        )
    assert "not serials of this article: NVD-000199" in str(refused.value)
    with pytest.raises(Refused) as unknown:
        actions.complete_end_use(
            person("partner.bandaria"),
            req,
            demil_standard="DoDM 4160.28 code D",
            serials=["NVD-000198"],
        )
    assert str(unknown.value).replace("198", "199") == str(refused.value)  # no oracle
    hidden.refresh_from_db()
    assert hidden.status == "on_hand" and snapshot_counts() == before


def test_r_sec_11_a_database_review_is_signed_off_by_its_scos_chief_or_dsca_never_another_scos():
    """An SCO chief of another organization (not above the reviewing SCO) may not sign it off:
    nothing is written and the page offers no button."""
    sco = person("sco.bandaria")
    review = m.DatabaseReview(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        reviewed_on=D(2026, 11, 30),
        checked="Serials against deliveries.",
    )
    review.marking = "CUI//NOFORN"
    review = actions.record_review(sco, review)
    core.grant_membership(None, person("navy.case.manager"), org("NIPO"), "sco_chief")
    elsewhere = person("navy.case.manager")
    with pytest.raises(NotPermitted):
        actions.sign_off_review(elsewhere, review)
    review.refresh_from_db()
    assert review.signed_off_on is None and review.signed_off_by is None
    assert not actions.may_sign_off(elsewhere, review)
    core.grant_membership(None, person("ccmd.planner"), org("SCO Bandaria"), "sco_chief")
    chief = person("ccmd.planner")
    assert actions.may_sign_off(chief, review)
    assert actions.sign_off_review(chief, review).signed_off_by == chief


def test_r_sec_11_the_review_page_offers_sign_off_only_to_who_may_sign(login):
    review = m.DatabaseReview.objects.system().filter(signed_off_on__isnull=True).first()
    if review is None:
        review = m.DatabaseReview(
            country_id="XBN",
            owner_org=org("SCO Bandaria"),
            reviewed_on=D(2026, 11, 30),
            checked="Serials against deliveries.",
        )
        review.marking = "CUI//NOFORN"
        review = actions.record_review(person("sco.bandaria"), review)
    core.grant_membership(None, person("navy.case.manager"), org("NIPO"), "sco_chief")
    page = login("navy.case.manager").get(f"/eum/reviews/{review.pk}/")
    assert page.status_code == 200 and "Sign the review off" not in page.content.decode()
    assert (
        "Sign the review off"
        in login("dsca.analyst").get(f"/eum/reviews/{review.pk}/").content.decode()
    )


@pytest.mark.parametrize("username", ["partner.bandaria", "le.staff"])
def test_r_sec_01_an_end_use_request_is_filed_in_the_requesters_own_organization_only(
    api, nvd, username
):
    """Through the API (the page offers only one's own): naming DSCA as "requested by" is
    refused and nothing is written; one's own SCO or ministry is accepted."""
    client = api(username)
    own = org("Bandaria MoD" if username == "partner.bandaria" else "SCO Bandaria")
    body = {
        "article": nvd.pk,
        "kind": "display",
        "quantity": 1,
        "requested_on": "2026-11-30",
        "description": "Display at the national day parade.",
        "marking": str(nvd.marking),
    }
    before = snapshot_counts()
    refused = client.post(
        "/api/v1/eum/requests/", {**body, "owner_org": org("DSCA").pk}, format="json"
    )
    assert refused.status_code == 403 and snapshot_counts() == before
    made = client.post("/api/v1/eum/requests/", {**body, "owner_org": own.pk}, format="json")
    assert made.status_code == 201 and made.json()["owner_org"] == own.pk


def test_spec_11_a_serial_format_that_backtracks_is_refused_and_never_matched(late_nvd):
    """A pattern such as (A|AA)+B held a worker for minutes on one 60-character serial: it is
    refused at entry, and one stored before the check is never matched against a serial."""
    assert rules.unsafe_format("NVD-[0-9]{6}") is None
    assert rules.unsafe_format("[A-Z]{2,3}-[0-9]+") is None
    for evil in ("(A|AA)+B", "(A+)+B", "A*A*A*A*B", "(?=A)A", "A\\1"):
        assert rules.unsafe_format(evil), evil
        assert rules.serial_format_problem("enhanced", evil).field == "serial_format"
    article = m.TransferredArticle(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        nomenclature="Night vision device",
        nsn="5855-01-534-5931",
        quantity=1,
        source="other",
        program="golden_sentry",
        monitoring="enhanced",
        delivered_on=D(2026, 11, 1),
        serial_format="(A|AA)+B",
        transfer_reference="EDA 2026-17",
    )
    article.marking = "CUI//REL TO USA, XBN"
    with pytest.raises(Refused) as refused:
        actions.register_article(person("le.staff"), article)
    assert refused.value.findings[0].field == "serial_format"
    with builds("an article stored before serial formats were checked"):
        m.TransferredArticle.objects.system().filter(pk=late_nvd.pk).update(
            serial_format="(A|AA)+B"
        )
    late_nvd.refresh_from_db()
    started = time.monotonic()
    with pytest.raises(Refused) as stored:
        actions.add_serials(person("le.staff"), late_nvd, ["A" * 59])
    assert time.monotonic() - started < 2
    assert "not one serials can be checked against" in str(stored.value)


def test_r_sec_01_the_checklist_download_says_its_marking_in_x_marking(login, boats, settings):
    """The workbook's X-Marking covers the serials it lists, as its sheets do."""
    settings.MAX_CLASSIFICATION = "SECRET"
    with builds("a SECRET serial of a CUI article"):
        m.SerialNumber.objects.system().filter(article=boats, serial="PB-002").update(
            classification=3
        )
    response = login("sco.bandaria").get(f"/eum/articles/{boats.pk}/inventory.xlsx")
    assert response["X-Marking"].startswith("SECRET")


@pytest.mark.parametrize("limit", ["MAX_UNPACKED_BYTES", "MAX_UPLOAD_BYTES"])
def test_a_checklist_upload_that_unpacks_or_weighs_beyond_a_checklist_is_refused_unopened(
    login, late_nvd, monkeypatch, limit
):
    """A "zip bomb" (a small file that unpacks to gigabytes) or an oversized file would hold the
    worker: refused before openpyxl reads it, nothing recorded. Proven with the limits lowered
    under a real filled checklist."""
    from secoop.eum import exports

    from .test_views import _filled

    web = login("sco.bandaria")
    check = {"Kind": "initial", "Checked on (YYYY-MM-DD)": "2026-11-30", "Checked by": "EUM"}
    upload = _filled(web, late_nvd, {"NVD-000201": "yes"}, check)
    monkeypatch.setattr(exports, limit, 1000)

    def never_opened(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", never_opened)
    before = snapshot_counts()
    response = web.post(
        f"/eum/articles/{late_nvd.pk}/inventory/import/", {"file": upload}, follow=True
    )
    text = response.content.decode()
    assert ("unpacks to more" in text or "larger than" in text) and snapshot_counts() == before


def test_r_sec_10_a_violation_opened_by_hand_is_marked_by_the_serial_it_names(boats, nvd):
    """Opened under the article's REL TO marking, naming a NOFORN serial: the violation is NOFORN,
    never read by the partner; a serial of another article is refused, nothing written."""
    with builds("a NOFORN serial of an article released to Bandaria"):
        m.SerialNumber.objects.system().filter(article=boats, serial="PB-002").update(
            dissemination="NOFORN", rel_to=""
        )
    sco = person("sco.bandaria")
    serial = m.SerialNumber.objects.system().get(article=boats, serial="PB-002")

    def violation(article, named):
        made = m.PossibleViolation(article=article, serial=named, summary="Seen for sale.")
        made.marking = str(boats.marking)
        return made

    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.open_violation(sco, violation(nvd, serial))
    assert refused.value.findings[0].field == "serial" and snapshot_counts() == before
    opened = actions.open_violation(sco, violation(boats, serial))
    assert opened.marking.dissemination == "NOFORN"
    assert not m.PossibleViolation.objects.visible_to(person("partner.bandaria")).filter(
        pk=opened.pk
    )
