"""Each app's migrations are squashed into one (issue 11 §1; again on 4 Dec 2026, issue 11 §6,
every app into `0001_squashed.py`) that `replaces` the old ones, so that

- a database migrated before the squash upgrades: Django sees every replaced migration applied and
  takes the squashed one as applied (proven by hand on SQLite and PostgreSQL when the squash was
  made: schema and rows identical to a fresh build; tests/README.md, Migrations);
- a migration written against the old names still loads: its dependency on a replaced migration is
  read as a dependency on the squashed one (below: other branches add migrations on the old leaves);
- the models and the migrations agree (`makemigrations --check`).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import django.db.models.deletion
import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

import secoop

pytestmark = pytest.mark.one_database  # reads migration files; the database is not the question

PACKAGE = Path(secoop.__file__).parent
# Every app with migrations: each starts at its one squashed migration.
APPS = sorted(
    p.name
    for p in PACKAGE.iterdir()
    if (p / "migrations" / "__init__.py").exists() and any((p / "migrations").glob("0*.py"))
)
CORE_LEAF_BEFORE_SQUASH = ("core", "0017_perf_web_session")
# Every migration name a database migrated with main of 4 Dec 2026 has on record (the squashed
# files of 3 Dec included): all of them replaced, so such a database has nothing to apply.
RECORDED_ON_4_DEC = {
    "core": [
        *(f"00{n:02d}_{s}" for n, s in enumerate(
            [
                "initial", "append_only_logs", "reference_data", "document_dated_index",
                "document_file_size", "notification", "membership_authority_roles",
                "reference_fact_effective_range", "organization_time_zone",
                "append_only_refuses_replace", "accounts_password_history_token_session",
                "access_change_request", "keyset_search_releasability", "user_access_version",
                "export_job", "search_full_text", "perf_web_session",
            ],
            start=1,
        )),
        "0001_squashed_0012_access_change_request",
    ],
    "planning": [
        "0001_initial", "0002_rff_lead_time_fact", "0001_squashed_0002_rff_lead_time_fact",
        "0003_reschedule_record", "0004_list_indexes", "0005_search_full_text",
    ],
    "cases": [
        "0001_initial", "0002_fms_facts_and_cta_data", "0003_oed_remark",
        "0001_squashed_0003_oed_remark", "0004_fms_gates_36b_dates", "0005_list_indexes",
        "0006_clssa_emergency_aod_amendments", "0007_closure_billing", "0008_eda_dcs_licenses",
        "0009_dcs_withdrawn_on", "0010_search_full_text",
    ],
    "training": [
        "0001_initial", "0002_training_facts", "0003_rdfp_routing_fms_case",
        "0001_squashed_0003_rdfp_routing_fms_case", "0004_vetting_clock_funding_accompanied",
        "0005_list_indexes", "0006_search_full_text",
    ],
    "analysis": ["0001_analysis_initial", "0002_analysis_programs", "0003_analysis_list_indexes"],
    "assessment": [
        "0001_assessment_initial", "0002_amerollup_rollup_monitoring_support_plans",
        "0003_amepages_evaluation_criteria", "0004_lateame_objective_rollup",
        "0005_lateame_lesson_search",
    ],
    "eum": [
        "0001_eum_initial", "0002_eum_eda_dcs_links", "0003_eum_list_indexes",
        "0004_investigation_notes_noforn",
    ],
    "budget": ["0001_budget_initial", "0002_budget_reference_data"],
}  # fmt: skip


def squashed(loader: MigrationLoader, app: str) -> dict[str, list[tuple[str, str]]]:
    return {
        name: migration.replaces
        for (label, name), migration in loader.disk_migrations.items()
        if label == app and migration.replaces
    }


def test_each_app_has_one_squashed_migration_that_replaces_the_old_ones():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in APPS:
        found = squashed(loader, app)
        assert len(found) == 1, f"{app}: one squashed migration, found {sorted(found)}"
        assert loader.graph.root_nodes(app) == [(app, next(iter(found)))]
        # Migrations written since (`0002_…`) come after it, never beside it.
        first = [key for key in loader.disk_migrations if key[0] == app and key[1] < "0002"]
        assert first == [(app, next(iter(found)))], f"{app}: the squashed migration is the first"


def test_a_database_migrated_before_the_squash_has_nothing_to_apply(monkeypatch):
    """Every name a database of 4 Dec 2026 has on record is replaced: Django takes each app's
    squashed migration as applied, and migrate plans nothing (proven on real SQLite and
    PostgreSQL databases too: docs/decisions/0062-migsquash-one-initial-migration-per-app.md)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    assert sorted(RECORDED_ON_4_DEC) == APPS
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in APPS:
        (replaced,) = squashed(loader, app).values()
        assert sorted(name for _, name in replaced) == sorted(RECORDED_ON_4_DEC[app]), app

    on_record = {(app, name): None for app, names in RECORDED_ON_4_DEC.items() for name in names}
    # the other apps' migrations (Django's, the task queue's), as migrated then
    on_record |= {key: None for key in loader.graph.nodes if key[0] not in APPS}
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", lambda self: dict(on_record))
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    # Only the migrations written after the squash, if any (e.g. core's 0002 indexes).
    assert all(m.name > "0001_squashed" and not m.replaces for m, _ in plan), plan
    assert {(app, "0001_squashed") for app in APPS} <= set(executor.loader.applied_migrations)


