"""One verdict shape (ARCHITECTURE invariant 10): a rule's Finding, an action's Refused, the API's
400 with X-Rule, and every refusal id a rule or a section SPEC has (issue 11 §3, §6).
Pure: no database."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from secoop.core.api_plumbing import exception_handler
from secoop.core.verdicts import ISSUE_RULES
from secoop.core.verdicts import SPEC_RULES
from secoop.core.verdicts import SPEC_SECTIONS
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import refuse_if

pytestmark = pytest.mark.one_database

SRC = Path(__file__).resolve().parents[2] / "src" / "secoop"
# A rule id, a section id, or an old-style `§11-OED` id (none may remain).
RULE_ID = re.compile(r"^(R-[A-Z]+-\d+|SPEC-\S+|§\d+(?:[- ][\w()]+){0,3})$")


def test_refused_names_the_first_rule_and_puts_each_finding_under_its_field():
    refused = Refused(
        [
            Finding("R-FMS-04", "record the disclosure approval.", field="disclosure_approved_on"),
            Finding(
                "R-FMS-05", "choose a case manager.", "Pick one of the IA.", field="case_manager"
            ),
            Finding("SPEC-11-OED", "the OED has passed."),
        ]
    )
    assert refused.rule == "R-FMS-04"
    assert refused.message_dict == {
        "disclosure_approved_on": ["R-FMS-04: record the disclosure approval."],
        "case_manager": ["R-FMS-05: choose a case manager. Pick one of the IA."],
        NON_FIELD_ERRORS: ["SPEC-11-OED: the OED has passed."],
    }
    # `field=` puts every finding under the one input the form shows.
    one = Refused([Finding("R-TRN-08", "a"), Finding("R-TRN-06", "b")], "student")
    assert one.message_dict == {"student": ["R-TRN-08: a", "R-TRN-06: b"]}
    assert Refused(Finding("R-SEC-07", "say why.")).messages == ["R-SEC-07: say why."]


def test_refuse_if_raises_only_for_a_finding():
    refuse_if(None)
    refuse_if([None, None])
    with pytest.raises(Refused) as exc:
        refuse_if([None, Finding("R-PLN-09", "x", field="start_date")])
    assert exc.value.rule == "R-PLN-09" and exc.value.message_dict == {
        "start_date": ["R-PLN-09: x"]
    }


def test_the_api_answers_a_refusal_400_with_the_rule_in_x_rule():
    response = exception_handler(
        Refused(
            [Finding("R-FMS-03", "restate only while offered.", field="kind"), Finding("", "x")]
        ),
        {},
    )
    assert response.status_code == 400
    assert response["X-Rule"] == "R-FMS-03"
    assert response.data == {
        "kind": ["R-FMS-03: restate only while offered."],
        "non_field_errors": ["x"],
    }
    # Plain bad input that no rule names: a 400 without X-Rule.
    plain = exception_handler(Refused(Finding("", "choose the case.", field="case")), {})
    assert plain.status_code == 400 and "X-Rule" not in plain


def _rule_literals() -> list[tuple[str, int, str]]:
    """Every string literal in src/ shaped like a refusal id, and every literal first argument of
    Finding(…), with file and line."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if RULE_ID.match(node.value) and "\n" not in node.value and len(node.value) < 60:
                    found.append((str(path.relative_to(SRC)), node.lineno, node.value))
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Finding"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((str(path.relative_to(SRC)), node.lineno, node.args[0].value))
    return found


def test_every_refusal_id_in_the_code_is_a_rule_or_a_section_spec_has():
    literals = _rule_literals()
    assert len(literals) > 100, "the scan found the rule ids"
    unknown = [
        f"{where}:{line} {rule!r}"
        for where, line, rule in literals
        if rule and rule not in SPEC_RULES and rule not in SPEC_SECTIONS and rule not in ISSUE_RULES
    ]
    assert unknown == []
    # An issue's rule never takes an id SPEC has, or a family SPEC uses.
    spec_families = {r.rsplit("-", 1)[0] for r in SPEC_RULES}
    assert not {r.rsplit("-", 1)[0] for r in ISSUE_RULES if r.startswith("R-")} & spec_families


def _spec_beside_the_repository() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        spec = parent / "shared" / "domain" / "SPEC.md"
        if spec.is_file():
            return spec
    return None


def test_the_catalog_of_rule_and_section_ids_is_what_spec_says():
    spec = _spec_beside_the_repository()
    if spec is None:
        pytest.skip("shared/domain/SPEC.md is not beside this checkout")
    text = spec.read_text()
    assert set(re.findall(r"\bR-[A-Z]+-\d+\b", text)) == SPEC_RULES
    sections = dict(re.findall(r"^## (\d+)\. .*?\n(.*?)(?=^## |\Z)", text, re.M | re.S))
    facts_11 = {
        row.split("|")[1].strip() for row in sections["11"].splitlines() if row.startswith("| ")
    }
    for section_id in SPEC_SECTIONS:
        _, number, what = section_id.split("-", 2)
        what = what.replace("-", " ")
        if number == "11":
            assert what in facts_11, section_id
        else:
            assert re.search(rf"^{re.escape(what)}:", sections[number], re.M | re.I), section_id
