"""The product in a real browser: logon through the consent banner, access rules as users see them
(R-SEC-01..03), the lockout message (R-SEC-07), live marking feedback (htmx), and accessibility
(axe-core, Section 508 / WCAG 2.1 AA) on every main page."""

from __future__ import annotations

import hashlib
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DEMO_USERS
from .conftest import screenshot
from .conftest import sign_in

pytestmark = pytest.mark.e2e

SECRET_DOC = "Regional threat assessment: Bandaria frontier"  # SECRET//NOFORN
CONFIDENTIAL_DOC = "Bandaria border incident summary"  # CONFIDENTIAL//REL TO USA, XBN
NOFORN_DOCS = [
    "Partner capability assessment: border security (internal)",  # CUI//NOFORN
    "AFRICOM campaign plan extract: Bandaria country objectives",  # CUI//NOFORN
    SECRET_DOC,
]
PARTNER_DOC = "Request for information: coastal patrol boats"  # CUI//REL TO USA, XBN
INDUSTRY_DOC = "Marketing visit synopsis: Meridian coastal surveillance radar"  # CUI


def banners(page) -> tuple[str, str]:
    top = page.get_by_test_id("classification-top")
    bottom = page.get_by_test_id("classification-bottom")
    expect(top).to_be_visible()
    bottom.scroll_into_view_if_needed()
    expect(bottom).to_be_visible()
    return top.inner_text().strip(), bottom.inner_text().strip()


def document_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("table tbody tr td:first-child a").all_inner_texts()]


