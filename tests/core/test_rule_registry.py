"""The rule registry and its pages (issue 12 item 4): every rule id the code raises or a page shows
has an entry and a page at /rules/<id>/ that states it in plain words, with its sources, the dated
facts it reads and where the product enforces it; rule ids are shown as small links after plain
words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context
from django.template import Template
from django.urls import reverse
from django.utils.html import escape

from secoop.core import rule_registry
from secoop.core.verdicts import SPEC_RULES
from secoop.core.verdicts import SPEC_SECTIONS
from secoop.core.verdicts import Finding
from tests.core.test_verdicts import _rule_literals

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "secoop"


def _ids_in_templates() -> set[str]:
    return {
        rule_id
        for path in SRC.rglob("*.html")
        for rule_id in rule_registry.ID_IN_TEXT.findall(path.read_text())
    }


def _ids_the_code_names() -> set[str]:
    return {rule for _, _, rule in _rule_literals() if rule} | _ids_in_templates()


def test_every_rule_and_section_spec_has_is_in_the_registry():
    registry = rule_registry.registry()
    assert SPEC_RULES | set(SPEC_SECTIONS) <= set(registry)
    for rule in registry.values():
        assert rule.title and rule.statement.endswith("."), rule.id
        assert not rule.title.startswith(("R-", "SPEC-")), rule.id
        assert rule.sources, f"{rule.id} names no source"


def test_every_rule_id_the_code_raises_has_an_entry_and_a_page(login):
    ids = _ids_the_code_names()
    assert len(ids) > 40, "the scan found the rule ids"
    assert sorted(ids - set(rule_registry.registry())) == []
    client = login("sco.bandaria")
    for rule_id in sorted(ids):
        response = client.get(reverse("rule-detail", args=[rule_id]))
        assert response.status_code == 200, rule_id
        assert escape(rule_registry.get(rule_id).title) in response.content.decode()


def test_r_trn_08_page_states_the_rule_its_source_its_facts_and_where_it_is_enforced(login):
    body = login("sco.bandaria").get("/rules/R-TRN-08/").content.decode()
    assert "Invitational Travel Order" in body
    assert "SAMM C2.1.6.8" in body and "Security Assistance Management Manual" in body
    # the medical window in force, with its effective date (a dated fact, not a literal)
    assert "trn-medical-window-months" not in body
    facts = re.search(r'data-testid="rule-facts">(.*?)</table>', body, re.S).group(1)
    assert "months" in facts and "from " in facts
    actions = re.search(r'data-testid="rule-actions">(.*?)</ul>', body, re.S).group(1)
    assert "Issue an ITO" in actions and "SCO" in actions


def test_section_ids_have_pages_with_their_dated_facts(login):
    body = login("case.manager").get(reverse("rule-detail", args=["SPEC-11-OED"])).content.decode()
    assert "Offer expiration date" in body and "85" in body
    assert escape("Move a case's milestones") in body


@pytest.mark.parametrize(
    "username", ["admin", "partner.bandaria", "le.staff", "industry.rep", "security.officer"]
)
def test_rule_pages_are_public_text_for_every_signed_in_user(login, username):
    client = login(username)
    index = client.get("/rules/")
    page = client.get("/rules/R-TRN-06/")
    assert index.status_code == page.status_code == 200
    assert b'href="/rules/R-TRN-06/"' in index.content
    # no marked record on the page: the banner is the lowest there is
    assert b"NOFORN" not in page.content and b"REL TO" not in page.content


def test_rule_pages_need_a_sign_in(client):
    assert client.get("/rules/R-TRN-06/").status_code == 302
    assert client.get("/rules/").status_code == 302


def test_an_unknown_rule_is_a_404(login):
    assert login("sco.bandaria").get("/rules/R-XYZ-99/").status_code == 404


def test_rule_text_leads_with_plain_words_and_links_the_rule():
    html = Template(
        "{% load secoop %}{% rule_text f %}|{% rule_text s %}|{% rule_text p %}"
    ).render(
        Context(
            {
                "f": Finding("R-TRN-06", "the student is not vetted.", "Request vetting."),
                "s": "SPEC-11-OED: the OED has passed.",
                "p": "choose the case.",
            }
        )
    )
    first, second, plain = html.split("|")
    assert first.startswith("The student is not vetted. Request vetting. <a")
    assert 'href="/rules/R-TRN-06/"' in first and ">R-TRN-06</a>" in first
    assert second.startswith("The OED has passed. <a") and "/rules/SPEC-11-OED/" in second
    assert plain == "Choose the case."
    # a rule named in the prose of a message becomes its link too
    prose = Template("{% load secoop %}{% rule_text m %}").render(
        Context({"m": "ITO issued (R-TRN-08)."})
    )
    assert prose.startswith("ITO issued <a") and 'href="/rules/R-TRN-08/"' in prose


def test_no_page_template_shows_an_old_section_code():
    """`§11-OED`, `§11 AOD`: the ids issue 12 item 4 saw on cards and labels."""
    offending = [
        f"{p.relative_to(SRC)}"
        for p in SRC.rglob("*.html")
        if re.search(r'class="secoop-rule">§', p.read_text())
    ]
    assert offending == []


def test_where_a_rule_is_enforced_follows_aliases_and_actions_named_without_a_call():
    """cases and eum write through `_write = core.apply_change` (R-SEC-01, R-SEC-10 in the core
    action); analysis runs its steps from a dict of actions; planning's actions call each other
    in cycles. Each still lists what it enforces."""
    writing = {spec.name for spec in rule_registry.enforcement("R-SEC-10").actions}
    assert {
        "secoop.cases.actions.validate_lor",
        "secoop.eum.actions.sign_off_review",
        "secoop.planning.actions.start_activity",
    } <= writing
    pages = {name for _, name in rule_registry.enforcement("R-CBA-03").pages}
    assert "analysis-transition" in pages
