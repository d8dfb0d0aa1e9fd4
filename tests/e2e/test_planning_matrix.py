"""Browser test of the synchronization matrix (R-PLN-09): the CCMD desk officer opens the Bandaria
matrix, drags an activity that has a dependent, confirms, sees the dependent moved (server state),
downloads the XLSX and reads it back; axe-core finds no serious violation; the partner gets 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e

ASSESSMENT = "Border brigade capability assessment"
VETTING = "Human rights (Leahy) vetting of the border brigade"


def _results(payload):
    return payload["results"] if isinstance(payload, dict) else payload


def _bandaria_cscs(page) -> int:
    response = page.request.get("/api/v1/planning/country-plans/?country=XBN")
    assert response.ok, response.text()
    return next(cp["id"] for cp in _results(response.json()) if cp["version"] == 1)


def _activity(page, activity_id: int) -> dict:
    response = page.request.get(f"/api/v1/planning/activities/{activity_id}/")
    assert response.ok, response.text()
    return response.json()


def test_r_pln_09_planner_drags_an_activity_confirms_and_its_dependent_moves(
    page, signed_in_state, tmp_path
):
    sign_in(page, "ccmd.planner")
    signed_in_state.remember("ccmd.planner", page.context)
    pk = _bandaria_cscs(page)
    url = f"/planning/country-plans/{pk}/matrix/"
    assert page.goto(url).status == 200
    expect(page.get_by_role("heading", name="Synchronization matrix")).to_be_visible()
    expect(page.get_by_test_id("classification-top")).to_have_text("CUI//NOFORN")
    screenshot(page, "planning-matrix")
    assert_accessible(page, "planning-matrix")

    assess_id = int(page.locator("tr", has_text=ASSESSMENT).first.get_attribute("data-activity"))
    vetting_id = int(page.locator("tr", has_text=VETTING).first.get_attribute("data-activity"))
    before_assess, before_vetting = _activity(page, assess_id), _activity(page, vetting_id)

    # Drag the assessment about six weeks later: the vetting that depends on it must follow.
    body = page.locator(f'g.mx-bar[data-activity="{assess_id}"] rect.mx-bar__body')
    body.scroll_into_view_if_needed()
    box = body.bounding_box()
    ppd = float(page.locator("svg.mx").get_attribute("data-ppd"))
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20 * ppd, y, steps=4)
    page.mouse.move(x + 42 * ppd, y, steps=6)
    page.mouse.up()

    feedback = page.locator("#mx-feedback")
    expect(feedback.locator('[data-result="confirm"]')).to_be_visible()
    expect(feedback).to_contain_text(VETTING)
    # the dependent is shown where it would go, before anything is saved
    expect(page.locator(f'g.mx-bar[data-activity="{vetting_id}"]')).to_have_attribute(
        "transform", re.compile(r"translate\(\d")
    )
    screenshot(page, "planning-matrix-confirm")
    assert (
        _activity(page, vetting_id)["start_date"] == before_vetting["start_date"]
    )  # nothing moved yet

    feedback.get_by_role("button", name="Move all 2 activities").click()
    expect(page.get_by_text("1 dependent activity moved with it")).to_be_visible()

    after_assess, after_vetting = _activity(page, assess_id), _activity(page, vetting_id)
    assess_end = dt.date.fromisoformat(after_assess["end_date"])
    assert dt.date.fromisoformat(after_assess["start_date"]) > dt.date.fromisoformat(
        before_assess["start_date"]
    )
    assert dt.date.fromisoformat(after_vetting["start_date"]) == assess_end + dt.timedelta(days=1)
    old = dt.date.fromisoformat(before_vetting["end_date"]) - dt.date.fromisoformat(
        before_vetting["start_date"]
    )
    new = dt.date.fromisoformat(after_vetting["end_date"]) - dt.date.fromisoformat(
        after_vetting["start_date"]
    )
    assert old == new  # it keeps its duration
    screenshot(page, "planning-matrix-moved")

    with page.expect_download() as info:
        page.locator('a.mx-export[data-format="xlsx"]').click()
    path = tmp_path / "matrix.xlsx"
    info.value.save_as(path)
    from openpyxl import load_workbook

    ws = load_workbook(path)["Synchronization matrix"]
    assert ws["A1"].value == "CUI//NOFORN"
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and len(r) > 4}
    start = dt.date.fromisoformat(after_vetting["start_date"])
    assert rows[VETTING][4].startswith(f"{start.day} {start:%b %Y}")


def test_r_pln_09_keyboard_moves_a_bar_and_a_refusal_names_the_rule(page_as, server):
    page = page_as("ccmd.planner")
    pk = _bandaria_cscs(page)
    page.goto(f"/planning/country-plans/{pk}/matrix/")
    vetting_id = int(page.locator("tr", has_text=VETTING).first.get_attribute("data-activity"))
    bar = page.locator(f'g.mx-bar[data-activity="{vetting_id}"]')
    bar.focus()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")  # three months earlier: before the assessment ends
    page.keyboard.press("Enter")
    refused = page.locator('#mx-feedback [data-result="refused"]')
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("R-PLN-09")
    expect(refused).to_contain_text("Nothing was changed")
    expect(bar).not_to_have_attribute("transform", "translate(-66.6,0)")


def test_r_sec_03_partner_gets_404_on_the_matrix_and_its_exports(page_as):
    planner = page_as("ccmd.planner")
    pk = _bandaria_cscs(planner)
    partner = page_as("partner.bandaria")
    assert partner.goto(f"/planning/country-plans/{pk}/matrix/").status == 404
    for fmt in ("xlsx", "pdf"):
        assert partner.request.get(f"/planning/country-plans/{pk}/export/{fmt}/").status == 404
