"""Issue 15 items 1–3 for training: indexes behind the keyset lists' orders, trigram indexes for
search, the releasability index. See secoop.core.dbindex."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes

MARKED = (
    "Course",
    "CourseCost",
    "TrainingPlan",
    "Allocation",
    "Cetpp",
    "CetppLine",
    "Student",
    "Readiness",
    "Vetting",
    "ScreeningCheck",
    "Waiver",
    "Ito",
    "ArrivalNotice",
    "AfterTraining",
    "GraduatePosition",
    "TrainingSettings",
)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_vetting_clock_funding_accompanied"),
        ("core", "0013_keyset_search_releasability"),
    ]

    operations = [
        list_indexes(
            "training",
            *sorted_indexes(
                "Student",
                ("class_start", "family_name"),
                "class_start",
                "class_end",
                "family_name",
                "course_title",
                "program",
                "status",
            ),
            *sorted_indexes(
                "Course", "title", "school", "length_weeks", "min_ecl", "eimet_certified_on"
            ),
            *sorted_indexes(
                "TrainingPlan", "first_fy", "title", "last_fy", ("country", "first_fy")
            ),
            *sorted_indexes("Cetpp", ("plan", "fiscal_year")),
            *sorted_indexes("Vetting", ("student", "subject", "requested_on")),
            *sorted_indexes("ScreeningCheck", ("student", "kind")),
            *sorted_indexes("Ito", "issued_on"),
            *sorted_indexes("ArrivalNotice", "due_on", "eta"),
            *trigram_indexes("Course", "course_id", "title", "school", "location"),
            *trigram_indexes("TrainingPlan", "title"),
            *trigram_indexes("Cetpp", "notes"),
            *trigram_indexes("Student", "given_name", "family_name", "course_title", "unit"),
            *trigram_indexes("Vetting", "reference", "unit_name"),
            *trigram_indexes("ScreeningCheck", "notes"),
            *trigram_indexes("Ito", "number", "course_title"),
            *trigram_indexes("ArrivalNotice", "installation", "flight"),
            *[Releasability(m) for m in MARKED],
        )
    ]
