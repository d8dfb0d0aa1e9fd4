"""`secoop generate`: synthetic data of the right shape, made in bulk, logged like any record."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError
from django.core.management import call_command
from django.test import override_settings

from secoop.core import actions
from secoop.core import generate
from secoop.core import rules
from secoop.core.markings import Classification
from secoop.core.markings import Marking
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.organizations import OrganizationKind as K
from secoop.core.rules import Audience
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """One tiny generated set for the module (it was made again for each of its 16 tests: about
    0.5 s of CPU each, on both passes). Each test runs in a savepoint of its own, so what one test
    appends (a second run, another app's generator) the next does not see."""
    with (
        built_once(django_db_blocker),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        yield generate.generate("tiny", seed=7)


def _documents(made):
    return Document.objects.system().filter(pk__in=made.pks["core.Document"])


def test_it_makes_the_tiny_shape(made):
    scale = generate.SCALES["tiny"]
    assert len(made.countries) == scale.countries
    assert (
        made.counts["core.User"]
        == scale.users
        == User.objects.filter(username__startswith="gen.r1.").count()
    )
    assert made.counts["core.Document"] == scale.documents
    assert made.counts["core.Organization"] >= scale.countries * 6
    assert {"sco", "embassy", "partner", "company", "ia_office"} <= set(made.orgs)


def test_organizations_have_tree_paths_whose_prefixes_exist(made):
    every = {o.pk: o for o in Organization.objects.system()}
    for org in every.values():
        ids = [int(x) for x in org.tree_path.strip("/").split("/")]
        assert org.tree_path == "/" + "".join(f"{i}/" for i in ids), org
        assert ids[-1] == org.pk
        assert all(i in every for i in ids), f"{org}: {org.tree_path}"
        expected = (every[org.parent_id].tree_path if org.parent_id else "/") + f"{org.pk}/"
        assert org.tree_path == expected
    for sco in made.orgs["sco"]:
        # Each SCO sits under the combatant command whose area holds its country.
        assert every[sco.parent_id].kind == K.CCMD and every[sco.parent_id].ccmd == sco.country.ccmd


def test_each_generated_record_has_a_create_entry_with_its_marking(made):
    # Every record the run created, whatever app registered the generator that made it.
    entries = list(ChangeLogEntry.objects.system().filter(request_id=made.request_id))
    by_record = {(e.content_type_id, e.object_id): e for e in entries}
    assert len(by_record) == len(entries) == made.counts["core.ChangeLogEntry"], (
        "one entry per record"
    )
    records = []
    for label, pks in made.pks.items():
        model = apps.get_model(label)
        found = list(model.objects.system().filter(pk__in=pks))
        assert len(found) == len(pks) == made.counts[label], label
        records.extend(found)
    assert {"core.Document", "core.Organization"} <= set(made.pks)
    assert len(records) == len(entries)
    for record in records:
        entry = by_record[(ContentType.objects.get_for_model(record).pk, str(record.pk))]
        assert entry.action == "create"
        assert (entry.classification, entry.dissemination, entry.rel_to) == (
            record.classification,
            record.dissemination,
            record.rel_to,
        )
        assert entry.owner_org_id == record.owner_org_id_value()
        assert entry.country_id == record.country_value()
        assert entry.after["marking"] == record.marking_text


def test_the_bulk_entry_is_the_one_log_change_writes(made):
    owner = made.orgs["sco"][0]
    doc = Document(title="One by one", owner_org=owner, country=owner.country)
    doc.marking = Marking.parse(f"CUI//REL TO USA, {owner.country_id}")
    actions.system_create(doc, reason="x")
    saved = ChangeLogEntry.objects.system().get(
        object_id=str(doc.pk), content_type__model="document"
    )
    bulk = generate.change_entry(doc, request_id=saved.request_id, reason="x")
    skip = {"id", "at"}
    for field in ChangeLogEntry._meta.concrete_fields:
        if field.name not in skip:
            assert getattr(bulk, field.attname) == getattr(saved, field.attname), field.name


def test_memberships_match_each_users_audience(made):
    users = User.objects.filter(username__startswith="gen.r1.")
    memberships = Membership.objects.filter(user__in=users).select_related("user", "organization")
    seen = set()
    for m in memberships:
        user, org = m.user, m.organization
        seen.add(user.pk)
        assert org.audience == user.audience, f"{user.audience} user in {org.kind}"
        assert rules.role_allowed_in(m.role, user.audience)
        if user.audience == Audience.PARTNER:
            assert org.kind == K.PARTNER and org.country_id == user.citizenship_id
        if user.audience == Audience.INDUSTRY:
            assert org.kind == K.COMPANY
        if user.is_le_staff:
            assert user.audience == Audience.USG and user.citizenship_id != "USA"
            assert org.kind in (K.SCO, K.EMBASSY) and org.country_id == user.citizenship_id
    assert seen == set(users.values_list("pk", flat=True)), "every generated user has a membership"
    assert not users.first().has_usable_password()


def test_it_refuses_a_second_run_without_append(made):
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--scale", "tiny")
    call_command("generate", "--scale", "tiny", "--append", "--seed", "2")
    assert (
        User.objects.filter(username__startswith="gen.r2.").count() == generate.SCALES["tiny"].users
    )


def test_markings_stay_under_the_ceiling_unless_told_otherwise(made, settings):
    assert settings.MAX_CLASSIFICATION == "CUI"
    generated = _documents(made)
    assert not generated.filter(classification__gt=Classification.CUI).exists()
    assert (
        generated.filter(dissemination="NOFORN").exists()
        and generated.filter(dissemination="REL").exists()
    )
    again = generate.generate("tiny", seed=7, append=True, ignore_ceiling=True)
    texts = {d.marking_text for d in _documents(again)}
    assert "SECRET//NOFORN" in texts
    assert any(t.startswith("CONFIDENTIAL//REL TO USA, ") for t in texts)


def test_partner_users_see_only_their_countrys_records(made):
    partner = User.objects.filter(username__startswith="gen.r1.", audience=Audience.PARTNER).first()
    visible = list(Document.objects.visible_to(partner))
    assert visible
    assert all(d.marking.releasable_to(partner.citizenship_id) for d in visible)


def test_apps_can_register_a_generator(made):
    calls = []

    @generate.register
    def extra(gen):
        calls.append(gen)
        doc = Document(title="From an app", owner_org=gen.orgs["sco"][0], country=gen.countries[0])
        doc.marking = gen.marking("SECRET//NOFORN")  # lowered to the ceiling
        gen.create([doc])

    try:
        again = generate.generate("tiny", seed=3, append=True)
    finally:
        generate._generators.remove(extra)
    assert calls == [again]
    doc = Document.objects.system().get(title="From an app")
    assert doc.marking_text == "CUI//NOFORN"
    assert (
        ChangeLogEntry.objects.system()
        .filter(object_id=str(doc.pk), request_id=again.request_id)
        .exists()
    )


# --- every app's records (issue 15 item 7) -------------------------------------------------------


def _generated(made, model):
    return model.objects.system().filter(pk__in=made.pks[model._meta.label])


def test_every_app_gets_the_scales_records_and_their_detail_rows(made):
    from secoop.cases.models import CaseLine
    from secoop.cases.models import FmsCase
    from secoop.planning.models import Activity
    from secoop.planning.models import ActivityFunding
    from secoop.training.models import Readiness
    from secoop.training.models import Student

    scale = generate.SCALES["tiny"]
    assert (
        made.counts["planning.Activity"] == scale.activities == _generated(made, Activity).count()
    )
    assert made.counts["cases.FmsCase"] == scale.cases == _generated(made, FmsCase).count()
    assert made.counts["cases.CaseLine"] == scale.case_lines == _generated(made, CaseLine).count()
    assert made.counts["training.Student"] == scale.students == _generated(made, Student).count()
    # Detail rows are written without a change-log entry of their own (Generation.create's log).
    assert made.unlogged["planning.ActivityFunding"] == made.counts["planning.ActivityFunding"] > 0
    assert made.unlogged["training.Readiness"] == scale.students
    assert ActivityFunding.objects.system().filter(activity__in=made.pks["planning.Activity"])
    assert Readiness.objects.system().filter(student__in=made.pks["training.Student"]).count() == (
        scale.students
    )
    logged = sum(len(pks) for pks in made.pks.values())
    assert made.counts["core.ChangeLogEntry"] == logged


def test_generated_cases_are_well_formed(made):
    from django.db.models import Count

    from secoop.cases import rules as case_rules
    from secoop.cases.models import CaseLine
    from secoop.cases.models import FmsCase

    lines = dict(
        CaseLine.objects.system()
        .filter(pk__in=made.pks["cases.CaseLine"])
        .values_list("case")
        .annotate(n=Count("id"))
    )

    for case in _generated(made, FmsCase).select_related("country", "owner_org"):
        assert (
            case_rules.case_identifier_problem(
                case.identifier,
                case.country.alpha2,
                [case.owner_org.implementing_agency_code],
                case.owner_org.implementing_agency_code,
            )
            is None
        )
        # Shared with the purchaser from the offer on, as actions.milestone shares them.
        assert case.shared_with_partner == (
            case.offered_on is not None and case.status != "cancelled"
        )
        assert 1 <= lines[case.pk] <= 49


def test_issue15_eda_offers_and_dcs_licenses_are_generated_and_the_partner_sees_only_its_offers(
    made,
):
    """EDA offers go to a recipient, shared with it from the offer on; DCS license requests are
    the U.S. companies' business, never a partner's (R-SEC-03), their reference once submitted."""
    from secoop.cases.models import DcsLicense
    from secoop.cases.models import EdaOffer

    scale = generate.SCALES["tiny"]
    offers, licenses = _generated(made, EdaOffer), _generated(made, DcsLicense)
    assert offers.count() == scale.eda_offers and licenses.count() == scale.dcs_licenses
    for offer in offers:
        assert offer.shared_with_partner == (offer.offered_on is not None)
    for lic in licenses:
        assert bool(lic.reference) == (lic.submitted_on is not None)
    country = made.biggest_country()
    partner = User.objects.filter(
        username__startswith="gen.r1.", audience=Audience.PARTNER, citizenship_id=country.alpha3
    ).first()
    assert not DcsLicense.objects.visible_to(partner).exists()
    seen = EdaOffer.objects.visible_to(partner)
    assert all(o.shared_with_partner and o.country_id == country.alpha3 for o in seen)


def test_markings_vary_in_every_app(made):
    from secoop.cases.models import FmsCase
    from secoop.planning.models import Activity
    from secoop.training.models import Student

    for model in (Activity, FmsCase, Student):
        texts = {r.marking_text for r in _generated(made, model)}
        assert len(texts) >= 2, (model, texts)
    every = {
        r.dissemination for model in (Activity, FmsCase, Student) for r in _generated(made, model)
    }
    assert {"REL", "NOFORN", ""} <= every


def test_the_door_still_hides_what_it_must_from_the_partner(made):
    from secoop.cases.models import CaseLine
    from secoop.cases.models import FmsCase
    from secoop.planning.models import Activity
    from secoop.training.models import Student

    country = made.biggest_country()
    partner = User.objects.filter(
        username__startswith="gen.r1.", audience=Audience.PARTNER, citizenship_id=country.alpha3
    ).first()
    assert partner is not None, "the largest partner has a partner user"
    # Planning is never shown to partners (R-SEC-03), however much of it is about them.
    assert _generated(made, Activity).filter(country=country).exists()
    assert not Activity.objects.visible_to(partner).exists()
    hidden = 0
    for model in (FmsCase, CaseLine, Student):
        mine = _generated(made, model)
        visible = set(model.objects.visible_to(partner).values_list("pk", flat=True))
        for record in mine:
            if record.pk in visible:
                assert record.country_value() == country.alpha3
                assert record.marking.releasable_to(country.alpha3)
            else:
                hidden += 1
        assert visible, f"the partner sees some of its {model.__name__} records"
    assert hidden, "some generated records are not the partner's to see"
    cases = FmsCase.objects.visible_to(partner)
    assert all(c.shared_with_partner for c in cases)


def test_spread_is_skewed_sums_to_the_total_and_leaves_no_country_out(made):
    counts = made.spread(1000)
    assert sum(counts.values()) == 1000
    assert set(counts) == {c.alpha3 for c in made.countries}
    assert min(counts.values()) >= 1
    assert counts[made.biggest_country().alpha3] == max(counts.values())
    assert max(counts.values()) > 1000 / len(counts)


def test_analysis_and_budget_records_are_generated_keeping_their_rules(made):
    from secoop.analysis.models import CapabilityAnalysis
    from secoop.analysis.models import Gap
    from secoop.analysis.models import OptionCost
    from secoop.analysis.models import Program
    from secoop.analysis.models import Scenario
    from secoop.analysis.models import SolutionOption
    from secoop.budget import consonance
    from secoop.budget.models import BudgetRequest
    from secoop.budget.models import ForecastSale
    from secoop.budget.models import Requirement
    from secoop.budget.models import RequirementYear

    scale = generate.SCALES["tiny"]
    assert made.counts["analysis.CapabilityAnalysis"] == scale.analyses
    assert made.counts["analysis.Scenario"] >= 1 and made.counts["analysis.SolutionOption"] > 0
    assert made.counts["budget.ForecastSale"] == scale.forecast_sales
    assert made.counts["budget.BudgetRequest"] >= 1 and made.counts["budget.Requirement"] > 0
    options = SolutionOption.objects.system().filter(pk__in=made.pks["analysis.SolutionOption"])
    bpc = set(Program.objects.system().filter(is_bpc=True).values_list("pk", flat=True))
    links = SolutionOption.programs.through.objects.filter(solutionoption__in=options)
    classified = dict(Gap.objects.system().values_list("pk", "dotmlpf"))
    gap_of = dict(options.values_list("pk", "gap_id"))
    assert links.exists() and set(gap_of) == set(
        OptionCost.objects.system().filter(option__in=options).values_list("option_id", flat=True)
    ), "every option has its costs"
    for option_id, program_id in links.values_list("solutionoption_id", "program_id"):
        if program_id in bpc:
            assert classified[gap_of[option_id]], "R-CBA-01: a BPC program funds a classified gap"
    requests = BudgetRequest.objects.system().filter(pk__in=made.pks["budget.BudgetRequest"])
    for r in requests:
        if r.uncommitted_fmf > 0:
            assert r.uncommitted_plan and r.uncommitted_commit_by, "R-BUD-03"
    needs = set(RequirementYear.objects.system().values_list("requirement_id", flat=True))
    for req in Requirement.objects.system().filter(pk__in=made.pks["budget.Requirement"]):
        assert req.pk in needs, "R-BUD-01: an out-year need"
        if req.funding_source == "imet":
            assert req.purpose == "training", "R-BUD-01: IMET pays for training only"
    assert CapabilityAnalysis.objects.system().filter(country__in=made.countries).exists()
    assert Scenario.objects.system().filter(pk__in=made.pks["analysis.Scenario"]).exists()
    assert ForecastSale.objects.system().filter(pk__in=made.pks["budget.ForecastSale"]).exists()
    # the consonance check reads a generated country through the door without error
    analyst = User.objects.get(username="dsca.analyst")
    country = requests.first().country
    result = consonance.check(analyst, country)
    assert result.country == country and set(result.checked) >= {"sales", "lines"}
