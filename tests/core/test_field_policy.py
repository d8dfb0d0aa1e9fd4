"""Issue 10 item 2 / ARCHITECTURE invariant 8 / R-SEC-10: one field policy per model (core.fields),
applied by the serializer, the filters, the list pages and exports, and the change log."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from secoop.core import actions
from secoop.core import fields
from secoop.core.fields import INDUSTRY
from secoop.core.fields import PARTNER
from secoop.core.fields import USG
from secoop.core.fields import FieldPolicy
from secoop.core.models import ChangeLogEntry
from secoop.core.models import User
from secoop.training import demo as training_demo
from secoop.training.api import PartnerStudentSerializer
from secoop.training.api import StudentSerializer
from secoop.training.models import Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_demo_day():
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


PARTNER_SEES = set(Student.field_policy.partner) | {"marking"}
# What the demo's students carry that a partner may not read through the student API.
HIDDEN_VALUE = "Brigade command, general staff"  # potential
HIDDEN_KEYS = {
    "potential",
    "owner_org",
    "course",
    "cetpp_line",
    "unit",
    "service",
    "career_personnel",
    "nominated_on",
}


def _student():
    return training_demo.student_named("Durand")


def _log_a_hidden_change(student):
    """The SCO edits the student: a partner-visible field and hidden ones in one change."""
    sco = User.objects.get(username="sco.bandaria")
    actions.update_record(
        sco,
        student,
        {
            "rank": "Lt. Col.",
            "potential": "Chief of the general staff",
            "unit": "3rd Border Brigade",
        },
        reason="promoted",
    )
    return (
        ChangeLogEntry.objects.system()
        .filter(content_type__model="student", object_id=str(student.pk))
        .order_by("-id")
        .first()
    )


# --- the policy itself (pure) ---------------------------------------------------------------------


def test_item2_policy_defaults_to_every_field_and_names_what_each_reader_sees():
    policy = FieldPolicy(partner=("id", "status"))
    assert policy.allows(USG, "potential") and policy.allows(INDUSTRY, "potential")
    assert policy.allows(PARTNER, "status") and not policy.allows(PARTNER, "potential")
    assert policy.allows(
        PARTNER, "marking"
    )  # the banner is never hidden from who may see the record
    assert not policy.allows(None, "status")  # no profile, no field
    assert fields.restrict(
        Student, PARTNER, {"status": "x", "potential": "y", "marking": "CUI"}
    ) == {"status": "x", "marking": "CUI"}
    assert fields.restrict(Student, USG, {"potential": "y"}) == {"potential": "y"}
    assert fields.policy_of(User) == fields.EVERY_FIELD and fields.restrict(
        User, PARTNER, {"a": 1}
    ) == {"a": 1}
    assert fields.hidden(
        Student,
        PARTNER,
        [
            "course",
            "course__title",
            "-class_start",
            "get_status_display",
            "fiscal_year",
            "country_id",
        ],
    ) == ["course", "course__title"]


def test_item2_every_model_with_a_policy_keeps_object_repr_to_fields_every_reader_sees():
    """The change log's object_repr is str(record): it must not carry a hidden field."""
    restricted = [m for m in apps.get_models() if fields.policy_of(m).restricts]
    assert Student in restricted
    for model in restricted:
        record = model.objects.system().first()
        blanked = model(
            **{f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields}
        )
        for reader in (PARTNER, INDUSTRY, USG):
            for f in model._meta.concrete_fields:
                if not fields.policy_of(model).allows(reader, f.name) and not f.is_relation:
                    setattr(blanked, f.attname, None if f.null else f.get_default())
        assert str(blanked) == str(record), model


def test_item2_partner_serializer_fields_derive_from_the_policy():
    readable = {name for name, f in PartnerStudentSerializer().fields.items() if not f.write_only}
    assert readable == set(Student.field_policy.partner) | fields.ALWAYS_SHOWN
    assert {"potential", "owner_org", "course", "cetpp_line"} <= set(StudentSerializer().fields)


# --- the change log --------------------------------------------------------------------------------


def test_item2_partner_reading_a_students_change_log_sees_only_partner_fields(api, on_demo_day):
    student = _student()
    entry = _log_a_hidden_change(student)
    rows = (
        api("partner.bandaria")
        .get("/api/v1/changes/", {"object_type": "training.student", "object_id": student.pk})
        .json()["results"]
    )
    assert {r["id"] for r in rows} >= {entry.pk}
    for row in rows:
        for state in (row["before"], row["after"]):
            assert state is None or set(state) <= PARTNER_SEES, set(state) - PARTNER_SEES
    mine = next(r for r in rows if r["id"] == entry.pk)
    assert (
        mine["after"]["rank"] == "Lt. Col."
        and mine["before"]["rank"] == entry.before["rank"] != "Lt. Col."
    )
    detail = api("partner.bandaria").get(f"/api/v1/changes/{entry.pk}/").json()
    assert (
        HIDDEN_VALUE not in str(detail)
        and "Chief of the general staff" not in str(detail)
        and "potential" not in detail["after"]
    )
    everything = str(
        api("partner.bandaria")
        .get("/api/v1/changes/", {"object_type": "training.student", "page_size": 500})
        .json()
    )
    assert HIDDEN_VALUE not in everything and "3rd Border Brigade" not in everything
    # The SCO reads every field of the same entry.
    sco = api("sco.bandaria").get(f"/api/v1/changes/{entry.pk}/").json()
    assert sco["after"]["potential"] == "Chief of the general staff" and HIDDEN_KEYS <= set(
        sco["after"]
    )


