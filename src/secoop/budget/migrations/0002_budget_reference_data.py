"""The notional timeline of SAMM Table C2.T2 (R-BUD-05) and the forecast thresholds (R-FCT-02,
R-FCT-03) as dated data with their sources (SPEC §11: facts that change are data)."""

import datetime as dt

from django.db import migrations

from secoop.core import migration_helpers as mh

SAMM = "SAMM C2.3.3.1.8, Table C2.T2"
SAMM_DATE = dt.date(2012, 9, 12)  # "Page Updated 09-12-2012" on the SAMM C2 text
NOTE = "Notional: the real dates come with each year's call (FMF/IMET Budget Web Tool)."

# (order, timing, month, day, year offset from the budget FY, stage that hands on, action)
STEPS = [
    (
        1,
        "Mid August",
        8,
        15,
        -2,
        "",
        "DSCA provides preliminary information to SCOs in preparation for the annual FMF and IMET Budget data call.",
    ),
    (
        2,
        "Mid September",
        9,
        15,
        -2,
        "",
        "DSCA requests SCOs to prepare their annual budget submissions. SCOs formulate their budget requests.",
    ),
    (
        3,
        "Late October",
        10,
        25,
        -2,
        "sco",
        "SCOs submit their budget requests to the Combatant Commands, who review and modify the SCOs' requests, as required, to address DoD requirements.",
    ),
    (
        4,
        "Early November",
        11,
        5,
        -2,
        "",
        "DSCA conducts video conferences with OSD Policy Regional offices, Joint Staff, and each Combatant Command to review the SCO budget submissions, as required.",
    ),
    (
        5,
        "Mid December",
        12,
        15,
        -2,
        "ccmd",
        "Combatant Commands submit budget data to the Joint Staff, who reviews and ensures requirements are accurately addressed.",
    ),
    (
        6,
        "Early January",
        1,
        5,
        -1,
        "joint_staff",
        "Joint Staff submits budget data to DSCA. DSCA reviews the Joint Staff submission and makes adjustments as necessary to address legal, policy, and logistical execution issues as well as guidance compliance.",
    ),
    (
        7,
        "Early February",
        2,
        5,
        -1,
        "dsca",
        "DSCA submits budget data to OSD Policy Regional offices. They review the DSCA submission and make adjustments as necessary.",
    ),
    (
        8,
        "Mid February",
        2,
        15,
        -1,
        "",
        "DSCA prepares the DoS-approved FMF program baseline for the execution year for Congress.",
    ),
    (
        9,
        "Early March",
        3,
        5,
        -1,
        "",
        "DSCA coordinates and prepares the budget recommendation package for USD(P) approval. SCOs provide proposed spend plan updates for prior year uncommitted FMF funding.",
    ),
    (
        10,
        "Mid March",
        3,
        15,
        -1,
        "",
        "DSCA conducts video conferences with OSD Policy Regional offices, Joint Staff, and each Combatant Command to present the DoD budget recommendations and prepare for the State/PM budget roundtables.",
    ),
    (11, "Mid March", 3, 16, -1, "osd", "DoD budget recommendations are provided to DoS."),
    (12, "Mid April", 4, 15, -1, "dos", "State/PM conducts regional budget roundtables."),
]

FACTS = [
    (
        "fct-javits-mde-usd",
        "Javits report: possible sales of major defense equipment from this value",
        "7000000",
        "USD",
        SAMM_DATE,
        "AECA §25; SAMM C2.1.3.5.1",
        "R-FCT-02. Effective date: the SAMM C2 page date; the statutory figure is older.",
    ),
    (
        "fct-javits-other-usd",
        "Javits report: possible sales of other defense articles and services from this value",
        "25000000",
        "USD",
        SAMM_DATE,
        "AECA §25; SAMM C2.1.3.5.1",
        "R-FCT-02. Effective date: the SAMM C2 page date; the statutory figure is older.",
    ),
    (
        "fct-sales-forecast-probability-percent",
        "FMS sales forecast: only sales at least this likely (highly probable)",
        "90",
        "percent",
        SAMM_DATE,
        "SAMM C2.1.3.5.2 (DSCA defines highly probable as 90% likelihood)",
        "R-FCT-03.",
    ),
    (
        "fct-sales-forecast-fiscal-years",
        "FMS sales forecast: how many fiscal years it projects",
        "2",
        "years",
        SAMM_DATE,
        "SAMM C2.1.3.5.3",
        "R-FCT-03.",
    ),
    (
        "fct-consonance-tolerance-percent",
        "Consonance check: two amounts disagree when they differ by more than this share of the larger",
        "10",
        "percent",
        SAMM_DATE,
        "secoop default for R-FCT-04 (SAMM C2.1.3.5.4 sets no figure)",
        "To confirm with DSCA: no public source gives a tolerance.",
    ),
]


def load(apps, schema_editor):
    NotionalStep = apps.get_model("budget", "NotionalStep")
    for order, timing, month, day, offset, stage, action in STEPS:
        NotionalStep.objects.update_or_create(
            effective_from=SAMM_DATE,
            order=order,
            defaults={
                "timing": timing,
                "month": month,
                "day": day,
                "year_offset": offset,
                "stage": stage,
                "action": action,
                "source": SAMM,
                "notes": NOTE,
            },
        )
    mh.write_facts(apps, FACTS)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_budget_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
