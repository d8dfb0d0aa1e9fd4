"""Browser tests of issue 12 items 4 and 7. Item 4: a finding leads with plain words and its rule id
is a small link to the rule's page, which states the rule, its source, its dated facts and where it
is enforced (axe-clean). Item 7: the partner downloads the ITO issued to their student, marked
releasable to Bandaria and holding no vetting details."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_issue_12_4_a_rule_id_links_to_the_rule_page(page_as):
    sco = page_as("sco.bandaria")
    sco.goto("/training/")
    sco.get_by_role("link", name=re.compile("Halvik")).first.click()
    finding = sco.locator("#checklist li").filter(has_text="R-TRN-06").first
    # plain words first, the rule id after them as a small link
    assert not finding.inner_text().strip().startswith("R-"), finding.inner_text()
    screenshot(sco, "rules-student-checklist")
    finding.get_by_role("link", name="R-TRN-06").click()
    expect(sco).to_have_url(re.compile(r"/rules/R-TRN-06/$"))
    expect(
        sco.get_by_role("heading", level=1, name="Human-rights (Leahy) vetting before training")
    ).to_be_visible()
    expect(sco.get_by_test_id("rule-sources")).to_contain_text("SAMM C2.1.6.7.4")
    expect(sco.get_by_test_id("rule-facts")).to_contain_text("from ")
    expect(sco.get_by_test_id("rule-actions")).to_contain_text("Request Leahy vetting")
    screenshot(sco, "rules-r-trn-06")
    assert_accessible(sco, "rule page")
    sco.get_by_role("link", name="All rules").click()
    expect(sco.get_by_role("heading", level=1, name="Rules")).to_be_visible()
    assert_accessible(sco, "rule index")


def test_issue_12_7_the_partner_downloads_the_ito_of_their_student(page_as):
    from pypdf import PdfReader

    partner = page_as("partner.bandaria")
    partner.goto("/training/")
    partner.get_by_role("link", name=re.compile("Ondra")).first.click()
    link = partner.get_by_test_id("ito-download").first
    expect(link).to_be_visible()
    expect(partner.locator(".secoop-reclist .secoop-marking").first).to_have_text(
        "CUI//REL TO USA, XBN"
    )
    screenshot(partner, "rules-partner-ito")
    assert_accessible(partner, "partner student page")
    pdf = partner.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Invitational Travel Order" in text and "CUI//REL TO USA, XBN" in text
    assert "NOFORN" not in text and "vetting" not in text.lower()