def test_item2_change_page_and_changes_export_show_the_partner_only_partner_fields(
    login, on_demo_day
):
    student = _student()
    entry = _log_a_hidden_change(student)
    partner = login("partner.bandaria")
    page = partner.get(reverse("change-detail", args=[entry.pk])).content.decode()
    assert (
        "Lt. Col." in page
        and "Chief of the general staff" not in page
        and "3rd Border Brigade" not in page
    )
    assert ">potential<" not in page and ">unit<" not in page
    sco_page = login("sco.bandaria").get(reverse("change-detail", args=[entry.pk])).content.decode()
    assert "Chief of the general staff" in sco_page and "3rd Border Brigade" in sco_page
    export = partner.get(reverse("changes"), {"format": "xlsx"})
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert any(f"rank: {entry.before['rank']} → Lt. Col." in c for c in cells)
    assert not any(
        HIDDEN_VALUE in c or "Chief of the general staff" in c or "potential" in c for c in cells
    )
    sco_export = login("sco.bandaria").get(reverse("changes"), {"format": "xlsx"})
    sco_cells = [
        str(c)
        for row in load_workbook(io.BytesIO(sco_export.content)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert any(
        "potential: Brigade command, general staff → Chief of the general staff" in c
        for c in sco_cells
    )


def test_field_policy_history_tab_shows_usg_readers_every_field(login, on_demo_day):
    student = _student()
    _log_a_hidden_change(student)
    page = (
        login("sco.bandaria")
        .get(reverse("training:student-detail", args=[student.pk]) + "?tab=history")
        .content.decode()
    )
    assert "Chief of the general staff" in page


def test_item2_entries_read_through_the_door_know_their_reader(users, on_demo_day):
    student = _student()
    entry = _log_a_hidden_change(student)
    as_partner = ChangeLogEntry.objects.visible_to(users["partner.bandaria"]).get(pk=entry.pk)
    assert {f for f, _, _ in as_partner.changed_fields} == {"rank"}
    as_system = ChangeLogEntry.objects.system().get(pk=entry.pk)
    assert {f for f, _, _ in as_system.changed_fields} == {"rank", "potential", "unit"}
    assert [
        e.reader
        for e in ChangeLogEntry.objects.visible_to(users["partner.bandaria"])
        .filter(pk=entry.pk)
        .iterator()
    ] == [PARTNER]


# --- filters, orderings, search, lists ---------------------------------------------------------------


def test_item2_list_search_looks_only_in_fields_the_partner_sees(login, on_demo_day):
    student = _student()
    unit = student.unit
    assert unit
    partner = login("partner.bandaria").get(reverse("training:students"), {"q": unit}).context
    assert student not in [obj for obj, _ in partner["rows"]]
    sco = login("sco.bandaria").get(reverse("training:students"), {"q": unit}).context
    assert student in [obj for obj, _ in sco["rows"]]


def test_r_sec_03_a_change_to_hidden_fields_only_is_not_shown_to_the_partner(api, on_demo_day):
    """An entry whose every change is hidden from the partner would still tell the partner that,
    and when, something hidden changed: the partner does not see it at all; the SCO does."""
    student = _student()
    sco = User.objects.get(username="sco.bandaria")
    actions.update_record(sco, student, {"potential": "Minister of defence"}, reason="assessed")
    entry = (
        ChangeLogEntry.objects.system()
        .filter(content_type__model="student", object_id=str(student.pk))
        .order_by("-id")
        .first()
    )
    assert entry.after["potential"] == "Minister of defence" and not entry.partner_visible
    partner_ids = {
        r["id"]
        for r in api("partner.bandaria")
        .get("/api/v1/changes/", {"object_type": "training.student", "object_id": student.pk})
        .json()["results"]
    }
    assert entry.pk not in partner_ids
    assert api("partner.bandaria").get(f"/api/v1/changes/{entry.pk}/").status_code == 404
    assert api("sco.bandaria").get(f"/api/v1/changes/{entry.pk}/").status_code == 200
    # A change that includes a field the partner sees stays visible to the partner.
    assert _log_a_hidden_change(student).partner_visible