# --- logon ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_user_signs_in_through_the_consent_banner(
    page, context, signed_in_state, username
):
    """R-SEC-08: the notice and consent banner comes first; then the form; then the home page."""
    page.goto("/login/")
    expect(page.get_by_role("heading", name="Notice and consent")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_count(0)  # no logon form before consent
    sign_in(page, username, go=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you today")
    top, bottom = banners(page)
    assert top, "the classification banner is empty"
    assert top == bottom
    screenshot(page, f"home-{username}")
    signed_in_state.remember(username, context)


def test_wrong_password_says_what_to_do(page):
    """R-SEC-07: the error names the lockout threshold; one failure does not lock the account."""
    from secoop.core.auth import REFUSED

    sign_in(page, "state.pm", "not-the-password-at-all", expect_home=False)
    error = page.get_by_test_id("logon-error")
    expect(error).to_have_text(REFUSED.format(n=3, m=15))
    expect(page.get_by_label("Username")).to_have_value("state.pm")
    screenshot(page, "login-error")


def test_sign_out_returns_to_the_logon_page(page):
    sign_in(page, "case.manager")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")
    page.goto("/documents/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/documents/$"))


# --- access, as the browser shows it (R-SEC-01..03) -------------------------------------------------


def test_secret_cleared_sco_sees_the_secret_assessment(page_as):
    page = page_as("sco.bandaria")
    page.goto("/documents/")
    titles = document_titles(page)
    assert SECRET_DOC in titles
    assert CONFIDENTIAL_DOC in titles
    assert banners(page) == ("SECRET//NOFORN", "SECRET//NOFORN")
    screenshot(page, "documents-sco.bandaria")


def test_uncleared_administrator_sees_no_classified_document(page_as):
    """Administration is a role, not a clearance (R-SEC-01)."""
    page = page_as("admin")
    page.goto("/documents/")
    titles = document_titles(page)
    assert titles, "admin should still see unclassified and CUI documents"
    assert SECRET_DOC not in titles
    assert CONFIDENTIAL_DOC not in titles
    top, bottom = banners(page)
    assert not top.startswith(("SECRET", "CONFIDENTIAL")) and top == bottom


def test_partner_sees_what_is_released_to_bandaria_only(page_as):
    """R-SEC-03: the partner sees its own RFI, never the SCO's internal assessment."""
    page = page_as("partner.bandaria")
    page.goto("/documents/")
    titles = document_titles(page)
    assert PARTNER_DOC in titles
    for title in NOFORN_DOCS:
        assert title not in titles
    top, bottom = banners(page)
    assert "NOFORN" not in top and top == bottom
    assert "NOFORN" not in page.locator("main").inner_text()
    screenshot(page, "documents-partner.bandaria")


def test_locally_employed_staff_without_laa_see_nothing_classified_or_noforn(page_as):
    """R-SEC-02: LE staff (citizens of XBN) without a Limited Access Authorization."""
    page = page_as("le.staff")
    page.goto("/documents/")
    titles = document_titles(page)
    assert titles
    assert CONFIDENTIAL_DOC not in titles
    for title in NOFORN_DOCS:
        assert title not in titles
    markings = page.locator("table tbody .secoop-marking").all_inner_texts()
    assert markings and not any(
        m.startswith(("CONFIDENTIAL", "SECRET")) or "NOFORN" in m for m in markings
    )
    top, _ = banners(page)
    assert "NOFORN" not in top and not top.startswith(("CONFIDENTIAL", "SECRET"))


def test_industry_representative_sees_only_their_own_synopsis(page_as):
    page = page_as("industry.rep")
    page.goto("/documents/")
    assert document_titles(page) == [INDUSTRY_DOC]
    expect(page.get_by_test_id("list-count")).to_have_text(re.compile(r"^\s*1 record\b"))


def test_a_record_the_user_may_not_see_is_not_found(page_as):
    """The SECRET document's own page answers 404 to an uncleared user, as if it did not exist."""
    sco = page_as("sco.bandaria")
    sco.goto("/documents/")
    href = sco.get_by_role("link", name=SECRET_DOC).get_attribute("href")
    admin = page_as("admin")
    response = admin.goto(href)
    assert response.status == 404
    assert SECRET_DOC not in admin.content()


# --- forms: live rule feedback (htmx) ----------------------------------------------------------------


def test_marking_field_gives_live_feedback_with_the_rule_id(page_as):
    page = page_as("sco.bandaria")
    page.goto("/documents/new/")
    marking = page.locator("#id_marking")
    feedback = page.locator("#marking-feedback")

    def type_marking(text: str) -> None:
        marking.fill(text)
        marking.press("End")  # a keyup: htmx listens for "keyup changed"

    type_marking("CUI//REL TO USA, XYZ")
    expect(feedback).to_contain_text("R-SEC-01")
    expect(feedback).to_contain_text("Unknown country code XYZ")
    screenshot(page, "document-form-feedback")

    type_marking("TOP SECRET")
    expect(feedback).to_contain_text("Unknown classification 'TOP SECRET'")

    type_marking("secret//rel to xbn, usa")
    expect(feedback).to_have_text("Reads as SECRET//REL TO USA, XBN")


def test_a_document_made_in_the_form_carries_its_marking_to_the_banner(page_as):
    """Create through the form; the detail page's banners take the new record's marking, and a
    partner cannot open a NOFORN record (R-SEC-01, R-SEC-03, R-SEC-04)."""
    page = page_as("sco.bandaria")
    page.goto("/documents/new/")
    page.locator("#id_marking").fill("CUI//NOFORN")
    page.get_by_label("Title").fill("Browser-made note on patrol boat sustainment")
    page.get_by_label("Owning organization").select_option(label="SCO Bandaria")
    page.get_by_label("Reason").fill("made by the browser test")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Browser-made note on patrol boat sustainment"
    )
    assert banners(page) == ("CUI//NOFORN", "CUI//NOFORN")
    expect(page.get_by_role("status")).to_contain_text("Saved")
    screenshot(page, "document-created")
    page.get_by_role("link", name=re.compile(r"^History")).click()
    expect(page.locator("table")).to_contain_text("made by the browser test")
    detail = page.url.split("?")[0]

    partner = page_as("partner.bandaria")
    assert partner.goto(detail).status == 404


# --- accessibility: axe-core on every main page ------------------------------------------------------


@pytest.fixture(scope="package")
def record_urls(signed_in_pages) -> dict[str, str]:
    """Paths of the records the accessibility checks visit, found once by following links."""
    page = signed_in_pages("sco.bandaria")

    def link(list_path: str, name: str | None = None) -> str:
        page.goto(list_path)
        if name is None:
            return page.locator("table tbody tr td:first-child a").first.get_attribute("href")
        return page.get_by_role("link", name=name, exact=True).first.get_attribute("href")

    return {
        "organization": link(
            "/organizations/?q=Bandaria",
            "Office of Security Cooperation, U.S. Embassy Bandaria",
        ),
        "translation": link(
            "/documents/", "Informal translation: Bandaria defence white paper 2026"
        ),
        "secret": link("/documents/", SECRET_DOC),
        "person": link("/people/", "le.staff"),
        "change": link("/changes/"),
    }