@pytest.mark.parametrize("app", APPS)
def test_a_new_migration_may_depend_on_a_replaced_one(app, tmp_path, settings, monkeypatch):
    """A migration another branch wrote on the old leaf (and on core's old leaf) loads on top of
    the squashed one."""
    package = f"probe_{app}_migrations"
    shutil.copytree(PACKAGE / app / "migrations", tmp_path / package)
    (replaced,) = squashed(MigrationLoader(None), app).values()
    old_leaf = replaced[-1]
    (tmp_path / package / "0099_probe.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [{old_leaf!r}, {CORE_LEAF_BEFORE_SQUASH!r}]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {app: package}

    loader = MigrationLoader(None, ignore_no_migrations=True)

    probe = (app, "0099_probe")
    assert probe in loader.graph.leaf_nodes(app)
    parents = {parent.key for parent in loader.graph.node_map[probe].parents}
    (own,) = squashed(loader, app)
    (core,) = squashed(loader, "core")
    assert parents == {(app, own), ("core", core)}


def test_the_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_frozen_migration_helpers_still_give_the_fields_the_migrations_were_written_with():
    """core/migration_helpers is history (issue 11 §4): the squashed migrations build their fields
    with it, so a change to a helper would silently change every fresh database. Each helper's
    field, as Django deconstructs it, stays what it was when the migrations were rewritten."""
    from django.core.validators import MaxValueValidator
    from django.core.validators import MinValueValidator

    from secoop.core import migration_helpers as mh

    def shape(field):
        _, path, args, kwargs = field.deconstruct()
        return path, args, kwargs

    optional = {"blank": True, "null": True}
    protect = {"on_delete": django.db.models.deletion.PROTECT}
    assert shape(mh.action_date()) == (
        "django.db.models.DateField",
        [],
        {**optional, "editable": False},
    )
    assert shape(mh.optional_date()) == ("django.db.models.DateField", [], optional)
    assert shape(mh.protected_fk("core.country")) == (
        "django.db.models.ForeignKey",
        [],
        {**protect, "to": "core.country"},
    )
    assert shape(mh.optional_fk("core.country")) == (
        "django.db.models.ForeignKey",
        [],
        {**optional, **protect, "to": "core.country"},
    )
    assert shape(mh.scope_key("core.country")) == (
        "django.db.models.ForeignKey",
        [],
        {
            **optional,
            "db_constraint": False,
            "on_delete": django.db.models.deletion.DO_NOTHING,
            "related_name": "+",
            "to": "core.country",
        },
    )
    assert shape(mh.fiscal_year()) == (
        "django.db.models.PositiveSmallIntegerField",
        [],
        {"validators": [MinValueValidator(2000), MaxValueValidator(2100)]},
    )
    assert shape(mh.usd()) == (
        "django.db.models.DecimalField",
        [],
        {"decimal_places": 2, "max_digits": 16},
    )
    assert shape(mh.non_negative_usd(max_digits=14)) == (
        "django.db.models.DecimalField",
        [],
        {"decimal_places": 2, "max_digits": 14, "validators": [MinValueValidator(Decimal(0))]},
    )
    assert shape(mh.parent_fk("budget.budgetrequest")) == (
        "django.db.models.ForeignKey",
        [],
        {"on_delete": django.db.models.deletion.CASCADE, "to": "budget.budgetrequest"},
    )
    country, owner = mh.country_and_owner(verbose_name="SCO")
    assert (country[0], shape(country[1])) == (
        "country",
        ("django.db.models.ForeignKey", [], {**protect, "related_name": "+", "to": "core.country"}),
    )
    assert (owner[0], shape(owner[1])) == (
        "owner_org",
        (
            "django.db.models.ForeignKey",
            [],
            {**protect, "related_name": "+", "to": "core.organization", "verbose_name": "SCO"},
        ),
    )
    assert shape(mh.measured_value()) == (
        "django.db.models.DecimalField",
        [],
        {"decimal_places": 4, "max_digits": 16},
    )
    path, _, kwargs = shape(mh.document_file("cases/%Y/%m/"))
    assert (path, kwargs["upload_to"], kwargs["validators"][0].allowed_extensions) == (
        "django.db.models.FileField",
        "cases/%Y/%m/",
        ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "png", "jpg", "jpeg"],
    )
    assert [code for code, _ in mh.ccmd_choices()] == [
        "AFRICOM",
        "CENTCOM",
        "EUCOM",
        "INDOPACOM",
        "NORTHCOM",
        "SOUTHCOM",
    ]
    funding = " ".join(code for code, _ in mh.activity_funding_choices())
    assert funding == "fmf fms dcs bpc imet om dib state interagency partner other"
    assert [code for code, _ in mh.case_category_choices()] == [
        "unique",
        "standard",
        "services",
        "bpc",
    ]
    assert [name for name, _ in mh.marked_record_fields()] == [
        "id",
        "classification",
        "dissemination",
        "rel_to",
        "created_at",
        "updated_at",
    ]


