"""Demo data: the Bandaria border-security objective assessed (issue 17 item 13). The mid-term
IMO's two measures become its indicators (one record per measure) with three years of periods;
the interagency staff talks report an indicator released to Bandaria's MoD (the partner reports
on it); a humanitarian water-well project, UNCLASSIFIED and approved for public release, is what
the IATI file publishes; updates in every state, entered and decided by different people through
the real actions; the project's 30-day post-project evaluation with findings that cite their
evidence; lessons learned. Idempotent: nothing is made if the results exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.core import actions as core
from secoop.core import demo
from secoop.core.markings import Marking
from secoop.planning import actions as planning_actions
from secoop.planning.models import Activity
from secoop.planning.models import ActivityType
from secoop.planning.models import CampaignPlan
from secoop.planning.models import FundingSource
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfActivity
from secoop.planning.models import Measure
from secoop.planning.models import PlanKind
from secoop.planning.rules import Status

from . import actions
from . import rules
from .models import Disaggregation
from .models import Evaluation
from .models import EvaluationFinding
from .models import Indicator
from .models import Lesson
from .models import Period
from .models import Result
from .models import Update
from .rules import Criterion
from .rules import Direction
from .rules import Frequency
from .rules import LessonKind
from .rules import MeasureType
from .rules import Performance
from .rules import ResultType

D = dt.date
NOFORN = "CUI//NOFORN"
REL_XBN = "CUI//REL TO USA, XBN"
PUBLIC = "UNCLASSIFIED"
OBJECTIVE = "Border brigade patrols the northern frontier day and night with its own logistics"
WELLS = "Water wells for border villages (humanitarian assistance)"
PROGRESS = {
    OBJECTIVE: "Night patrols began in November; interdictions rose from 4 to 9 a month (target 25 by FY2029).",
}


def marked(record, marking: str):
    record.marking = Marking.parse(marking)
    return record


def _monthly(first: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    return rules.periods_by_frequency(
        first, rules.add_months(first, months) - dt.timedelta(days=1), Frequency.MONTHLY
    )


@demo.register
def load(made: dict) -> None:
    if Result.objects.system().exists():
        return
    imo = IntermediateObjective.objects.system().filter(title=OBJECTIVE).first()
    if imo is None:
        return  # planning's demo is not loaded
    orgs, users = made["orgs"], made["users"]
    sco, africom, mod = orgs["sco"], orgs["africom"], orgs["mod"]
    officer, planner = users["sco.bandaria"], users["ccmd.planner"]
    le, partner = users["le.staff"], users["partner.bandaria"]

    # 1. The IMO's outcome: its measures are its indicators (R-AME-02), three years of periods.
    outcome = actions.create_result(
        planner,
        marked(
            Result(
                title="The 1st Border Brigade controls the northern frontier",
                description="Outcome of the mid-term IMO: patrols day and night, interdictions rise.",
                result_type=ResultType.OUTCOME,
                imo=imo,
                owner_org=sco,
                country_id="XBN",
            ),
            NOFORN,
        ),
    )
    measures = {m.indicator: m for m in Measure.objects.system().filter(imo=imo)}
    interdictions = actions.create_indicator(
        planner,
        marked(
            Indicator(
                result=outcome,
                measure=measures["Illicit crossings interdicted per month"],
                definition="Crossings stopped by brigade patrols in the month, from the brigade's monthly report, verified by the SCO.",
                data_source="1st Border Brigade monthly operations report",
                frequency=Frequency.MONTHLY,
                responsible_org=sco,
                owner_org=sco,
                country_id="XBN",
            ),
            NOFORN,
        ),
    )
    companies = actions.create_indicator(
        planner,
        marked(
            Indicator(
                result=outcome,
                measure=measures["Companies trained for day and night patrol"],
                definition="Companies that passed the MTT's final patrol exercise by day and by night.",
                data_source="MTT course reports",
                frequency=Frequency.ANNUAL,
                responsible_org=sco,
                owner_org=sco,
                country_id="XBN",
                roll_up=rules.RollUp.SUM,
            ),
            NOFORN,
        ),
    )
    monthly = _monthly(D(2026, 10, 1), 36)
    periods = []
    for n, (start, end) in enumerate(monthly):
        target = Decimal(4) + (Decimal(21) * (n + 1) / len(monthly)).quantize(Decimal(1))
        periods.append(
            actions.add_period(
                planner,
                marked(
                    Period(
                        indicator=interdictions, period_start=start, period_end=end, target=target
                    ),
                    NOFORN,
                ),
                target_unit="interdictions",
            )
        )
    for start, end, target in (
        (D(2026, 10, 1), D(2027, 9, 30), 0),
        (D(2027, 10, 1), D(2028, 9, 30), 3),
        (D(2028, 10, 1), D(2029, 9, 30), 3),
    ):
        actions.add_period(
            planner,
            marked(
                Period(indicator=companies, period_start=start, period_end=end, target=target),
                NOFORN,
            ),
        )
    # October approved (entered by the SCO, approved by the command); November submitted.
    october = actions.enter_update(
        officer,
        periods[0],
        "6",
        narrative="Six crossings interdicted on the Kessa road; two by night.",
    )
    actions.submit_update(officer, october)
    actions.approve_update(planner, october, comment="Consistent with the brigade's report.")
    november = actions.enter_update(
        officer,
        periods[1],
        "9",
        narrative="Nine interdictions; the night patrols began on 12 November.",
    )
    actions.submit_update(officer, november)

    # 2. The staff talks: an output released to Bandaria, which the partner reports on.
    talks = (
        Activity.objects.system().filter(title="Interagency staff talks on border security").first()
    )
    if talks is not None:
        cell = actions.create_result(
            planner,
            marked(
                Result(
                    title="A standing interagency border security cell",
                    result_type=ResultType.OUTPUT,
                    activity=talks,
                    owner_org=sco,
                    country_id="XBN",
                    shared_with_partner=True,
                ),
                REL_XBN,
            ),
        )
        coordination = actions.create_indicator(
            planner,
            marked(
                Indicator(
                    result=cell,
                    title="Interagency coordination of border operations",
                    kind="MOE",
                    measure_type=MeasureType.QUALITATIVE,
                    definition="How the MoD and the Ministry of Interior coordinate border operations, judged at each staff talk.",
                    scale="1 = no coordination\n2 = liaison officers named\n3 = a standing cell meets monthly\n4 = joint operations planned",
                    direction=Direction.ASCENDING,
                    data_source="Staff talk minutes, agreed by both ministries",
                    collection_method="Joint judgement of the SCO and the MoD J3",
                    frequency=Frequency.ANNUAL,
                    responsible_org=mod,
                    baseline=Decimal(1),
                    baseline_on=D(2026, 11, 17),
                    baseline_comment="No standing mechanism before the talks.",
                    owner_org=sco,
                    country_id="XBN",
                    shared_with_partner=True,
                ),
                REL_XBN,
            ),
        )
        period = actions.add_period(
            planner,
            marked(
                Period(
                    indicator=coordination,
                    period_start=talks.start_date,
                    period_end=talks.end_date,
                    target=Decimal(3),
                ),
                REL_XBN,
            ),
        )
        partner_update = actions.enter_update(
            partner,
            period,
            "2",
            narrative="Liaison officers named by both ministries; the cell's charter is in review.",
        )
        actions.submit_update(partner, partner_update)
        # A draft the SCO's locally employed assistant keeps from the minutes (data entry).
        actions.enter_update(
            le, period, "2", narrative="Draft from the minutes, to be checked by the SCO."
        )

    # 3. The humanitarian project (under way): public, reported, evaluated at mid-term.
    wells = _wells_activity(sco)
    water = actions.create_result(
        officer,
        marked(
            Result(
                title="Border villages have safe drinking water",
                description="Eight wells drilled and handed over to village water committees.",
                result_type=ResultType.OUTPUT,
                activity=wells,
                owner_org=sco,
                country_id="XBN",
                shared_with_partner=True,
            ),
            PUBLIC,
        ),
    )
    wells_done = actions.create_indicator(
        officer,
        marked(
            Indicator(
                result=water,
                title="Wells completed and handed over",
                kind="MOP",
                measure_type=MeasureType.UNIT,
                unit="wells",
                definition="Wells drilled, tested and handed over to a village water committee.",
                data_source="Contractor completion certificates, checked by the SCO",
                collection_method="Site visit at handover",
                frequency=Frequency.QUARTERLY,
                responsible_org=sco,
                baseline=Decimal(0),
                baseline_on=D(2026, 9, 15),
                owner_org=sco,
                country_id="XBN",
                shared_with_partner=True,
            ),
            PUBLIC,
        ),
    )
    # R-SEC-10: published once AFRICOM's foreign disclosure officer approves (never the writer).
    releaser = users["security.officer"]
    for record in (water, wells_done):
        actions.approve_public_release(
            releaser, record, reason="Humanitarian water project: release review of 20 Nov 2026."
        )
    first, second, _rest = (
        actions.add_period(
            officer,
            marked(Period(indicator=wells_done, period_start=s, period_end=e, target=t), PUBLIC),
            target_unit="wells",
        )
        for s, e, t in (
            (D(2026, 10, 1), D(2026, 10, 31), 2),
            (D(2026, 11, 1), D(2026, 11, 30), 4),
            (D(2026, 12, 1), D(2027, 3, 31), 8),
        )
    )
    for district, planned in (("Kessa", 5), ("Tamar", 3)):  # the last period's target, by district
        actions.add_disaggregation(
            officer,
            Disaggregation(period=_rest, dimension="district", category=district, amount=planned),
        )
    reported = []
    for period, value, words, by_district in (
        (
            first,
            "2",
            "Two wells handed over to their village water committees.",
            {"Kessa": 1, "Tamar": 1},
        ),
        (
            second,
            "3",
            "One more well handed over; the fourth was delayed by the rains.",
            {"Kessa": 1},
        ),
    ):
        update = actions.enter_update(officer, period, value, narrative=words)
        for district, wells_there in by_district.items():  # the actual, disaggregated
            actions.add_disaggregation(
                officer,
                Disaggregation(
                    period=period,
                    update=update,
                    dimension="district",
                    category=district,
                    amount=wells_there,
                ),
            )
        actions.submit_update(officer, update)
        actions.approve_update(planner, update, comment="Checked against the certificates.")
        reported.append(update)
    returned = actions.enter_update(
        officer, second, "5", narrative="Five wells (two drilled from savings)."
    )
    actions.submit_update(officer, returned)
    actions.return_update(
        planner,
        returned,
        comment="The wells drilled from savings are not in the project and have no certificate.",
    )

    if (
        talks is not None
    ):  # the staff talks ended: their 30-day and 1-year evaluations (dated facts)
        actions.plan_post_project_evaluations(planner, talks)
    wells_review = actions.create_evaluation(
        officer,
        marked(
            Evaluation(
                title="Mid-term evaluation of the water wells project",
                kind=rules.EvaluationKind.MIDTERM,
                activity=wells,
                plan="Are the wells handed over working, and do the committees maintain them? Site visits to every well.",
                due_on=D(2026, 11, 30),
                owner_org=sco,
                country_id="XBN",
            ),
            PUBLIC,
        ),
    )
    actions.start_evaluation(officer, wells_review)
    certificates = core.system_create(
        marked(
            _document(
                "Well handover certificates (3)",
                sco,
                "Signed by each village water committee at handover.",
            ),
            PUBLIC,
        ),
        reason="demo data",
    )
    for criterion, statement, cites, docs, data in (
        (
            Criterion.EFFECTIVENESS,
            "The three wells handed over all work; one pump needed a repair in its first month.",
            reported,
            [certificates],
            "",
        ),
        (
            Criterion.SUSTAINABILITY,
            "Two of the three village committees collect a water fee for repairs.",
            [],
            [],
            "Survey of the three water committees, 25 November 2026.",
        ),
    ):
        actions.add_finding(
            officer,
            marked(
                EvaluationFinding(
                    evaluation=wells_review,
                    criterion=criterion,
                    statement=statement,
                    cited_data=data,
                ),
                PUBLIC,
            ),
            updates=cites,
            documents=docs,
        )
    actions.complete_evaluation(
        officer,
        wells_review,
        recommended_adjustments="Train a pump mechanic per district before handover.",
    )
    mid = actions.create_evaluation(
        planner,
        marked(
            Evaluation(
                title="Mid-term evaluation of the border brigade program",
                kind=rules.EvaluationKind.MIDTERM,
                imo=imo,
                plan="Questions: are patrols sustained without U.S. support? Method: records review, site visits, interviews.",
                due_on=D(2028, 10, 31),
                owner_org=africom,
                country_id="XBN",
            ),
            NOFORN,
        ),
    )
    # 4. The FY2027 campaign plan assessment (R-AME-06): the Joint Staff's template, the command's
    # assessment of each objective, submitted to the Joint Staff for review.
    plan = CampaignPlan.objects.system().get(pk=imo.line_of_effort.campaign_plan_id)
    cycle = actions.issue_campaign_template(
        None,
        plan,
        2027,
        "For each IMO/outcome: progress since the last cycle, risks to it, and whether the resources are adequate.",
        marking=NOFORN,
    )
    for each in (
        IntermediateObjective.objects.system()
        .filter(line_of_effort__campaign_plan=plan)
        .order_by("pk")
    ):
        actions.assess_objective(
            planner,
            cycle,
            each,
            progress=PROGRESS.get(
                each.title, "Not started: its activities begin later in the plan."
            ),
            risks="Border security must stay a national priority after the 2027 elections.",
            resources="adequate" if each.title in PROGRESS else "partly",
        )
    actions.submit_campaign_assessment(planner, cycle)

    # 5. Roll-up (issue 17 item 10): the wells project's indicator rolls up into an indicator of
    # the objective its line of activity serves; monitoring and actual costs (R-AME-04, R-AME-07).
    _roll_up_and_monitoring(planner, officer, wells, wells_done, talks)
    # 6. A campaign support plan assessment (R-AME-06): DSCA's support plan to the command's plan,
    # assessed by DSCA in the same FY2027 cycle on the objectives it supports.
    _support_plan_assessment(users.get("dsca.analyst"), plan)

    # The demo's notices have been read: its to-do items show on the home page without them.
    for reader in (officer, planner):
        for record in (*Update.objects.system().all(), cycle):
            actions.settle_notifications(reader, record)

    for title, kind, observation, recommendation, tags, source, marking in (
        (
            "Hand over wells with a trained mechanic",
            LessonKind.LESSON,
            "A pump failed within a month where no one in the village could repair it.",
            "Train a pump mechanic per district before handover; budget spare parts for a year.",
            "humanitarian, water, sustainability",
            {"evaluation": wells_review},
            PUBLIC,
        ),
        (
            "Night patrols start only with the brigade's own logistics",
            LessonKind.BEST_PRACTICE,
            "Night patrols began once the support battalion fuelled the vehicles itself.",
            "Sequence logistics training before night patrol training.",
            "border, logistics, patrol",
            {"evaluation": mid},
            NOFORN,
        ),
    ):
        actions.create_lesson(
            planner if marking == NOFORN else officer,
            marked(
                Lesson(
                    title=title,
                    kind=kind,
                    observation=observation,
                    recommendation=recommendation,
                    tags=tags,
                    observed_on=D(2026, 11, 25),
                    owner_org=africom if marking == NOFORN else sco,
                    country_id="XBN",
                    **source,
                ),
                marking,
            ),
        )


def _document(title: str, owner, summary: str):
    from secoop.core.models import Document

    return Document(
        title=title, owner_org=owner, country_id="XBN", summary=summary, dated=D(2026, 10, 1)
    )


def _wells_activity(sco) -> Activity:
    existing = Activity.objects.system().filter(title=WELLS).first()
    if existing is not None:
        return existing
    line = (
        LineOfActivity.objects.system()
        .filter(imo__line_of_effort__country_id="XBN")
        .order_by("pk")
        .first()
    )
    activity = Activity(
        title=WELLS,
        activity_type=ActivityType.HA_PROJECT,
        program="OHDACA",
        authority="10 U.S.C. 2561",
        line_of_activity=line,
        country_id="XBN",
        owner_org=sco,
        start_date=D(2026, 10, 1),
        end_date=D(2027, 3, 31),
        status=Status.ONGOING,
        location="Villages of the northern frontier",
        description="Eight wells for villages along the border patrol routes, with village water committees.",
    )
    activity.marking = Marking.parse(PUBLIC)
    planning_actions.check(activity)
    return core.system_create(activity, reason="demo data")


VILLAGES = "Border villages along the patrol routes have safe water"
SUPPORT_PLAN = "DSCA campaign support plan to the AFRICOM campaign plan, FY2027–FY2031"


def _roll_up_and_monitoring(planner, officer, wells, wells_done, talks) -> None:
    imo = _system_imo_of(wells)
    if imo is not None:
        villages = actions.create_result(
            planner,
            marked(
                Result(
                    title=VILLAGES,
                    description="What the humanitarian projects of the objective deliver, rolled up from the projects.",
                    result_type=ResultType.OUTPUT,
                    imo=imo,
                    owner_org=wells.owner_org,
                    country_id="XBN",
                ),
                "CUI",
            ),
        )
        handed_over = actions.create_indicator(
            planner,
            marked(
                Indicator(
                    result=villages,
                    title="Wells handed over in border villages",
                    kind="MOP",
                    measure_type=MeasureType.UNIT,
                    unit="wells",
                    definition="Wells handed over to village water committees by the objective's projects, rolled up from each project's indicator.",
                    data_source="The projects' indicators (roll-up)",
                    frequency=Frequency.ANNUAL,
                    baseline=Decimal(0),
                    baseline_on=D(2026, 9, 15),
                    roll_up=rules.RollUp.SUM,
                    owner_org=wells.owner_org,
                    country_id="XBN",
                ),
                "CUI",
            ),
        )
        actions.add_period(
            planner,
            marked(
                Period(
                    indicator=handed_over,
                    period_start=D(2026, 10, 1),
                    period_end=D(2027, 9, 30),
                    target=Decimal(8),
                ),
                "CUI",
            ),
            target_unit="wells",
        )
        actions.link_contribution(officer, wells_done, handed_over, weight="1")

    for activity, user, start, end, performance, note, inputs, costs in (
        (
            Activity.objects.system()
            .filter(title__startswith="Key leader engagement: Chief of Defence")
            .first(),
            planner,
            D(2026, 10, 20),
            D(2026, 10, 21),
            Performance.ON_TRACK,
            "",
            "AFRICOM J5 deputy director and the SCO chief; two days of meetings.",
            [(2027, FundingSource.OM, "17250.00", "Travel and interpretation")],
        ),
        (
            talks,
            planner,
            D(2026, 11, 17),
            D(2026, 11, 19),
            Performance.ON_TRACK,
            "",
            "Staff talk delegation of six; interpretation; venue at the MoD.",
            [(2027, FundingSource.OM, "44800.00", "Travel, venue and interpretation")],
        ),
        (
            wells,
            officer,
            D(2026, 10, 6),
            None,
            Performance.AT_RISK,
            "The rains delayed the fourth well by three weeks; the contractor adds a second rig in January.",
            "Drilling contractor (one rig), SCO project officer, village water committees.",
            [(2027, FundingSource.OM, "182400.00", "OHDACA: drilling of three wells and handover")],
        ),
    ):
        if activity is None:
            continue
        actions.record_monitoring(
            user,
            activity,
            as_of=D(2026, 12, 1),
            actual_start=start,
            actual_end=end,
            performance=performance,
            performance_note=note,
            inputs_note=inputs,
        )
        for fy, source, amount, words in costs:
            actions.record_actual_cost(
                user, activity, fiscal_year=fy, source=source, amount=amount, note=words
            )


def _system_imo_of(activity: Activity):
    line = LineOfActivity.objects.system().filter(pk=activity.line_of_activity_id).first()
    return IntermediateObjective.objects.system().filter(pk=line.imo_id).first() if line else None


def _support_plan_assessment(dsca_user, plan) -> None:
    """DSCA's campaign support plan, supporting the command's plan (it sets no objectives of its
    own), and its FY2027 assessment: DSCA assesses each objective it supports, not yet submitted."""
    if dsca_user is None:
        return
    support = planning_actions.create(
        dsca_user,
        marked(
            CampaignPlan(
                kind=PlanKind.CSP,
                title=SUPPORT_PLAN,
                owner_org=dsca_user.memberships.order_by("pk").first().organization,
                start_fy=2027,
                end_fy=2031,
                supports=plan,
                summary="How DSCA resources, executes and sustains the security cooperation programs of the AFRICOM campaign plan.",
            ),
            "CUI",
        ),
    )
    cycle = actions.issue_campaign_template(
        None,
        support,
        2027,
        "For each objective you support: what your programs delivered, the risks to it, and whether the resources are adequate.",
        marking=NOFORN,
    )
    for each in (
        IntermediateObjective.objects.system()
        .filter(line_of_effort__campaign_plan=plan)
        .order_by("pk")
    ):
        actions.assess_objective(
            dsca_user,
            cycle,
            each,
            progress=(
                "Section 333 case for patrol vehicles and night-vision devices implemented; deliveries start in FY2028."
                if each.title == OBJECTIVE
                else "DSCA programs for this objective start later in the plan."
            ),
            risks="FMF for the radars depends on the FY2028 appropriation.",
            resources="adequate" if each.title == OBJECTIVE else "partly",
        )
    actions.settle_notifications(dsca_user, cycle)
