"""EUM pages: the inventory checklist (ticked, typed or scanned serials), its workbook out and
back in (all rows or none, an error per bad row), and what the pages show each user."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from secoop.eum import models as m
from tests.helpers import saved_copy

from .conftest import snapshot_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_demo_day")]


def test_every_eum_page_opens_for_the_sco(login, nvd, plain_templates):
    web = login("sco.bandaria")
    pages = ["/eum/", "/eum/articles/", "/eum/violations/", "/eum/checks/", "/eum/notices/"]
    pages += [r.get_absolute_url() for r in m.PossibleViolation.objects.system()[:1]]
    pages += [nvd.get_absolute_url(), f"/eum/articles/{nvd.pk}/inventory/", "/eum/articles/new/"]
    for url in pages:
        assert web.get(url).status_code == 200, url
    home = web.get("/").content.decode()
    assert "End-use monitoring" in home and "overdue" in home


def test_the_checklist_records_a_missing_serial_and_opens_the_violation(login, late_nvd):
    web = login("sco.bandaria")
    page = web.get(f"/eum/articles/{late_nvd.pk}/inventory/").content.decode()
    assert "NVD-000201" in page and 'id="scan-entry"' in page
    response = web.post(
        f"/eum/articles/{late_nvd.pk}/inventory/",
        {
            "kind": "initial",
            "checked_by": "EUM officer",
            "present": ["NVD-000201", "NVD-000202"],
            "found": "nvd-000203",  # typed
        },
    )
    check = m.Check.objects.system().get(article=late_nvd)
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert check.missing == ["NVD-000204"]
    assert m.PossibleViolation.objects.system().filter(check_record=check).count() == 1


def test_a_checklist_naming_an_unknown_serial_says_why_and_records_nothing(login, late_nvd):
    before = snapshot_counts()
    response = login("sco.bandaria").post(
        f"/eum/articles/{late_nvd.pk}/inventory/",
        {"kind": "initial", "checked_by": "EUM officer", "found": "NVD-123456"},
    )
    assert response.status_code == 200
    assert "NVD-123456 is not one of this article" in response.content.decode()
    assert snapshot_counts() == before


def test_the_partner_checklist_offers_only_the_partners_own_inventory(login, boats):
    page = login("partner.bandaria").get(f"/eum/articles/{boats.pk}/inventory/").content.decode()
    assert "Partner&#x27;s own inventory" in page and "Annual serial-number inventory" not in page
    assert login("industry.rep").get(f"/eum/articles/{boats.pk}/inventory/").status_code == 404


def _filled(web, article, answers: dict, check: dict) -> io.BytesIO:
    response = web.get(f"/eum/articles/{article.pk}/inventory.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    for row in wb["Inventory"].iter_rows():
        if row[0].value in answers:
            row[1].value = answers[row[0].value]
    for row in wb["Check"].iter_rows():
        if row[0].value in check:
            row[1].value = check[row[0].value]
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "inventory.xlsx"
    return out


def test_the_workbook_comes_back_all_rows_or_none(login, late_nvd):
    web = login("sco.bandaria")
    check = {
        "Kind": "initial",
        "Checked on (YYYY-MM-DD)": "2026-11-30",
        "Checked by": "EUM officer",
    }
    bad = _filled(web, late_nvd, {"NVD-000201": "yes", "NVD-000202": "perhaps"}, check)
    before = snapshot_counts()
    response = web.post(
        f"/eum/articles/{late_nvd.pk}/inventory/import/", {"file": bad}, follow=True
    )
    text = response.content.decode()
    assert "Inventory row" in text and "NVD-000202" in text and "write yes or no" in text
    assert "Nothing was recorded" in text and snapshot_counts() == before
    good = _filled(
        web,
        late_nvd,
        {"NVD-000201": "yes", "NVD-000202": "yes", "NVD-000203": "yes", "NVD-000204": "no"},
        check,
    )
    web.post(f"/eum/articles/{late_nvd.pk}/inventory/import/", {"file": good})
    recorded = m.Check.objects.system().get(article=late_nvd)
    assert recorded.missing == ["NVD-000204"] and str(recorded.checked_on) == "2026-11-30"


def test_r_sec_03_the_partner_page_of_a_violation_hides_the_investigation_notes(login, nvd):
    from secoop.eum import actions
    from tests.helpers import person

    v = m.PossibleViolation.objects.system().get(article=nvd)
    actions.violation_step(person("sco.bandaria"), v, "investigate", note="NOTE-FOR-USG-ONLY")
    assert "NOTE-FOR-USG-ONLY" in login("sco.bandaria").get(v.get_absolute_url()).content.decode()
    partner = login("partner.bandaria").get(v.get_absolute_url()).content.decode()
    assert "Investigated locally" in partner and "NOTE-FOR-USG-ONLY" not in partner


@pytest.mark.both_databases
def test_the_eum_lists_cost_the_same_queries_whatever_their_rows(login, boats, plain_templates):
    """ARCHITECTURE invariant 7: a list costs its page, not its rows (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import builds

    web = login("sco.bandaria")
    lists = ["/eum/articles/", "/eum/checks/", "/eum/violations/", "/eum/requests/", "/eum/"]

    def counts():
        found = {}
        for url in lists:
            with CaptureQueriesContext(connection) as seen:
                assert web.get(url).status_code == 200
            found[url] = len(seen)
        return found

    web.get("/eum/")  # warm the session and the reference facts
    before = counts()
    with builds("more rows"):
        for n in range(5):
            check = m.Check(
                article=boats,
                owner_org=boats.owner_org,
                kind="inspection",
                checked_on=boats.delivered_on,
                checked_by=f"inspector {n}",
                findings="ok",
            )
            check.marking = boats.marking
            check.save()
            violation = m.PossibleViolation(
                article=boats,
                owner_org=boats.owner_org,
                opened_on=boats.delivered_on,
                summary=f"observed {n}",
            )
            violation.marking = boats.marking
            violation.save()
    assert counts() == before


@pytest.mark.both_databases
def test_the_eum_record_pages_cost_the_same_queries_whatever_their_rows(
    login, nvd, plain_templates
):
    """ARCHITECTURE invariant 7 on the record pages: an article's serials, checks, violations
    and requests, a violation's investigation notes and a notice's recipients are read once per
    page, not once per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core.models import Country
    from secoop.eum import actions
    from secoop.eum.rules import Interest
    from tests.conftest import builds

    from .conftest import person

    violation = m.PossibleViolation.objects.system().get(article=nvd)
    actions.violation_step(person("sco.bandaria"), violation, "investigate", note="first lead")
    note = m.InvestigationNote.objects.system().get(violation=violation)
    notice = m.MaterielNotice.objects.system().first()
    codes = list(Country.objects.exclude(pk="XBN").order_by("pk").values_list("pk", flat=True)[:4])
    with builds("a first recipient"):
        recipient = m.NoticeRecipient(
            notice=notice, country_id=codes[0], reason=Interest.PA, evidence="its P&A request"
        )
        recipient.marking = notice.marking
        recipient.save()
    web = login("sco.bandaria")
    urls = [nvd.get_absolute_url(), violation.get_absolute_url(), notice.get_absolute_url()]

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as seen:
                assert web.get(url).status_code == 200, url
            found[url] = len(seen)
        return found

    web.get("/eum/")  # warm the session and the reference facts
    before = counts()
    serial = m.SerialNumber.objects.system().filter(article=nvd).first()
    check = m.Check.objects.system().filter(article=nvd).first()
    with builds("more rows"):
        for n in range(3):
            saved_copy(m.SerialNumber, serial.pk, serial=f"NVD-9{n:05d}")
            saved_copy(m.Check, check.pk, checked_by=f"inspector {n}")
            saved_copy(m.PossibleViolation, violation.pk, summary=f"seen {n}")
            saved_copy(m.InvestigationNote, note.pk, text=f"lead {n}")
            saved_copy(m.NoticeRecipient, recipient.pk, country_id=codes[n + 1])
    assert counts() == before
    assert web.get(urls[1]).content.decode().count("lead ") >= 3
    assert all(code in web.get(urls[2]).content.decode() for code in codes)


def test_r_sec_01_the_eum_home_banner_covers_the_articles_its_dues_name(login):
    from secoop.core.markings import Marking
    from secoop.core.markings import combine
    from secoop.core.models import User
    from secoop.eum.models import TransferredArticle
    from tests.core.test_views import banner

    sco = User.objects.get(username="sco.bandaria")
    page = login("sco.bandaria").get("/eum/")
    html = page.content.decode()
    named = [
        a for a in TransferredArticle.objects.visible_to(sco) if f"/eum/articles/{a.pk}/" in html
    ]
    assert named
    shown = Marking.parse(banner(page))
    for article in named:  # the banner is at least as restrictive as each article it names
        assert combine([shown, article.marking]) == shown


def test_r_sec_01_the_checklist_and_its_workbook_are_marked_by_the_serials_they_list(
    login, boats, settings
):
    """A SECRET serial of a CUI article: the checklist page's banner and the workbook's marking
    cover it (the article's own marking would under-mark what the page lists)."""
    from tests.conftest import builds
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    with builds("a SECRET serial of a CUI article"):
        m.SerialNumber.objects.system().filter(article=boats, serial="PB-002").update(
            classification=3
        )
    web = login("sco.bandaria")
    page = web.get(f"/eum/articles/{boats.pk}/inventory/")
    assert "PB-002" in page.content.decode() and banner(page).startswith("SECRET")
    wb = load_workbook(io.BytesIO(web.get(f"/eum/articles/{boats.pk}/inventory.xlsx").content))
    assert wb["Inventory"].cell(1, 1).value.startswith("SECRET")


def test_r_sec_01_the_home_banner_covers_the_records_what_needs_you_today_counts(login, settings):
    """The home page counts the open possible violations: a SECRET one raises the page's banner,
    though the recent changes listed there are CUI."""
    from tests.conftest import builds
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    with builds("a SECRET open possible violation"):
        m.PossibleViolation.objects.system().filter(status="open").update(
            classification=3, dissemination="NOFORN", rel_to=""
        )
    page = login("sco.bandaria").get("/")
    assert "possible violation" in page.content.decode() and banner(page) == "SECRET//NOFORN"


def test_r_eum_02_a_reader_of_more_countries_than_the_home_lists_is_told_and_picks_one(
    login, boats, monkeypatch
):
    """The home page lists the first countries by name; a reader who may see more is told so and
    picks any one of them, never an arbitrary few in silence."""
    from secoop.core.models import Country
    from secoop.eum import views
    from tests.conftest import builds

    other = Country.objects.filter(ccmd=boats.country.ccmd).exclude(pk=boats.country_id)
    other = other.order_by("name").first()
    with builds("an article in a second country of the theater"):
        second = m.TransferredArticle.objects.system().get(pk=boats.pk)
        second.pk, second.country = None, other
        second.save()
    monkeypatch.setattr(views, "COUNTRIES_SHOWN", 1)
    web = login("ccmd.planner")
    first = sorted([boats.country, other], key=lambda c: c.name)[0]
    html = web.get("/eum/").content.decode()
    assert 'data-testid="eum-more-countries"' in html
    assert html.count('data-testid="eum-dues"') == 1 and f"<h3>{first.name}</h3>" in html
    for country in (boats.country, other):  # each one may be picked
        html = web.get(f"/eum/?country={country.pk}").content.decode()
        assert f"<h3>{country.name}</h3>" in html and html.count('data-testid="eum-dues"') == 1
        assert 'data-testid="eum-more-countries"' not in html


def _more_enhanced_articles(article, n: int) -> None:
    """`n` copies of an enhanced-EUM article in its country, half of them inventoried (annual
    next), delivered a day apart, one of them SECRET//NOFORN (a partner never sees it)."""
    import datetime as dt

    from tests.conftest import builds

    with builds("more enhanced-EUM articles"):
        for i in range(n):
            copy = m.TransferredArticle.objects.system().get(pk=article.pk)
            copy.pk, copy.nomenclature = None, f"copy {i}"
            copy.monitoring = "enhanced"
            copy.delivered_on = article.delivered_on - dt.timedelta(days=i)
            copy.marking = "SECRET//NOFORN" if i == 3 else article.marking
            copy.save()
            if i % 2:
                check = m.Check(
                    article=copy,
                    owner_org=copy.owner_org,
                    kind="initial",
                    checked_on=copy.delivered_on + dt.timedelta(days=30 + i),
                    checked_by=f"inspector {i}",
                    findings="ok",
                )
                check.marking = article.marking
                check.save()


@pytest.mark.parametrize("shown", [1, 3, 100])
def test_issue_15_the_eum_home_lists_the_first_dues_exactly_as_the_record_by_record_count(
    late_nvd, shown, settings
):
    """The home's dues of a country, cut at `shown` in SQL, are the first of every due that
    dues_for_country computes article by article and country by country (earliest first, then the date counted from,
    then the article), with the country-wide dates and the count of the rest: for a reader of
    everything and for a partner who may not see a SECRET//NOFORN article."""
    from secoop.core import clock
    from secoop.eum import actions
    from tests.helpers import person

    settings.MAX_CLASSIFICATION = "SECRET"
    _more_enhanced_articles(late_nvd, 7)
    for username in ("sco.bandaria", "partner.bandaria"):
        user = person(username)
        today = clock.today_for(user)
        every = actions.dues_for_country(user, late_nvd.country_id, today)
        inventories = [d for d in every if d.article]
        delivered = dict(m.TransferredArticle.objects.system().values_list("pk", "delivered_on"))
        checked = {
            c.article_id: c.checked_on
            for c in m.Check.objects.visible_to(user)
            .filter(kind__in=("initial", "annual"))
            .order_by("checked_on")
        }
        inventories.sort(
            key=lambda d: (d.due, checked.get(d.article, delivered[d.article]), d.article)
        )
        firsts, more = actions.first_dues_by_country(user, [late_nvd.country_id], today, shown)[
            late_nvd.country_id
        ]
        assert firsts == inventories[:shown] + [d for d in every if not d.article], username
        assert more == max(len(inventories) - shown, 0), username
    assert len(inventories) < len(
        [
            d
            for d in actions.dues_for_country(person("sco.bandaria"), late_nvd.country_id, today)
            if d.article
        ]
    )  # the partner's count leaves the SECRET//NOFORN article out


@pytest.mark.both_databases
def test_issue_15_the_eum_home_costs_the_same_queries_and_rows_whatever_the_articles(
    login, late_nvd, monkeypatch
):
    """Issue 15 item 4: a country's dues are cut at ARTICLE_DUES_SHOWN in SQL, with a link to
    the rest, so more enhanced-EUM articles cost no query and no row on the home page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.eum import views

    monkeypatch.setattr(views, "ARTICLE_DUES_SHOWN", 2)
    web = login("sco.bandaria")
    web.get("/eum/")  # warm the session and the reference facts

    def seen():
        with CaptureQueriesContext(connection) as queries:
            html = web.get("/eum/").content.decode()
        return len(queries), html

    before, html = seen()
    _more_enhanced_articles(late_nvd, 6)
    after, html = seen()
    assert after == before
    assert html.count("copy ") <= 2 and 'data-testid="eum-more-dues"' in html
    assert f"country={late_nvd.country_id}&amp;monitoring=enhanced" in html