PAGES = {
    "home": "/",
    "rules": "/rules/",
    "api-docs": "/api/docs/",
    "api-root": "/api/v1/",
    "organizations": "/organizations/",
    "organization-overview": "{organization}?tab=overview",
    "organization-related": "{organization}?tab=related",
    "organization-documents": "{organization}?tab=documents",
    "organization-history": "{organization}?tab=history",
    "organization-form": "/organizations/new/",
    "countries": "/countries/",
    "country-detail": "/countries/XBN/",
    "documents": "/documents/",
    "document-detail": "{translation}",
    "document-history": "{secret}?tab=history",
    "document-form": "/documents/new/",
    "people": "/people/",
    "person-detail": "{person}",
    "changes": "/changes/",
    "change-detail": "{change}",
    "notifications": "/notifications/?to=all",
}


def _serious(results) -> list[dict]:
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


# What axe-core reads of a page, without the records' words: each element's tag, its attributes
# (values kept, except those that name or label a record: for those only whether they are empty),
# whether it holds text, and the viewport's width; a run of identical siblings (table rows, list
# items) counts once. Two loads of one template in one state (the same list with other rows, the
# same form again) give the same shape; a new state (a dialog, a message, a refusal, another
# column) gives another.
PAGE_SHAPE = """() => {
  const worded = new Set(["id", "for", "href", "src", "action", "name", "value", "title", "alt",
    "placeholder", "aria-label", "aria-labelledby", "aria-describedby", "aria-controls",
    "aria-valuenow", "aria-valuetext", "data-id", "hx-get", "hx-post", "hx-vals", "datetime"]);
  const shape = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data.trim() ? "#" : "";
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    let own = node.tagName;
    for (const a of [...node.attributes].sort((x, y) => (x.name < y.name ? -1 : 1))) {
      own += " " + a.name + (worded.has(a.name) ? (a.value.trim() ? "+" : "-") : "=" + a.value);
    }
    const kids = [];
    for (const child of node.childNodes) {
      const s = shape(child);
      if (s && s !== kids[kids.length - 1]) kids.push(s);
    }
    return "<" + own + ">" + kids.join("") + "</>";
  };
  return window.innerWidth + shape(document.documentElement);
}"""
AXE = Axe()
_CHECKED: dict[str, list[dict]] = {}  # page shape -> its serious violations
AXE_RUNS = {"run": 0, "same shape": 0}


def assert_accessible(page, name: str) -> None:
    """axe-core finds no serious or critical violation. A page whose shape (PAGE_SHAPE) was
    checked before in this run is not checked again: the answer would be the same."""
    shape = hashlib.sha256(page.evaluate(PAGE_SHAPE).encode()).hexdigest()
    if shape in _CHECKED:
        AXE_RUNS["same shape"] += 1
    else:
        AXE_RUNS["run"] += 1
        _CHECKED[shape] = _serious(AXE.run(page))
    serious = _CHECKED[shape]
    assert not serious, (
        f"axe-core found serious or critical violations on {name} ({page.url}):\n{_report(serious)}"
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_main_pages_are_accessible(page_as, record_urls, name):
    page = page_as("sco.bandaria")
    path = PAGES[name].format(**record_urls)
    response = page.goto(path)
    assert response.status == 200, f"{name}: {path}"
    screenshot(page, name)
    assert_accessible(page, name)


@pytest.mark.parametrize("step", ["consent", "login"])
def test_logon_pages_are_accessible(page, step):
    page.goto("/login/")
    if step == "login":
        page.get_by_role("button", name="I have read and consent to these terms").click()
        expect(page.get_by_label("Username")).to_be_visible()
    screenshot(page, step)
    assert_accessible(page, step)


def test_document_list_is_accessible_on_a_phone(browser, server, signed_in_state):
    ctx = browser.new_context(
        base_url=server,
        storage_state=signed_in_state("sco.bandaria"),
        viewport={"width": 390, "height": 844},
    )
    try:
        page = ctx.new_page()
        page.goto("/documents/")
        screenshot(page, "documents-mobile")
        assert_accessible(page, "documents (mobile)")
    finally:
        ctx.close()
