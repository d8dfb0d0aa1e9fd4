"""Assessment's forms (issue 17): each page renders, creates through its action, and shows a
refusal with its rule id beside the field while saving nothing. One test per form: results,
indicators (reference sheet), periods (target by dimension), reporting an actual (evidence
file, disaggregation; a partner on what is released to it), evaluations (criteria), findings
(citations, R-AME-04) and lessons (R-AME-05)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secoop.assessment import actions
from secoop.assessment import models as m
from secoop.core.models import Document
from secoop.planning.models import Activity
from secoop.planning.models import IntermediateObjective

from .conftest import first_period
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date


def refused_on_page(client, url, data, *texts):
    """POST bad input: the form comes back (200) naming the rule, and nothing is saved."""
    before = snapshot_counts()
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    for text in texts:
        assert text in body, (text, errors_in(body))
    assert snapshot_counts() == before
    return body


def errors_in(body: str) -> list[str]:
    """The error texts of a page (the form's summary, the fields' and the flashed messages)."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", hit).split())
        for hit in re.findall(
            r'(?:role="(?:alert|status)"[^>]*>)(.*?)</(?:div|span)>', body, flags=re.DOTALL
        )
    ]


def parts(rows, prefix="parts"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, (dimension, category, amount) in enumerate(rows):
        data.update(
            {
                f"{prefix}-{i}-dimension": dimension,
                f"{prefix}-{i}-category": category,
                f"{prefix}-{i}-amount": amount,
            }
        )
    return data


def test_a_new_result_under_an_imo_and_one_that_names_no_parent_is_refused(login):
    client = login("ccmd.planner")
    imo = IntermediateObjective.objects.system().get(title__startswith="Border brigade patrols")
    imo_page = client.get(f"/planning/imos/{imo.pk}/").content.decode()
    assert f'href="/assessment/results/new/?imo={imo.pk}"' in imo_page  # from planning's page
    page = client.get("/assessment/results/new/", {"imo": imo.pk}).content.decode()
    assert f'<option value="{imo.pk}" selected>' in page and "New result" in page
    data = {
        "title": "Brigade logistics sustain night patrols",
        "result_type": "1",
        "owner_org": org("AFRICOM").pk,
        "country": "XBN",
        "marking": "CUI//NOFORN",
    }
    refused_on_page(
        client, "/assessment/results/new/", data, "Choose one campaign objective, IMO/outcome"
    )
    response = client.post("/assessment/results/new/", {**data, "imo": imo.pk})
    made = m.Result.objects.system().get(title="Brigade logistics sustain night patrols")
    assert response.status_code == 302 and made.imo_id == imo.pk
    assert login("partner.bandaria").get("/assessment/results/new/").status_code == 404


def test_item10_a_campaign_objectives_result_is_made_from_its_page_for_one_parent_only(login):
    client = login("ccmd.planner")
    imo = IntermediateObjective.objects.system().get(title__startswith="Border brigade patrols")
    end_state = imo.end_state
    page = client.get(f"/assessment/campaign-objectives/{end_state.pk}/").content.decode()
    assert f'href="/assessment/results/new/?end_state={end_state.pk}"' in page
    form = client.get("/assessment/results/new/", {"end_state": end_state.pk}).content.decode()
    assert f'<option value="{end_state.pk}" selected>' in form
    data = {
        "title": "Trafficking along the frontier falls",
        "result_type": "3",
        "owner_org": org("AFRICOM").pk,
        "country": "XBN",
        "marking": "CUI//NOFORN",
        "end_state": end_state.pk,
    }
    refused_on_page(
        client, "/assessment/results/new/", {**data, "imo": imo.pk}, "Choose one campaign"
    )
    assert client.post("/assessment/results/new/", data).status_code == 302
    made = m.Result.objects.system().get(title="Trafficking along the frontier falls")
    assert made.end_state_id == end_state.pk and made.imo_id is None
    assert (
        made.title
        in client.get(f"/assessment/campaign-objectives/{end_state.pk}/").content.decode()
    )


def test_r_ame_02_a_new_indicator_needs_its_reference_sheet_then_is_edited(login, outcome):
    client = login("sco.bandaria")
    page = client.get("/assessment/indicators/new/", {"result": outcome.pk}).content.decode()
    for label in ("MOP or MOE", "Definition", "Direction", "Data source", "Roll-up method"):
        assert label in page
    data = {
        "result": outcome.pk,
        "title": "Border posts manned at night",
        "kind": "MOP",
        "measure_type": "1",
        "direction": "ascending",
        "frequency": "3",
        "roll_up": "latest",
        "owner_org": org("SCO Bandaria").pk,
        "marking": "CUI//REL TO USA, XBN",
        "definition": "",
        "unit": "",
    }
    body = refused_on_page(client, "/assessment/indicators/new/", data, "R-AME-02")
    assert "has no definition" in body and "needs its unit" in body
    data.update(definition="Posts with a night shift on the roster", unit="posts")
    assert client.post("/assessment/indicators/new/", data).status_code == 302
    made = m.Indicator.objects.system().get(title="Border posts manned at night")
    assert made.country_id == "XBN" and made.unit == "posts"
    edit = f"/assessment/indicators/{made.pk}/edit/"
    assert "Edit Border posts manned at night" in client.get(edit).content.decode()
    response = client.post(
        edit, {**data, "data_source": "Brigade rosters", "result": "", "reason": "source"}
    )
    made.refresh_from_db()
    assert response.status_code == 302 and made.data_source == "Brigade rosters"


def test_a_new_period_with_its_target_by_dimension_outside_the_activity_is_refused(login, wells):
    client = login("sco.bandaria")
    url = f"/assessment/indicators/{wells.pk}/periods/new/"
    page = client.get(url).content.decode()
    assert "The target by dimension" in page and 'value="wells"' in page
    data = {
        "period_start": "2027-04-01",
        "period_end": "2027-04-30",
        "target": "2",
        "target_unit": "wells",
        "marking": "UNCLASSIFIED",
        **parts([("district", "Kessa", "1"), ("district", "Tamar", "1")]),
    }
    refused_on_page(client, url, data, "R-AME-02", "outside the activity&#x27;s dates")
    # The periods cover the whole activity: shorten the last one, then add March.
    last = m.Period.objects.system().filter(indicator=wells).order_by("-period_start").first()
    edit = client.post(
        f"/assessment/periods/{last.pk}/edit/",
        {
            "period_start": "2026-12-01",
            "period_end": "2027-02-28",
            "target": "8",
            "target_unit": "wells",
            "marking": "UNCLASSIFIED",
            **parts([("district", "Kessa", "5"), ("district", "Tamar", "3")]),
        },
    )
    assert edit.status_code == 302
    ok = {**data, "period_start": "2027-03-01", "period_end": "2027-03-31"}
    refused_on_page(
        client,
        url,
        {**ok, "target_unit": "%"},
        "target is in %, but this indicator is counted in wells",
    )
    assert client.post(url, ok).status_code == 302
    made = m.Period.objects.system().get(indicator=wells, period_start=D(2027, 3, 1))
    assert sorted(
        (d.category, d.amount) for d in m.Disaggregation.objects.system().filter(period=made)
    ) == [("Kessa", Decimal(1)), ("Tamar", Decimal(1))]


def test_reporting_an_actual_with_evidence_and_disaggregation_and_a_non_numeric_value(
    login, wells, coordination
):
    client = login("sco.bandaria")
    url = f"/assessment/indicators/{wells.pk}/report/"
    assert "The actual by dimension" in client.get(url).content.decode()
    period = first_period(wells)
    data = {"period": period.pk, "value": "a few", "narrative": "Recount", **parts([])}
    refused_on_page(client, url, data, "R-AME-02", "is not a number")
    bad_row = {**data, "value": "3", **parts([("district", "", "1")])}
    refused_on_page(client, url, bad_row, "row 1 needs its dimension and its category")
    response = client.post(
        url,
        {
            **data,
            "value": "3",
            **parts([("district", "Kessa", "2"), ("district", "Tamar", "1")]),
            "evidence_title": "Handover certificate",
            "evidence_file": SimpleUploadedFile(
                "certificate.pdf", b"%PDF-1.4 certificate", content_type="application/pdf"
            ),
        },
    )
    update = m.Update.objects.system().filter(period=period).order_by("-pk").first()
    assert response.status_code == 302 and response.url == update.get_absolute_url()
    assert update.value == Decimal(3) and update.status == "draft"
    assert m.Disaggregation.objects.system().filter(update=update).count() == 2
    evidence = Document.objects.system().get(title="Handover certificate")
    assert evidence.attached_to == update and evidence.marking == update.marking
    # The partner reports on an indicator released to it, on the same page.
    partner = login("partner.bandaria")
    cell = m.Period.objects.system().get(indicator=coordination)
    page = partner.get(coordination.get_absolute_url()).content.decode()
    assert "Report an actual" in page
    assert (
        partner.post(
            f"/assessment/indicators/{coordination.pk}/report/",
            {"period": cell.pk, "value": "2", "narrative": "Cell met twice."},
        ).status_code
        == 302
    )
    assert m.Update.objects.system().filter(period=cell, owner_org=org("Bandaria MoD")).exists()


def test_r_ame_01_the_report_page_says_why_before_the_baseline(login, coordination):
    fresh = m.Indicator(
        result_id=coordination.result_id,
        title="Joint patrols planned",
        kind="MOP",
        unit="patrols",
        definition="Joint patrols on the plan",
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
    )
    fresh.marking = coordination.marking
    fresh = actions.create_indicator(person("sco.bandaria"), fresh)
    period = m.Period(
        indicator=fresh, period_start=D(2026, 11, 17), period_end=D(2026, 11, 19), target=2
    )
    period.marking = fresh.marking
    actions.add_period(person("sco.bandaria"), period)
    client = login("sco.bandaria")
    url = f"/assessment/indicators/{fresh.pk}/report/"
    assert 'data-testid="baseline-first"' in client.get(url).content.decode()
    refused_on_page(client, url, {"period": period.pk, "value": "1"}, "R-AME-01", "no baseline")


def test_an_update_is_edited_while_a_draft(login, wells):
    officer = person("sco.bandaria")
    update = actions.enter_update(officer, first_period(wells), "4")
    client = login("sco.bandaria")
    url = f"/assessment/updates/{update.pk}/edit/"
    assert "Edit update" in client.get(update.get_absolute_url()).content.decode()
    refused_on_page(client, url, {"value": "many", "narrative": ""}, "Enter a number")
    assert client.post(url, {"value": "5", "narrative": "recount"}).status_code == 302
    update.refresh_from_db()
    assert update.value == Decimal(5)
    actions.submit_update(officer, update)
    body = refused_on_page(client, url, {"value": "6", "narrative": "again"}, "R-AME-02")
    assert "can no longer be changed" in body


def test_r_ame_04_a_new_evaluation_with_its_criteria_then_findings_then_completion(login):
    client = login("ccmd.planner")
    talks = Activity.objects.system().get(title="Interagency staff talks on border security")
    page = client.get("/assessment/evaluations/new/", {"activity": talks.pk}).content.decode()
    assert "Criteria judged" in page and f'<option value="{talks.pk}" selected>' in page
    data = {
        "title": "Final evaluation of the staff talks",
        "kind": "final",
        "activity": talks.pk,
        "criteria": ["relevance", "effectiveness"],
        "plan": "Interviews with both ministries.",
        "due_on": "2027-06-30",
        "owner_org": org("AFRICOM").pk,
        "country": "XBN",
        "marking": "CUI//NOFORN",
    }
    refused_on_page(
        client, "/assessment/evaluations/new/", {**data, "due_on": ""}, "This field is required"
    )
    assert client.post("/assessment/evaluations/new/", data).status_code == 302
    evaluation = m.Evaluation.objects.system().get(title="Final evaluation of the staff talks")
    assert evaluation.criteria == ",relevance,effectiveness,"
    url = f"/assessment/evaluations/{evaluation.pk}/findings/new/"
    page = client.get(url).content.decode()
    assert "Updates cited" in page and "Documents cited" in page
    assert 'value="impact"' not in page  # only the planned criteria
    finding = {
        "criterion": "relevance",
        "statement": "The talks address the plan's first IMO.",
        "marking": "CUI//NOFORN",
    }
    assert client.post(url, finding).status_code == 302  # cites nothing yet
    actions.start_evaluation(person("ccmd.planner"), evaluation)
    done = client.post(
        f"/assessment/evaluations/{evaluation.pk}/do/complete/",
        {"recommended_adjustments": "Hold them twice a year."},
        follow=True,
    ).content.decode()
    assert "cite no evidence" in done and "No finding judges effectiveness" in done, errors_in(done)
    document = Document.objects.visible_to(person("ccmd.planner")).filter(country_id="XBN")[0]
    effectiveness = {
        **finding,
        "criterion": "effectiveness",
        "statement": "Both ministries now share patrol plans.",
        "documents": [document.pk],
    }
    assert client.post(url, effectiveness).status_code == 302
    bare = m.EvaluationFinding.objects.system().get(evaluation=evaluation, criterion="relevance")
    evidence = f"/assessment/findings/{bare.pk}/evidence/"
    refused_on_page(client, evidence, {"cited_data": ""}, "Nothing to cite was given")
    assert client.post(evidence, {"documents": [document.pk]}).status_code == 302
    client.post(
        f"/assessment/evaluations/{evaluation.pk}/do/complete/",
        {"recommended_adjustments": "Hold them twice a year."},
    )
    evaluation.refresh_from_db()
    assert evaluation.status == "completed"


def test_r_ame_05_a_lesson_from_an_evaluation_with_tags_then_edited(login):
    client = login("ccmd.planner")
    evaluation = m.Evaluation.objects.system().get(
        title__startswith="Mid-term evaluation of the border"
    )
    url = "/assessment/lessons/new/"
    page = client.get(url, {"evaluation": evaluation.pk}).content.decode()
    assert f'<option value="{evaluation.pk}" selected>' in page
    data = {
        "title": "Brief the ministry before each patrol season",
        "kind": "lesson",
        "observation": "Patrol plans reached the ministry late.",
        "recommendation": "",
        "tags": "Border, briefing",
        "evaluation": evaluation.pk,
        "owner_org": org("AFRICOM").pk,
        "country": "XBN",
        "marking": "CUI//NOFORN",
    }
    refused_on_page(client, url, data, "This field is required")
    assert client.post(url, {**data, "recommendation": "Brief in August."}).status_code == 302
    lesson = m.Lesson.objects.system().get(title=data["title"])
    assert lesson.tag_list == ["border", "briefing"]
    edit = f"/assessment/lessons/{lesson.pk}/edit/"
    assert 'value="border, briefing"' in client.get(edit).content.decode()
    client.post(edit, {**data, "recommendation": "Brief in August.", "tags": "border, logistics"})
    lesson.refresh_from_db()
    assert lesson.tag_list == ["border", "logistics"]


def test_r_sec_01_a_form_page_is_marked_by_the_records_its_choices_name(login):
    """The indicator form lists the results the planner may see, NOFORN ones among them: the
    banner covers them, though the new record itself is not yet marked."""
    from tests.core.test_views import banner

    assert m.Result.objects.system().filter(dissemination="NOFORN").exists()
    page = login("ccmd.planner").get("/assessment/indicators/new/")
    assert page.status_code == 200 and banner(page) == "CUI//NOFORN"
