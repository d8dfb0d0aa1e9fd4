"""The IATI 2.03 activity file (issue 17 item 9): planning activities with their results,
indicators, baselines and periods (targets, approved actuals, disaggregations as dimensions).

Only what may be published leaves: records the requesting user may see (the door first), that
are UNCLASSIFIED without a dissemination control and, for results and indicators, approved for
public release (rules.public_problem). The file says, in a comment at its top, how many of the
records the user could see were left out and why — counts only, never a left-out record's title.
Codes follow IATI's codelists (SPEC §11, IATI codes row): reporting-org type 10 (government),
activity status 1–5, result types 1/2/3/9, indicator measure 1/2/5.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone

from secoop.core.related import related
from secoop.planning.models import Activity
from secoop.planning.models import ActivityType

from . import rules
from .models import Disaggregation
from .models import Indicator
from .models import Period
from .models import Result
from .models import Update
from .rules import Direction
from .rules import UpdateStatus

# DAC 5-digit sectors (vocabulary 1): humanitarian projects under material relief; the rest under
# security system management and reform (SPEC §11: it fits governance work, not purely military
# training — a question for the domain owner, see docs/decisions).
SECTOR_HA = "72010"
SECTOR_SECURITY = "15210"


def _narrative(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    ET.SubElement(el, "narrative").text = text
    return el


def _public(record) -> str | None:
    return rules.public_problem(
        record.classification, record.dissemination, getattr(record, "public_release", True)
    )


def _value(number) -> str:
    return format(number.normalize(), "f")


class Report:
    """What was left out, by kind and reason."""

    def __init__(self):
        self.left_out: Counter[tuple[str, str]] = Counter()
        self.activities = 0

    def leave_out(self, kind: str, why: str) -> None:
        self.left_out[(kind, why)] += 1

    def lines(self) -> list[str]:
        if not self.left_out:
            return ["Nothing you may see was left out."]
        return [
            f"Left out: {n} {kind}(s), {why}." for (kind, why), n in sorted(self.left_out.items())
        ]


def _keep(records, kind: str, report: Report, *, flag: bool = True) -> list:
    kept = []
    for r in records:
        why = _public(r) if flag else rules.public_problem(r.classification, r.dissemination, True)
        if why:
            report.leave_out(kind, why)
        else:
            kept.append(r)
    return kept


def build(user) -> tuple[bytes | None, Report]:
    """The IATI file of what `user` may see and publish, and what was left out; None when
    nothing may be published (an IATI file holds at least one activity)."""
    report = Report()
    results = list(
        Result.objects.visible_to(user).filter(activity__isnull=False).order_by("activity_id", "pk")
    )
    imo_results = Result.objects.visible_to(user).filter(imo__isnull=False).count()
    if imo_results:
        report.left_out[
            ("result", "under an IMO/outcome, not an activity (IATI publishes activities)")
        ] += imo_results
    results = _keep(results, "result", report)
    indicators = _keep(
        Indicator.objects.visible_to(user).filter(result__in=results).order_by("pk"),
        "indicator",
        report,
    )
    periods = _keep(
        Period.objects.visible_to(user).filter(indicator__in=indicators).order_by("period_start"),
        "period",
        report,
        flag=False,
    )
    actuals = _keep(
        Update.objects.visible_to(user)
        .filter(period__in=periods, status=UpdateStatus.APPROVED)
        .order_by("pk"),
        "approved update",
        report,
        flag=False,
    )
    parts = _keep(
        Disaggregation.objects.visible_to(user).filter(period__in=periods).order_by("pk"),
        "disaggregation",
        report,
        flag=False,
    )
    by_result: dict[int, list[Indicator]] = {}
    for i in indicators:
        by_result.setdefault(i.result_id, []).append(i)
    by_indicator: dict[int, list[Period]] = {}
    for p in periods:
        by_indicator.setdefault(p.indicator_id, []).append(p)
    actual_of = {u.period_id: u for u in actuals}  # the latest approved (ordered by pk)
    targets_of: dict[int, list[Disaggregation]] = {}
    actual_parts: dict[int, list[Disaggregation]] = {}
    for d in parts:
        if d.update_id is None:
            targets_of.setdefault(d.period_id, []).append(d)
        else:
            actual_parts.setdefault(d.update_id, []).append(d)

    activities: dict[int, tuple[Activity, list[Result]]] = {}
    for r in results:
        if not by_result.get(r.pk):
            report.leave_out("result", "has no indicator that may be published (IATI needs one)")
            continue
        activity = related(r, "activity", user)
        if activity is None:
            report.leave_out("result", "its activity is one you may not see")
            continue
        why = rules.public_problem(activity.classification, activity.dissemination, True)
        if why:
            report.leave_out(
                "result",
                f"its activity is {why}" if why.startswith("not") else f"its activity {why}",
            )
            continue
        activities.setdefault(activity.pk, (activity, []))[1].append(r)
    if not activities:
        return None, report

    now = timezone.now().replace(microsecond=0)
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now.isoformat()})
    root.append(ET.Comment(" secoop IATI export. " + " ".join(report.lines()) + " "))
    org_ref = settings.IATI_REPORTING_ORG_REF
    for activity, its_results in activities.values():
        report.activities += 1
        el = ET.SubElement(
            root,
            "iati-activity",
            {
                "last-updated-datetime": activity.updated_at.replace(microsecond=0).isoformat(),
                "{http://www.w3.org/XML/1998/namespace}lang": "en",
                "default-currency": "USD",
            },
        )
        ET.SubElement(el, "iati-identifier").text = f"{org_ref}-secoop-activity-{activity.pk}"
        org = ET.SubElement(el, "reporting-org", {"ref": org_ref, "type": "10"})
        ET.SubElement(org, "narrative").text = settings.IATI_REPORTING_ORG_NAME
        _narrative(el, "title", activity.title)
        if activity.description:
            _narrative(el, "description", activity.description)
        partner = ET.SubElement(
            el, "participating-org", {"role": "4", "type": "10", "ref": org_ref}
        )
        ET.SubElement(partner, "narrative").text = settings.IATI_REPORTING_ORG_NAME
        ET.SubElement(el, "activity-status", {"code": rules.iati_activity_status(activity.status)})
        ET.SubElement(
            el, "activity-date", {"iso-date": activity.start_date.isoformat(), "type": "1"}
        )
        ET.SubElement(el, "activity-date", {"iso-date": activity.end_date.isoformat(), "type": "3"})
        if activity.completed_on:
            ET.SubElement(
                el, "activity-date", {"iso-date": activity.completed_on.isoformat(), "type": "4"}
            )
        alpha2, name = _country(activity)
        country = ET.SubElement(el, "recipient-country", {"code": alpha2, "percentage": "100"})
        ET.SubElement(country, "narrative").text = name
        sector = SECTOR_HA if activity.activity_type == ActivityType.HA_PROJECT else SECTOR_SECURITY
        ET.SubElement(el, "sector", {"vocabulary": "1", "code": sector, "percentage": "100"})
        for r in its_results:
            _result(el, r, by_result[r.pk], by_indicator, actual_of, targets_of, actual_parts)
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body, report


def _country(activity: Activity) -> tuple[str, str]:
    """(alpha-2 code, name) of the activity's country: IATI codes it by ISO 3166-1 alpha-2 and
    names it in the narrative (reference data, unmarked)."""
    from secoop.core.models import Country

    found = Country.objects.filter(pk=activity.country_id).values_list("alpha2", "name").first()
    return found or ("", activity.country_id)


def _result(
    parent, r: Result, indicators, by_indicator, actual_of, targets_of, actual_parts
) -> None:
    el = ET.SubElement(parent, "result", {"type": r.result_type, "aggregation-status": "0"})
    _narrative(el, "title", r.title)
    if r.description:
        _narrative(el, "description", r.description)
    for i in indicators:
        sheet = i.facts()
        attrs = {"measure": i.measure_type}
        if not sheet.qualitative:
            attrs["ascending"] = "1" if i.direction == Direction.ASCENDING else "0"
        ind = ET.SubElement(el, "indicator", attrs)
        _narrative(ind, "title", str(i))
        if i.definition:
            _narrative(ind, "description", i.definition)
        if sheet.has_baseline:
            ET.SubElement(
                ind,
                "baseline",
                {
                    "year": str(sheet.baseline_on.year),
                    "iso-date": sheet.baseline_on.isoformat(),
                    "value": _value(sheet.baseline),
                },
            )
        for p in by_indicator.get(i.pk, []):
            period = ET.SubElement(ind, "period")
            ET.SubElement(period, "period-start", {"iso-date": p.period_start.isoformat()})
            ET.SubElement(period, "period-end", {"iso-date": p.period_end.isoformat()})
            if p.target is not None:
                ET.SubElement(period, "target", {"value": _value(p.target)})
            _parts(period, "target", targets_of.get(p.pk, []))
            update = actual_of.get(p.pk)
            if update is not None:
                ET.SubElement(period, "actual", {"value": _value(update.value)})
                _parts(period, "actual", actual_parts.get(update.pk, []))


def _parts(period, tag: str, parts) -> None:
    """One target or actual per disaggregated part, its dimension named (IATI: `dimension`
    name = the dimension, value = its category)."""
    for d in parts:
        el = ET.SubElement(period, tag, {"value": _value(d.amount)})
        ET.SubElement(el, "dimension", {"name": d.dimension, "value": d.category})


def filename(on: dt.date) -> str:
    return f"secoop-iati-{on:%Y-%m-%d}.xml"
