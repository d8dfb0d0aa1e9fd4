"""Browser test of end-use monitoring (issue 18 item 9): the SCO records the overdue initial
inventory of Bandaria's second lot of night vision devices with one serial not found (ticked,
typed, and a typed serial not on the list refused before it counts), and sees the possible
violation open; the partner sees its status, never the investigation notes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_an_inventory_with_a_missing_serial_opens_a_possible_violation(page_as):
    sco = page_as("sco.bandaria")
    sco.goto("/")
    expect(sco.get_by_text("Initial serial-number inventory").first).to_be_visible()
    sco.goto("/eum/")
    expect(sco.get_by_test_id("eum-dues").first).to_be_visible()
    assert_accessible(sco, "eum-index")
    sco.goto("/eum/articles/?q=second+lot")
    assert_accessible(sco, "eum-articles")
    sco.get_by_role("link", name="AN/PVS-14 monocular night vision device (second lot)").click()
    expect(sco.locator('[data-testid="serial"]')).to_have_count(4)
    sco.get_by_test_id("record-inventory").click()
    assert_accessible(sco, "eum-checklist")
    sco.locator("#id_kind").select_option("initial")
    sco.locator("#id_checked_by").fill("SCO EUM officer with the coast guard S4")
    sco.get_by_text("NVD-000201", exact=True).click()  # the USWDS checkbox: its label
    sco.get_by_text("NVD-000202", exact=True).click()
    # A serial typed (or scanned) is checked against the expected list before it counts.
    entry = sco.locator("#scan-entry")
    entry.fill("NVD-999999")
    entry.press("Enter")
    expect(sco.locator("#scan-feedback")).to_contain_text("not on this article's expected list")
    entry.fill("nvd-000203")
    entry.press("Enter")
    expect(sco.locator("#scan-feedback")).to_contain_text("Confirm it matches")
    sco.get_by_role("button", name="Confirm").click()
    expect(sco.get_by_label("NVD-000203")).to_be_checked()
    screenshot(sco, "eum-checklist-filled")
    sco.get_by_test_id("record-check").click()
    expect(sco.get_by_text("1 serial(s) missing")).to_be_visible()
    expect(sco.get_by_text("NVD-000204").first).to_be_visible()

    sco.goto("/eum/violations/?q=NVD-000204")
    sco.get_by_role("link", name="Serial NVD-000204", exact=False).first.click()
    expect(sco.get_by_test_id("violation-status")).to_have_text("Opened")
    note = sco.locator('form[action$="/investigate/"] textarea[name="note"]')
    note.fill("Coast guard armory log checked; search ordered.")
    sco.locator('form[action$="/investigate/"] button[type="submit"]').click()
    expect(sco.get_by_test_id("violation-status")).to_have_text("Investigated locally")
    screenshot(sco, "eum-violation")
    assert_accessible(sco, "eum-violation")
    url = sco.url

    partner = page_as("partner.bandaria")
    partner.goto(url)
    expect(partner.get_by_test_id("violation-status")).to_have_text("Investigated locally")
    expect(partner.get_by_text("search ordered")).to_have_count(0)


# WCAG 2.2 SC 2.5.8 (target size, minimum): 24 by 24 CSS pixels.
MIN_TARGET_PX = 24


def test_the_inventory_checklist_works_on_a_phone(page_as):
    """Issue 18: the checklist is filled at the storage site on a phone: nothing scrolls sideways,
    every checkbox and button is large enough to tap, and a serial is ticked and one typed."""
    sco = page_as("sco.bandaria")
    sco.set_viewport_size({"width": 390, "height": 844})
    sco.goto("/eum/articles/?q=second+lot")
    sco.get_by_role("link", name="AN/PVS-14 monocular night vision device (second lot)").click()
    sco.get_by_test_id("record-inventory").click()
    expect(sco.locator("#scan-entry")).to_be_visible()

    overflow = sco.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the checklist scrolls sideways by {overflow}px on a 390px-wide phone"

    # A USWDS checkbox is tapped on its label (the input itself is visually hidden).
    targets = sco.locator(
        ".secoop-checklist .usa-checkbox__label, .secoop-checklist button:visible"
    )
    assert targets.count() >= 6  # four serials, record, import
    small = []
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        if box["width"] < MIN_TARGET_PX or box["height"] < MIN_TARGET_PX:
            small.append((targets.nth(i).inner_text(), box["width"], box["height"]))
    assert not small, f"targets smaller than {MIN_TARGET_PX}px on a phone: {small}"

    sco.get_by_text("NVD-000201", exact=True).click()
    expect(sco.get_by_label("NVD-000201")).to_be_checked()
    entry = sco.locator("#scan-entry")
    entry.fill("nvd-000202")
    entry.press("Enter")
    expect(sco.locator("#scan-feedback")).to_contain_text("Confirm it matches")
    confirm = sco.get_by_role("button", name="Confirm")
    box = confirm.bounding_box()
    assert box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX
    confirm.click()
    expect(sco.get_by_label("NVD-000202")).to_be_checked()
    expect(sco.get_by_label("NVD-000203")).not_to_be_checked()
    assert sco.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the checklist scrolls sideways once the confirmation shows"
    screenshot(sco, "eum-checklist-phone")
    assert_accessible(sco, "eum-checklist (phone)")
