"""UI pages: lists filter, sort, count and export what the user may see; forms show rule findings
inline; the banner carries the page's highest marking; demo data loads idempotently."""

import io

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Organization

pytestmark = pytest.mark.django_db


def banner(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="classification-top"')
    return html[html.index(">", start) + 1 : html.index("</div>", start)].strip()


def test_r_sec_01_banner_shows_the_highest_marking_on_the_page(login):
    assert banner(login("sco.bandaria").get(reverse("documents"))) == "SECRET//NOFORN"
    assert banner(login("admin").get(reverse("documents"))) == "CUI//NOFORN"
    assert (
        banner(login("partner.bandaria").get(reverse("documents")))
        == "CONFIDENTIAL//REL TO USA, XBN"
    )
    assert banner(login("industry.rep").get(reverse("documents"))) == "CUI"


def test_list_filters_sorts_and_counts(login):
    client = login("sco.bandaria")
    response = client.get(reverse("documents"), {"kind": "assessment", "sort": "title"})
    rows = [obj.title for obj, _ in response.context["rows"]]
    assert rows == sorted(rows) and len(rows) == response.context["total"] == 2
    reverse_sorted = [
        obj.title
        for obj, _ in client.get(
            reverse("documents"), {"kind": "assessment", "sort": "-title"}
        ).context["rows"]
    ]
    assert reverse_sorted == rows[::-1]
    searched = client.get(reverse("organizations"), {"q": "Bandaria"}).context
    names = [obj.name + obj.short_name for obj, _ in searched["rows"]]
    assert searched["total"] == len(names) >= 4 and all("Bandaria" in n for n in names)


def test_xlsx_export_opens_and_holds_only_what_the_user_may_see(login):
    response = login("partner.bandaria").get(reverse("documents"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "CONFIDENTIAL//REL TO USA, XBN"  # banner first and last
    assert rows[-1][0] == rows[0][0]
    assert rows[2][:2] == ("Title", "Kind")
    titles = {r[0] for r in rows[3:-2] if r and r[0]}
    assert "Request for information: coastal patrol boats" in titles
    assert "Partner capability assessment: border security (internal)" not in titles
    assert all(r[-1] for r in rows[3:-2] if r and r[0])  # every row carries its marking


def test_form_shows_rule_findings_inline_and_saves_nothing(login, settings):
    client = login("sco.bandaria")
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    before = Document.objects.system().count()
    response = client.post(
        reverse("document-create"),
        {
            "title": "Classified note",
            "kind": "report",
            "owner_org": sco.pk,
            "marking": "SECRET//NOFORN",
        },
    )
    assert response.status_code == 200
    assert "This system holds information up to CUI only" in response.content.decode()
    response = client.post(
        reverse("document-create"),
        {"title": "Note", "kind": "report", "owner_org": sco.pk, "marking": "CUI//REL TO USA, XYZ"},
    )
    assert "Unknown country code XYZ in REL TO" in response.content.decode()
    assert Document.objects.system().count() == before


def test_form_creates_through_the_action_with_the_reason(login):
    client = login("sco.bandaria")
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    response = client.post(
        reverse("document-create"),
        {
            "title": "Trip report",
            "kind": "report",
            "owner_org": sco.pk,
            "country": "XBN",
            "marking": "CUI//REL TO USA, XBN",
            "reason": "after the staff talks",
        },
    )
    assert response.status_code == 302
    doc = Document.objects.system().get(title="Trip report")
    assert doc.marking_text == "CUI//REL TO USA, XBN"
    entry = ChangeLogEntry.objects.system().get(
        object_id=str(doc.pk), content_type__model="document"
    )
    assert entry.reason == "after the staff talks" and entry.username == "sco.bandaria"
    response = client.post(
        reverse("document-edit", args=[doc.pk]),
        {
            "title": "Trip report (final)",
            "kind": "report",
            "owner_org": sco.pk,
            "country": "XBN",
            "marking": "CUI//REL TO USA, XBN",
            "reason": "final",
        },
    )
    assert response.status_code == 302
    assert Document.objects.system().get(pk=doc.pk).title == "Trip report (final)"


def test_owner_choices_are_only_organizations_the_user_may_write_for(login):
    form = login("sco.bandaria").get(reverse("document-create")).context["form"]
    assert {o.short_name for o in form.fields["owner_org"].queryset} == {"SCO Bandaria"}


def test_edit_page_of_a_record_the_user_may_not_edit_is_404(login):
    doc = Document.objects.system().get(
        title="AFRICOM campaign plan extract: Bandaria country objectives"
    )
    assert login("sco.bandaria").get(reverse("document-edit", args=[doc.pk])).status_code == 404
    assert login("ccmd.planner").get(reverse("document-edit", args=[doc.pk])).status_code == 200


def test_htmx_marking_check_reads_as_the_user_types(login):
    client = login("sco.bandaria")
    ok = client.get(
        reverse("marking-check"), {"marking": "cui//rel to xbn, usa"}, HTTP_HX_REQUEST="true"
    )
    assert "Reads as <strong>CUI//REL TO USA, XBN</strong>" in ok.content.decode()
    bad = client.get(reverse("marking-check"), {"marking": "CUI//REL TO USA, XYZ"}).content.decode()
    assert "Unknown country code XYZ" in bad and 'href="/rules/R-SEC-01/"' in bad
    high = client.get(reverse("marking-check"), {"marking": "SECRET"}).content.decode()
    assert "This system holds information up to CUI only" in high and "/rules/R-SEC-01/" in high


def test_r_sec_06_informal_translation_carries_the_notice(login):
    doc = Document.objects.system().get(
        title="Informal translation: Bandaria defence white paper 2026"
    )
    page = login("sco.bandaria").get(reverse("document-detail", args=[doc.pk])).content.decode()
    assert "Informal and unofficial translation - English text governs" in page


@pytest.mark.both_databases  # a query count: the database's own answer
@pytest.mark.parametrize("name", ["organizations", "documents", "changes", "people", "countries"])
def test_html_list_pages_run_a_fixed_number_of_queries(login, name, django_assert_max_num_queries):
    client = login("sco.bandaria")
    client.get(reverse(name))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse(name), {"page": 1})
    owner = Organization.objects.system().get(short_name="SCO Bandaria")
    from secoop.core import actions
    from secoop.core.markings import Marking

    for i in range(25):
        doc = Document(title=f"Bulk {i}", owner_org=owner, country_id="XBN")
        doc.marking = Marking.parse("CUI")
        actions.system_create(doc, reason="query count")
    with django_assert_max_num_queries(15) as many:
        client.get(reverse(name), {"page": 1})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_demo_is_idempotent_and_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo data with DEBUG off"):
        call_command("demo")
    before = (Organization.objects.system().count(), Document.objects.system().count())
    call_command("demo", "--force")
    assert (Organization.objects.system().count(), Document.objects.system().count()) == before


def test_document_file_is_uploaded_and_served_only_through_the_door(login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    upload = SimpleUploadedFile(
        "brief.pdf", b"%PDF-1.4 notional brief", content_type="application/pdf"
    )
    response = login("sco.bandaria").post(
        reverse("document-create"),
        {
            "title": "Staff talks brief",
            "kind": "briefing",
            "owner_org": sco.pk,
            "marking": "CUI//NOFORN",
            "file": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    doc = Document.objects.system().get(title="Staff talks brief")
    got = login("sco.bandaria").get(reverse("document-file", args=[doc.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 notional brief"
    assert login("partner.bandaria").get(reverse("document-file", args=[doc.pk])).status_code == 404
    assert login("le.staff").get(reverse("document-file", args=[doc.pk])).status_code == 404


def test_document_upload_of_a_forbidden_type_is_refused_inline(login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    upload = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = login("sco.bandaria").post(
        reverse("document-create"),
        {
            "title": "Bad upload",
            "kind": "other",
            "owner_org": sco.pk,
            "marking": "CUI",
            "file": upload,
        },
    )
    assert response.status_code == 200
    assert "File extension “exe” is not allowed." in response.content.decode()
    assert not Document.objects.system().filter(title="Bad upload").exists()


def test_r_sec_01_detail_banner_follows_the_tab_shown(login):
    org = Organization.objects.system().get(short_name="SCO Bandaria")
    client = login("sco.bandaria")
    overview = client.get(reverse("organization-detail", args=[org.pk]))
    assert banner(overview) == "UNCLASSIFIED//REL TO USA, XBN"
    related = client.get(reverse("organization-detail", args=[org.pk]), {"tab": "related"})
    assert (
        banner(related) == "CONFIDENTIAL//NOFORN"
    )  # owns the CUI//NOFORN and CONFIDENTIAL//REL documents


def _nav(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html.split('aria-label="Primary navigation"')[1].split("</nav>")[0]


def test_navigation_is_the_apps_in_one_row_and_the_shared_records_in_one_menu(login):
    import re

    nav = _nav(login("sco.bandaria"))
    top = re.findall(r'usa-nav__primary-item"><a[^>]*><span>(?:<abbr[^>]*>)?([^<]+)', nav)
    assert top == [
        "Today",
        "Planning",
        "Cases",
        "Training",
        "Analysis",
        "EUM",
        "Budget",
        "Assessment",
    ]
    menu = nav.split('id="nav-records"')[1]
    assert re.findall(r"<span>([^<]+)</span>", menu) == [
        "Organizations",
        "Countries",
        "Documents",
        "People",
        "Change log",
    ]
    assert 'title="End-use monitoring"' in nav  # the short label says its long name
    # Administration is a role: only an administrator is offered it.
    assert "Administration" in _nav(login("admin")) and "Administration" not in nav
