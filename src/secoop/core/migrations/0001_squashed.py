"""core's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_squashed_0012_access_change_request, 0013_keyset_search_releasability,
0014_user_access_version, 0015_export_job, 0016_search_full_text, 0017_perf_web_session.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number). Left out: 0009's fill_time_zones, which gave the
organizations on record a time zone (a fresh database has none at that point).
"""

import datetime as dt

import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations
from django.db import models

import secoop.core.clock
import secoop.core.models.documents
import secoop.core.models.people
from secoop.core import migration_helpers as mh
from secoop.core.dbindex import Releasability
from secoop.core.dbindex import list_indexes
from secoop.core.dbindex import search_documents
from secoop.core.dbindex import sorted_indexes
from secoop.core.dbindex import trigram_indexes
from secoop.core.migration_batches import batched

# --- from 0001_squashed_0012_access_change_request ---
APPEND_ONLY_TABLES = ["core_changelogentry", "core_auditevent"]


def create_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in APPEND_ONLY_TABLES:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} is not allowed (R-SEC-04)'); END;"
                )
        elif vendor == "postgresql":
            # %% because the driver reads a lone % as a parameter placeholder.
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{table} is append-only: %% is not allowed (R-SEC-04)', TG_OP;
                END;
                $$ LANGUAGE plpgsql;
                """
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();"
            )
        else:
            raise RuntimeError(
                f"secoop supports SQLite and PostgreSQL, not {vendor}: the append-only log needs a trigger."
            )


def drop_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in APPEND_ONLY_TABLES:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")


# --- from 0003_reference_data ---
def load_reference_data(apps, schema_editor):
    from secoop.core.reference_data import load_countries
    from secoop.core.reference_data import load_facts

    load_countries(apps.get_model("core", "Country"))
    load_facts(apps.get_model("core", "ReferenceFact"))


# --- from 0008_reference_fact_effective_range ---
def close_superseded(apps, schema_editor):
    """Give the rows already on record their range: each ends the day before the next row of its key
    takes effect; the latest stays open (docs/decisions/0009-embedded-default-and-dated-facts.md)."""
    ReferenceFact = apps.get_model("core", "ReferenceFact")
    for key in sorted(set(ReferenceFact.objects.values_list("key", flat=True))):
        rows = list(ReferenceFact.objects.filter(key=key).order_by("effective_from"))
        for row, nxt in zip(rows, rows[1:], strict=False):
            ReferenceFact.objects.filter(pk=row.pk).update(
                effective_until=nxt.effective_from - dt.timedelta(days=1)
            )


# --- from 0010_append_only_refuses_replace ---
# R-SEC-04 (issue 10 item 5): on SQLite, `INSERT OR REPLACE` with the id of an existing row would
# delete that row and write a new one in its place without firing the DELETE trigger of 0002 (SQLite
# fires delete triggers for REPLACE only with recursive_triggers on, which core.apps also turns on for
# every connection). A BEFORE INSERT trigger refuses any insert whose id is already taken, whatever
# the conflict clause. On PostgreSQL there is no REPLACE (`ON CONFLICT DO UPDATE` fires the UPDATE
# trigger of 0002), and the runtime role that cannot disable triggers is set up by
# `secoop.core.db_roles`.


REPLACE_TABLES = ["core_changelogentry", "core_auditevent"]


def create_replace_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in REPLACE_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: replacing a row is not allowed (R-SEC-04)'); END;"
        )


def drop_replace_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in REPLACE_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace;")


# Clearance levels: the same choices on two models below.
CLEARANCES = [(1, "None"), (2, "Confidential"), (3, "Secret"), (4, "Top Secret")]


class Migration(migrations.Migration):
    replaces = [
        ("core", "0001_initial"),
        ("core", "0002_append_only_logs"),
        ("core", "0003_reference_data"),
        ("core", "0004_document_dated_index"),
        ("core", "0005_document_file_size"),
        ("core", "0006_notification"),
        ("core", "0007_membership_authority_roles"),
        ("core", "0008_reference_fact_effective_range"),
        ("core", "0009_organization_time_zone"),
        ("core", "0010_append_only_refuses_replace"),
        ("core", "0011_accounts_password_history_token_session"),
        ("core", "0012_access_change_request"),
        ("core", "0001_squashed_0012_access_change_request"),
        ("core", "0013_keyset_search_releasability"),
        ("core", "0014_user_access_version"),
        ("core", "0015_export_job"),
        ("core", "0016_search_full_text"),
        ("core", "0017_perf_web_session"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Country",
            fields=[
                (
                    "alpha3",
                    models.CharField(
                        max_length=3, primary_key=True, serialize=False, verbose_name="ISO alpha-3"
                    ),
                ),
                ("alpha2", models.CharField(max_length=2, unique=True, verbose_name="ISO alpha-2")),
                ("numeric", models.CharField(blank=True, max_length=3, verbose_name="ISO numeric")),
                ("name", models.CharField(max_length=100)),
                ("official_name", models.CharField(blank=True, max_length=200)),
                (
                    "ccmd",
                    models.CharField(
                        blank=True,
                        choices=mh.ccmd_choices(),
                        help_text="The geographic combatant command whose area of responsibility holds it (UCP).",
                        max_length=10,
                        verbose_name="geographic combatant command",
                    ),
                ),
                (
                    "notional",
                    models.BooleanField(
                        default=False,
                        help_text="A notional country for exercises and demos (ISO user-assigned code).",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "countries",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="User",
            fields=[
                mh.id_field(),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                (
                    "last_login",
                    models.DateTimeField(blank=True, null=True, verbose_name="last login"),
                ),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                (
                    "first_name",
                    models.CharField(blank=True, max_length=150, verbose_name="first name"),
                ),
                (
                    "last_name",
                    models.CharField(blank=True, max_length=150, verbose_name="last name"),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                (
                    "date_joined",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="date joined"
                    ),
                ),
                ("display_name", models.CharField(blank=True, max_length=150)),
                ("title", models.CharField(blank=True, max_length=150, verbose_name="job title")),
                ("phone", models.CharField(blank=True, max_length=40)),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("USG", "U.S. Government"),
                            ("PARTNER", "Partner nation"),
                            ("INDUSTRY", "U.S. industry"),
                        ],
                        default="USG",
                        help_text="U.S. Government, partner nation or industry: decides which door the user comes through.",
                        max_length=10,
                    ),
                ),
                ("clearance", models.PositiveSmallIntegerField(choices=CLEARANCES, default=1)),
                (
                    "is_le_staff",
                    models.BooleanField(
                        default=False,
                        help_text="R-SEC-02: LE staff see no classified record without an LAA.",
                        verbose_name="locally employed staff",
                    ),
                ),
                (
                    "laa_level",
                    models.PositiveSmallIntegerField(
                        choices=CLEARANCES,
                        default=1,
                        help_text="For LE staff: the level of an LAA, if one was granted.",
                        verbose_name="Limited Access Authorization",
                    ),
                ),
                (
                    "laa_justification",
                    models.TextField(
                        blank=True,
                        help_text="Unique skill, job need for the access, no cleared U.S. citizen available.",
                    ),
                ),
                (
                    "last_investigation_on",
                    mh.optional_date(
                        help_text="LE staff need a reinvestigation every 5 years (R-SEC-02).",
                        verbose_name="last background investigation",
                    ),
                ),
                (
                    "locked_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="R-SEC-07: set after repeated failed logons.",
                        null=True,
                    ),
                ),
                ("disabled_reason", models.CharField(blank=True, max_length=200)),
                (
                    "password_history",
                    models.JSONField(
                        blank=True,
                        default=list,
                        editable=False,
                        help_text="Hashes of the latest passwords, newest last (ASD STIG V-222546: no reuse of the last 5).",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
                (
                    "citizenship",
                    mh.protected_fk(
                        "core.country", db_column="citizenship", default="USA", related_name="+"
                    ),
                ),
                (
                    "access_version",
                    models.BigIntegerField(
                        default=secoop.core.models.people.new_access_version,
                        editable=False,
                        help_text="Changed by every write that changes what the user may read (memberships, clearance, account state): a cached access profile of another version is not used.",
                    ),
                ),
            ],
            options={
                "ordering": ["username"],
            },
            managers=[
                ("objects", secoop.core.models.people.PersonManager()),
            ],
        ),
        migrations.CreateModel(
            name="AccessChangeRequest",
            fields=[
                mh.id_field(),
                ("requested_at", models.DateTimeField()),
                (
                    "reason",
                    models.TextField(
                        help_text="Why the person needs this access (job need, investigation reference)."
                    ),
                ),
                (
                    "before",
                    models.JSONField(help_text="The access fields as they were when asked."),
                ),
                ("changes", models.JSONField(help_text="Field → new value.")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for a security officer"),
                            ("approved", "Approved and applied"),
                            ("refused", "Refused"),
                            ("applied", "Applied at once (lowers access)"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True)),
                ("decided_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("requested_by", mh.protected_fk(settings.AUTH_USER_MODEL, related_name="+")),
                (
                    "subject",
                    mh.protected_fk(settings.AUTH_USER_MODEL, related_name="access_requests"),
                ),
            ],
            options={
                "verbose_name": "access change request",
                "ordering": ["-requested_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                mh.id_field(),
                ("digest", models.CharField(max_length=64, unique=True)),
                (
                    "prefix",
                    models.CharField(
                        help_text="First characters, to tell tokens apart.", max_length=8
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "session_key",
                    models.CharField(
                        blank=True,
                        help_text="The web session the token was created in: logging off that session revokes it.",
                        max_length=40,
                    ),
                ),
                ("user", mh.parent_fk(settings.AUTH_USER_MODEL, related_name="api_tokens")),
            ],
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                mh.id_field(),
                ("at", models.DateTimeField(db_index=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("logon", "Logon"),
                            ("logon_failed", "Failed logon"),
                            ("logoff", "Logoff"),
                            ("lockout", "Account locked"),
                            ("unlock", "Account unlocked"),
                            ("disabled_inactive", "Account disabled for inactivity"),
                            ("account_change", "Account changed"),
                            ("token_issued", "API token issued"),
                            ("token_revoked", "API token revoked"),
                            ("consent", "Notice and consent acknowledged"),
                            ("privileged", "Privileged action"),
                        ],
                        max_length=20,
                    ),
                ),
                ("username", models.CharField(blank=True, max_length=150)),
                ("request_id", models.UUIDField(blank=True, null=True)),
                ("remote_addr", models.GenericIPAddressField(blank=True, null=True)),
                ("detail", models.TextField(blank=True)),
                ("actor", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("user", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
            ],
            options={
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="LogonAttempt",
            fields=[
                mh.id_field(),
                ("username", models.CharField(db_index=True, max_length=150)),
                ("at", models.DateTimeField(db_index=True)),
                ("succeeded", models.BooleanField()),
                ("channel", models.CharField(default="web", max_length=10)),
                ("remote_addr", models.GenericIPAddressField(blank=True, null=True)),
                ("user", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
            ],
            options={
                "ordering": ["-at"],
            },
        ),
        migrations.CreateModel(
            name="Organization",
            fields=[
                *mh.marked_record_fields(),
                ("name", models.CharField(max_length=200)),
                (
                    "short_name",
                    models.CharField(
                        help_text="As users write it: 'SCO Bandaria', 'USASAC'.", max_length=40
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("dod", "Department of Defense"),
                            ("osd", "Office of the Secretary of Defense"),
                            ("joint_staff", "Joint Staff"),
                            ("dsca", "Defense Security Cooperation Agency"),
                            ("ccmd", "Combatant command"),
                            ("sco", "Security cooperation organization"),
                            ("mildep", "Military department"),
                            ("implementing_agency", "Implementing agency"),
                            ("dos", "Department of State"),
                            ("embassy", "Embassy / country team"),
                            ("partner", "Partner ministry or service"),
                            ("company", "Company"),
                        ],
                        max_length=24,
                    ),
                ),
                (
                    "tree_path",
                    models.CharField(
                        blank=True, db_index=True, default="", editable=False, max_length=500
                    ),
                ),
                (
                    "ccmd",
                    models.CharField(
                        blank=True,
                        choices=mh.ccmd_choices(),
                        help_text="For a combatant command, which one.",
                        max_length=10,
                        verbose_name="combatant command",
                    ),
                ),
                (
                    "implementing_agency_code",
                    models.CharField(
                        blank=True,
                        help_text="For an implementing agency: its one-character code in case identifiers (B = Army).",
                        max_length=1,
                    ),
                ),
                ("description", models.TextField(blank=True)),
                ("is_active", models.BooleanField(default=True)),
                (
                    "time_zone",
                    models.CharField(
                        blank=True,
                        help_text="IANA time zone where the organization works (Asia/Manila); its 'today' and due dates follow it. Left empty, it is taken from the country, else the combatant command's headquarters, else the parent organization, else UTC.",
                        max_length=64,
                        validators=[secoop.core.clock.validate_time_zone],
                    ),
                ),
                (
                    "country",
                    mh.optional_fk(
                        "core.country",
                        help_text="The partner or host country, where there is one.",
                        related_name="organizations",
                    ),
                ),
                ("parent", mh.optional_fk("core.organization", related_name="children")),
            ],
            options={
                "ordering": ["tree_path"],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                *mh.marked_record_fields(),
                ("subject", models.CharField(max_length=200)),
                ("body", models.TextField(blank=True)),
                (
                    "rule",
                    models.CharField(
                        blank=True,
                        help_text="The SPEC rule that asks for it, e.g. R-FMS-08.",
                        max_length=20,
                    ),
                ),
                (
                    "url",
                    models.CharField(
                        blank=True, help_text="Where the recipient acts on it.", max_length=300
                    ),
                ),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("partner_visible", models.BooleanField(default=False)),
                (
                    "delivered_at",
                    models.DateTimeField(
                        blank=True, help_text="When members were told by e-mail.", null=True
                    ),
                ),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                ("acknowledged_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("content_type", mh.optional_fk("contenttypes.contenttype", related_name="+")),
                ("country", mh.optional_fk("core.country", related_name="+")),
                ("sent_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                (
                    "recipient_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The organization told; its members act on it.",
                        related_name="notifications",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                mh.id_field(),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("sco_chief", "SCO chief"),
                            ("sco_officer", "SCO officer"),
                            ("sdo_datt", "SDO/DATT"),
                            ("le_assistant", "Locally employed assistant"),
                            ("ccmd_planner", "CCMD J5 planner"),
                            ("country_desk_officer", "Country desk officer"),
                            ("case_manager", "Case manager"),
                            ("dsca_staff", "DSCA staff"),
                            ("osd_policy", "OSD Policy"),
                            ("joint_staff", "Joint Staff"),
                            ("country_team", "Country team"),
                            ("state_pm", "DoS Political-Military Affairs"),
                            ("partner_rep", "Partner nation representative"),
                            ("industry_rep", "Industry representative"),
                            ("administrator", "Administrator"),
                            ("viewer", "Viewer (read only)"),
                            ("disclosure_officer", "Foreign disclosure officer"),
                            ("classifier", "Classification authority (original or derivative)"),
                            ("security_officer", "Security officer"),
                        ],
                        max_length=24,
                    ),
                ),
                ("since", mh.optional_date()),
                ("user", mh.parent_fk(settings.AUTH_USER_MODEL, related_name="memberships")),
                ("organization", mh.protected_fk("core.organization", related_name="memberships")),
            ],
            options={
                "ordering": ["organization__name", "role"],
            },
        ),
        migrations.CreateModel(
            name="Document",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("guidance", "Guidance"),
                            ("assessment", "Assessment"),
                            ("correspondence", "Correspondence"),
                            ("report", "Report"),
                            ("agreement", "Agreement"),
                            ("briefing", "Briefing"),
                            ("translation", "Informal translation"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                ("summary", models.TextField(blank=True)),
                ("dated", mh.optional_date()),
                ("file", mh.document_file("documents/%Y/%m/")),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("content_type", mh.optional_fk("contenttypes.contenttype")),
                ("country", mh.optional_fk("core.country", related_name="+")),
                ("owner_org", mh.protected_fk("core.organization", related_name="documents")),
            ],
            options={
                "ordering": ["-dated", "title"],
            },
        ),
        migrations.CreateModel(
            name="ChangeLogEntry",
            fields=[
                *mh.marking_fields(),
                ("at", models.DateTimeField(db_index=True)),
                ("username", models.CharField(blank=True, max_length=150)),
                ("request_id", models.UUIDField(db_index=True)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "Created"),
                            ("update", "Updated"),
                            ("delete", "Deleted"),
                            ("transition", "Status change"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "transition",
                    models.CharField(
                        blank=True, help_text="For a status change: its name.", max_length=60
                    ),
                ),
                ("object_id", models.CharField(db_index=True, max_length=64)),
                ("object_repr", models.CharField(max_length=200)),
                ("related_object_id", models.CharField(blank=True, db_index=True, max_length=64)),
                ("before", models.JSONField(blank=True, null=True)),
                ("after", models.JSONField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("partner_visible", models.BooleanField(default=False)),
                ("content_type", mh.protected_fk("contenttypes.contenttype", related_name="+")),
                (
                    "related_content_type",
                    mh.optional_fk("contenttypes.contenttype", related_name="+"),
                ),
                ("user", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("country", mh.scope_key("core.country")),
                ("owner_org", mh.scope_key("core.organization")),
            ],
            options={
                "verbose_name": "change log entry",
                "verbose_name_plural": "change log",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ReferenceFact",
            fields=[
                mh.id_field(),
                (
                    "key",
                    models.SlugField(
                        help_text="Stable name the code looks the fact up by.", max_length=80
                    ),
                ),
                ("label", models.CharField(max_length=200)),
                ("value", mh.usd()),
                (
                    "unit",
                    models.CharField(
                        help_text="days, months, years, USD, percent, flag, …", max_length=20
                    ),
                ),
                ("effective_from", models.DateField(help_text="First day the fact is in force.")),
                (
                    "effective_until",
                    mh.optional_date(
                        help_text="Last day the fact is in force; empty while it still is. Adding a later row of the same key ends this one the day before."
                    ),
                ),
                (
                    "source",
                    models.CharField(help_text="The public guidance that sets it.", max_length=300),
                ),
                ("notes", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["key", "-effective_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "effective_from"), name="fact_key_from_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("effective_until__isnull", True),
                            ("effective_until__gte", models.F("effective_from")),
                            _connector="OR",
                        ),
                        name="fact_until_not_before_from",
                        violation_error_message="A fact cannot end before it takes effect: set 'effective until' on or after 'effective from'.",
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["kind"], name="core_organi_kind_c9e748_idx"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["recipient_org", "acknowledged_at"], name="core_notifi_recipie_6ff280_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["content_type", "object_id"], name="core_notifi_content_f3d083_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("user", "organization", "role"), name="membership_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["content_type", "object_id"], name="core_docume_content_343c2e_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["-dated", "title"], name="document_dated_title_idx"),
        ),
        migrations.AddIndex(
            model_name="changelogentry",
            index=models.Index(
                fields=["content_type", "object_id"], name="core_change_content_2fc18c_idx"
            ),
        ),
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                mh.id_field(),
                ("title", models.CharField(max_length=200)),
                ("path", models.CharField(help_text="The list page exported.", max_length=500)),
                ("query", models.TextField(blank=True, help_text="Its filters, sort and format.")),
                ("format", models.CharField(max_length=8)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting for the task worker"),
                            ("running", "Being written"),
                            ("done", "Ready to download"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("rows_done", models.PositiveIntegerField(default=0)),
                (
                    "rows_expected",
                    models.PositiveIntegerField(
                        default=0, help_text="The rows counted when it was asked for."
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="What the file leaves out, if anything."
                    ),
                ),
                ("marking_text", models.CharField(blank=True, max_length=200)),
                ("access_version", models.BigIntegerField()),
                ("file", models.FileField(blank=True, upload_to="exports/")),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("user", mh.parent_fk(settings.AUTH_USER_MODEL, related_name="+")),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="WebSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    mh.parent_fk(settings.AUTH_USER_MODEL, blank=True, null=True, related_name="+"),
                ),
            ],
            options={
                "verbose_name": "web session",
                "verbose_name_plural": "web sessions",
                "abstract": False,
            },
        ),
        # 0001_squashed_0012_access_change_request
        migrations.RunPython(create_append_only_triggers, drop_append_only_triggers),
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
        migrations.RunPython(close_superseded, migrations.RunPython.noop),
        migrations.RunPython(create_replace_triggers, drop_replace_triggers),
        # 0013_keyset_search_releasability
        list_indexes(
            "core",
            *sorted_indexes("Organization", "name", "short_name", "kind"),
            *sorted_indexes("Document", "dated", "title", "created_at", ("dated", "title")),
            *sorted_indexes("ChangeLogEntry", "at", "username", "action"),
            *sorted_indexes("Notification", "created_at", "subject", "acknowledged_at"),
            *sorted_indexes("User", "display_name"),
            *trigram_indexes("Organization", "name", "short_name"),
            *trigram_indexes("Document", "title", "summary"),
            *trigram_indexes("ChangeLogEntry", "object_repr", "username", "reason"),
            *trigram_indexes("Notification", "subject", "body"),
            *trigram_indexes(
                "User", "username", "display_name", "first_name", "last_name", "email"
            ),
            *[
                Releasability(m)
                for m in ("Organization", "Document", "ChangeLogEntry", "Notification")
            ],
        ),
        # 0016_search_full_text
        search_documents(
            "core",
            Document=("title", "summary"),
            ChangeLogEntry=("object_repr", "reason"),
        ),
    ]
    operations = batched(operations)
