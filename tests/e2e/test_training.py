"""Browser test of training (R-TRN-08): the partner nominates a student; the SCO tries to issue the
ITO and is refused with the rule ids of what is missing; records ECL, prerequisites, medical,
vetting of student and unit and the screening checklist; issues the ITO and opens its PDF. Then
axe-core on the main training pages finds no serious violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def _field(label: str) -> re.Pattern:
    """A form field by its label, required (marked "*") or not."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def test_r_trn_08_from_nomination_to_an_issued_ito_with_a_refusal_on_the_way(page_as):
    partner = page_as("partner.bandaria")
    partner.goto("/training/students/nominate/")
    partner.get_by_label(_field("Country")).select_option("XBN")
    partner.get_by_label(_field("Given name")).fill("Lea")
    partner.get_by_label(_field("Family name")).fill("Vantongeren")
    partner.get_by_label(_field("Rank")).fill("Capt.")
    partner.get_by_label(_field("Unit")).fill("7th Infantry Battalion")
    partner.get_by_text("Career personnel", exact=True).click()  # the USWDS checkbox: its label
    partner.get_by_label(_field("Course ID")).fill("D177010")
    partner.get_by_label(_field("Program")).select_option("imet")
    partner.get_by_label(_field("Class start")).fill("2027-04-12")
    partner.get_by_label(_field("Class end")).fill("2027-08-27")
    partner.get_by_role("button", name="Nominate").click()
    expect(partner.get_by_role("heading", name=re.compile("Vantongeren"))).to_be_visible()
    expect(partner.get_by_text("Nominated", exact=True)).to_be_visible()
    path = partner.url.split("//", 1)[1].split("/", 1)[1]

    sco = page_as("sco.bandaria")
    sco.goto("/" + path)
    sco.get_by_role("button", name="Issue ITO").click()
    for rule in ("R-TRN-04", "R-TRN-05", "R-TRN-06", "R-TRN-07"):
        expect(sco.locator(".usa-alert--error").filter(has_text=rule).first).to_be_visible()
    screenshot(sco, "training-ito-refused")

    today = dt.date.today().isoformat()
    sco.get_by_label("Score", exact=True).fill("82")
    sco.get_by_label("Tested on", exact=True).fill(today)
    sco.get_by_role("button", name="Save ECL").click()
    sco.get_by_role("button", name="Save prerequisites").click()
    sco.get_by_label("Statement signed on", exact=True).fill(today)
    sco.get_by_label("Medical form on", exact=True).fill(today)
    sco.get_by_label("Dental form on", exact=True).fill(today)
    sco.get_by_role("button", name="Save medical").click()
    for subject in ("student", "unit"):
        sco.get_by_label("Of", exact=True).select_option(subject)
        sco.get_by_role("button", name="Request vetting").click()
    for _ in range(2):
        form = sco.locator("form:has(input[name=vetting])").first
        form.locator("select").select_option("approved")
        form.get_by_role("button", name="Record result").click()
    for kind in ("rso", "dea", "consular"):
        sco.get_by_label("Check", exact=True).select_option(kind)
        sco.get_by_label("Result", exact=True).select_option("cleared")
        sco.get_by_role("button", name="Save check").click()
    expect(sco.get_by_text("ready: issue the ITO", exact=False)).to_be_visible()
    sco.get_by_role("button", name="Issue ITO").click()
    expect(sco.get_by_text("ITO issued (R-TRN-08).")).to_be_visible()
    expect(sco.get_by_text("ITO issued", exact=True).first).to_be_visible()
    pdf = sco.request.get(sco.get_by_role("link", name="ITO (PDF)").get_attribute("href"))
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    screenshot(sco, "training-ito-issued")

    partner.reload()
    expect(partner.get_by_text("ITO issued", exact=True)).to_be_visible()
    assert "vetting" not in partner.content().lower()
    partner.goto("/training/")
    assert_accessible(partner, "partner training page")
    screenshot(partner, "training-partner")


def test_main_training_pages_are_accessible(page_as):
    page = page_as("sco.bandaria")
    for path in (
        "/training/",
        "/training/students/",
        "/training/courses/",
        "/training/plans/",
        "/training/reports/fmt/",
        "/training/students/nominate/",
        "/training/plans/new/",
        "/training/courses/import/",
        "/training/settings/",
    ):
        assert page.goto(path).ok
        assert_accessible(page, path)
    screenshot(page, "training-fmt")
    page.goto("/training/")
    screenshot(page, "training-dashboard")
    page.get_by_role("link", name=re.compile("Halvik")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Halvik"))).to_be_visible()
    page.wait_for_load_state("load")
    # Issue 14: why vetting is needed, the request's age and lapse date, cancel and resubmit.
    expect(page.locator("#vetting-need")).to_contain_text("Needed")
    expect(page.get_by_text("if unresolved", exact=False).first).to_be_visible()
    assert_accessible(page, "student")
    screenshot(page, "training-student")
    page.goto("/training/")
    page.get_by_role("link", name=re.compile("CETPP FY2027")).first.click()
    expect(page.get_by_role("heading", name=re.compile("CETPP FY2027"))).to_be_visible()
    page.wait_for_load_state("load")
    assert_accessible(page, "CETPP")
    screenshot(page, "training-cetpp")
    page.get_by_role("link", name=re.compile("Bandaria training plan")).first.click()
    expect(page.get_by_role("heading", name="Bandaria training plan FY2026–FY2029")).to_be_visible()
    page.wait_for_load_state("load")
    assert_accessible(page, "training plan")
    screenshot(page, "training-plan")
    page.goto("/training/courses/")
    page.get_by_role("link", name="D309001").click()
    expect(page.get_by_role("heading", name=re.compile("Civil-Military Relations"))).to_be_visible()
    page.wait_for_load_state("load")
    assert_accessible(page, "course")
