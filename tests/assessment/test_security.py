"""What an outside assessor probed in assessment on 4 Dec 2026 (security review; decision 0047:
a comparison with records tells the user no more than its verdict, a derived record is marked
strictly, a banner covers every record a page names), each proven closed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from secoop.assessment import actions
from secoop.assessment import models as m
from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import Notification
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from secoop.core.verdicts import Refused
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import Measure
from tests.conftest import builds
from tests.core.test_views import banner

from .conftest import first_period
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts
from .test_actions import joint_staff_officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_demo_day")]
SECRET = Marking.parse("SECRET//NOFORN")


def confidential_evaluator() -> User:
    """A DSCA analyst cleared CONFIDENTIAL (the demo's are SECRET): evaluates, defines."""
    user = User.objects.create(
        username="dsca.confidential",
        audience=Audience.USG,
        citizenship_id="USA",
        clearance=Clearance.CONFIDENTIAL,
    )
    core.grant_membership(None, user, org("DSCA"), Role.DSCA_STAFF)
    return person("dsca.confidential")


def test_r_sec_01_an_evaluation_refusal_never_quotes_a_finding_its_evaluator_may_not_see(settings):
    settings.MAX_CLASSIFICATION = "SECRET"
    evaluation = m.Evaluation.objects.system().get(pk=1)
    with builds("a SECRET finding that cites nothing"):
        hidden = m.EvaluationFinding(
            evaluation=evaluation, criterion="impact", statement="SENTINEL-HIDDEN-STATEMENT"
        )
        hidden.marking = SECRET
        hidden.save()
    evaluator = confidential_evaluator()
    assert not m.EvaluationFinding.objects.visible_to(evaluator).filter(pk=hidden.pk).exists()
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.complete_evaluation(evaluator, evaluation, recommended_adjustments="More wells.")
    message = " ".join(refused.value.messages)
    assert "SENTINEL" not in message and "a finding you may not see" in message
    assert snapshot_counts() == before
    # Who may see it is still told which finding it is.
    with pytest.raises(Refused) as seen:
        actions.complete_evaluation(
            person("dsca.analyst"), evaluation, recommended_adjustments="More wells."
        )
    assert "SENTINEL-HIDDEN-STATEMENT" in " ".join(seen.value.messages)


def test_r_sec_01_a_period_refusal_never_names_the_dates_of_a_period_the_definer_may_not_see(
    wells, settings
):
    settings.MAX_CLASSIFICATION = "SECRET"
    hidden = first_period(wells)
    with builds("a SECRET period of an unclassified indicator"):
        m.Period.objects.system().filter(pk=hidden.pk).update(classification=3)
    period = m.Period(
        indicator=wells, period_start=hidden.period_start, period_end=hidden.period_end
    )
    period.marking = Marking.parse("UNCLASSIFIED")
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.add_period(confidential_evaluator(), period)
    message = " ".join(refused.value.messages)
    assert "one you may not see" in message and f"{hidden.period_start:%d %b %Y}" not in message
    assert snapshot_counts() == before


def test_r_sec_01_a_notification_names_an_indicator_only_under_a_marking_that_covers_it(wells):
    """A SECRET indicator whose period is UNCLASSIFIED: the update is marked like the period, so
    its "waits for approval" note (which LE staff of the SCO read) does not name the indicator."""
    with builds("a SECRET indicator over an unclassified period"):
        m.Indicator.objects.system().filter(pk=wells.pk).update(
            classification=3, dissemination="NOFORN", rel_to=""
        )
    officer = person("sco.bandaria")
    update = actions.enter_update(officer, first_period(wells), "4", narrative="recount")
    actions.submit_update(officer, update)
    notes = Notification.objects.system().filter(object_id=str(update.pk), rule="R-AME-02")
    assert notes and all(wells.title not in n.subject for n in notes)
    assert all("an indicator" in n.subject for n in notes)
    le = person("le.staff")
    assert not [
        n
        for n in Notification.objects.visible_to(le)
        if wells.title in n.subject or wells.title in n.body
    ]


def test_r_sec_01_a_notification_names_an_indicator_its_marking_covers():
    wells = m.Indicator.objects.system().get(title="Wells completed and handed over")
    period = first_period(wells)
    assert actions.name_under(period, wells, "an indicator") == wells.title
    wells.marking = SECRET
    assert actions.name_under(period, wells, "an indicator") == "an indicator"


def test_r_sec_01_an_indicator_page_is_marked_by_the_measure_it_is(login, settings):
    """An IMO measure's indicator shows the measure's name, unit and baseline: the banner covers
    the measure even when the indicator itself is marked lower."""
    settings.MAX_CLASSIFICATION = "SECRET"
    indicator = m.Indicator.objects.system().filter(measure__isnull=False).first()
    measure = Measure.objects.system().get(pk=indicator.measure_id)
    with builds("an IMO measure's indicator marked lower than its measure"):
        m.Indicator.objects.system().filter(pk=indicator.pk).update(dissemination="", rel_to="")
        Measure.objects.system().filter(pk=measure.pk).update(classification=3)
    page = login("sco.bandaria").get(f"/assessment/indicators/{indicator.pk}/")
    assert page.status_code == 200 and measure.indicator in page.content.decode()
    assert banner(page).startswith("SECRET")


def test_r_sec_10_an_objectives_assessment_is_marked_by_the_objective_it_judges(settings):
    """The command's assessment of a SECRET objective under a CUI//NOFORN campaign assessment is
    SECRET: no reader sees the judgment who could not read the objective."""
    settings.MAX_CLASSIFICATION = "SECRET"
    planner, js = person("ccmd.planner"), joint_staff_officer()
    cycle = m.CampaignAssessment.objects.system().get(fiscal_year=2027, kind="campaign")
    actions.return_campaign_assessment(js, cycle, comment="Say more on the budget objective.")
    imo = IntermediateObjective.objects.system().get(
        pk=m.ObjectiveAssessment.objects.system().filter(assessment=cycle).last().imo_id
    )
    with builds("a SECRET objective"):
        IntermediateObjective.objects.system().filter(pk=imo.pk).update(classification=3)
    entry = actions.assess_objective(planner, cycle, imo, progress="Budget line drafted.")
    assert entry.marking.classification == 3 and entry.marking.dissemination == "NOFORN"


def test_r_sec_01_the_campaign_assessment_page_is_marked_by_the_objectives_it_names(
    login, settings
):
    settings.MAX_CLASSIFICATION = "SECRET"
    cycle = m.CampaignAssessment.objects.system().get(fiscal_year=2027, kind="campaign")
    imo_id = m.ObjectiveAssessment.objects.system().filter(assessment=cycle).first().imo_id
    with builds("a SECRET objective of a CUI//NOFORN plan"):
        IntermediateObjective.objects.system().filter(pk=imo_id).update(classification=3)
    page = login("ccmd.planner").get(f"/assessment/campaign-assessments/{cycle.pk}/")
    assert page.status_code == 200 and banner(page).startswith("SECRET")


def _new_result(**extra) -> m.Result:
    wells = m.Result.objects.system().get(title="Border villages have safe drinking water")
    result = m.Result(
        title="Village water committees maintain their wells",
        result_type="2",
        activity_id=wells.activity_id,
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
        **extra,
    )
    result.marking = Marking.parse("UNCLASSIFIED")
    return result


def test_r_sec_10_a_writer_never_approves_their_own_record_for_public_release(api):
    """Publishing (the IATI file) is the widest release: its writer may not tick it, through the
    action or the API; a foreign disclosure officer over the owner approves it, with a reason."""
    officer = person("sco.bandaria")
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.create_result(officer, _new_result(public_release=True))
    assert refused.value.rule == "R-SEC-10" and snapshot_counts() == before
    result = actions.create_result(officer, _new_result())
    with pytest.raises(Refused):
        actions.update_result(officer, result, {"public_release": True})
    made = api("sco.bandaria").post(
        "/api/v1/assessment/results/",
        {
            "title": "Wells kept running",
            "result_type": "2",
            "activity": result.activity_id,
            "owner_org": result.owner_org_id,
            "country": "XBN",
            "public_release": True,
            "marking": "UNCLASSIFIED",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["public_release"] is False
    with pytest.raises(PermissionDenied):  # a definer holds no disclosure authority
        actions.approve_public_release(officer, result, reason="mine")
    releaser = person("security.officer")
    with pytest.raises(Refused):  # the release review says why
        actions.approve_public_release(releaser, result, reason=" ")
    assert m.Result.objects.system().get(pk=result.pk).public_release is False
    done = api("security.officer").post(
        f"/api/v1/assessment/results/{result.pk}/public-release/",
        {"reason": "Release review of 3 Dec 2026."},
        format="json",
    )
    assert done.status_code == 200 and done.json()["public_release"] is True


def test_r_sec_11_a_disclosure_officer_never_releases_what_they_wrote(settings):
    core.grant_membership(None, person("security.officer"), org("SCO Bandaria"), Role.SCO_OFFICER)
    writer = person("security.officer")
    result = actions.create_result(writer, _new_result())
    with pytest.raises(Refused) as refused:
        actions.approve_public_release(writer, result, reason="Release review.")
    assert refused.value.rule == "R-SEC-11"
    assert m.Result.objects.system().get(pk=result.pk).public_release is False


def test_r_sec_10_a_cui_record_is_never_approved_for_public_release(coordination):
    before = snapshot_counts()
    with pytest.raises(Refused) as refused:
        actions.approve_public_release(person("security.officer"), coordination, reason="x")
    assert refused.value.findings[0].field == "marking" and snapshot_counts() == before


def test_r_sec_10_the_release_button_is_offered_to_the_disclosure_officer_only(login):
    result = actions.create_result(person("sco.bandaria"), _new_result())
    url = f"/assessment/results/{result.pk}/"
    assert "Approve for public release" not in login("sco.bandaria").get(url).content.decode()
    web = login("security.officer")
    assert "Approve for public release" in web.get(url).content.decode()
    web.post(f"/assessment/results/{result.pk}/public-release/", {"reason": "Release review."})
    assert m.Result.objects.system().get(pk=result.pk).public_release is True


def test_r_sec_11_no_evidence_joins_an_update_once_submitted(wells):
    """The page offers the evidence form on a draft only; the action refuses it too, so that
    nothing is added to what an approver judges (or judged)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = person("sco.bandaria")
    update = actions.enter_update(officer, first_period(wells), "4", narrative="recount")
    actions.submit_update(officer, update)
    before = snapshot_counts()
    with pytest.raises(Refused):
        actions.add_evidence(
            person("sco.bandaria"),
            update,
            title="Late certificate",
            file=SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        )
    assert snapshot_counts() == before


def test_r_sec_10_changing_what_was_approved_for_publishing_withdraws_the_approval(wells):
    """The release review saw the record as it was: a new definition is approved again before
    the IATI file publishes it; a change the file does not show (the responsible organization)
    or a value written again unchanged keeps the approval."""
    officer = person("sco.bandaria")
    assert wells.public_release
    kept = actions.update_indicator(
        officer, wells, {"definition": wells.definition, "responsible_org": org("SCO Bandaria")}
    )
    assert m.Indicator.objects.system().get(pk=kept.pk).public_release is True
    actions.update_indicator(officer, wells, {"definition": "Wells drilled (any state)."})
    assert m.Indicator.objects.system().get(pk=wells.pk).public_release is False
    actions.approve_public_release(person("security.officer"), wells, reason="Reviewed again.")
    assert m.Indicator.objects.system().get(pk=wells.pk).public_release is True


def test_r_sec_01_a_roll_up_refusal_never_shows_a_hidden_measures_unit(wells, settings):
    settings.MAX_CLASSIFICATION = "SECRET"
    into = m.Indicator.objects.system().filter(measure__isnull=False).first()
    measure = Measure.objects.system().get(pk=into.measure_id)
    with builds("an objective indicator whose measure is SECRET"):
        Measure.objects.system().filter(pk=measure.pk).update(classification=3)
    definer = confidential_evaluator()
    assert m.Indicator.objects.visible_to(definer).filter(pk=into.pk).exists()
    before = snapshot_counts()
    with pytest.raises(PermissionDenied) as refused:
        actions.link_contribution(definer, wells, into, weight="1")
    assert measure.unit not in str(refused.value) and snapshot_counts() == before