def test_batched_runs_keep_every_operation_in_order_and_a_column_run_touches_a_model_once():
    """core.migration_batches: consecutive CreateModel, AddField (one per model) and RunPython
    operations become one operation each, in order; anything else breaks a run (bench/migproof.sh
    proves the schema and rows of a fresh migrate unchanged, decision 0067)."""
    from django.db import migrations
    from django.db import models

    from secoop.core.migration_batches import AddFields
    from secoop.core.migration_batches import CreateModels
    from secoop.core.migration_batches import RunPythons
    from secoop.core.migration_batches import batched

    called = []

    def step(name):
        def run(apps, schema_editor):
            called.append(name)

        return run

    def field(name):
        return migrations.AddField("a", name, models.IntegerField(null=True))

    ops = [
        migrations.CreateModel("A", [("id", models.AutoField(primary_key=True))]),
        migrations.CreateModel("B", [("id", models.AutoField(primary_key=True))]),
        field("x"),
        migrations.AddField("b", "x", models.IntegerField(null=True)),
        field("y"),  # model a again: a new run, its table is changed from the state before it
        migrations.RunPython(step("one"), step("undo one")),
        migrations.RunPython(step("two"), step("undo two")),
        migrations.RunPython(step("three"), hints={"other": True}),
    ]
    grouped = batched(ops)

    assert [type(op) for op in grouped] == [
        CreateModels,
        AddFields,
        migrations.AddField,
        RunPythons,
        migrations.RunPython,
    ]
    assert [op for g in grouped for op in getattr(g, "operations", [g])] == ops
    grouped[3].code(None, None)
    grouped[3].reverse_code(None, None)
    assert called == ["one", "two", "undo two", "undo one"]
    assert not RunPythons([ops[6], ops[7]]).reversible  # irreversible if any part is
