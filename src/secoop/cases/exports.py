"""Documents of a case, through the door: the LOA summary (PDF via WeasyPrint, DOCX via
python-docx) and the case status report (XLSX). Each carries the highest marking of what it
shows, in the banner of every page or sheet and in every page's print header and footer; the
documents are built by the shared `secoop.reports` package."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils import timezone

from secoop.core.formats import day
from secoop.core.formats import usd
from secoop.core.markings import combine
from secoop.core.related import related
from secoop.core.viewkit import visible_or_404
from secoop.reports import docx as word
from secoop.reports import pdf as pdfs
from secoop.reports import xlsx as excel
from secoop.reports.common import Report
from secoop.reports.common import generated

from .models import CaseAmendment
from .models import CaseLine
from .models import Delivery
from .models import FmsCase
from .models import PaymentScheduleEntry
from .models import Shipment
from .models import SupplyDiscrepancyReport
from .views import of_case


def summary(user, pk) -> dict:
    """What the LOA summary and the status report show, all of it read through the door."""
    case = get_object_or_404(
        FmsCase.objects.visible_to(user).select_related("country", "owner_org", "lor"), pk=pk
    )
    today = timezone.localdate()
    lines = of_case(case, CaseLine.objects.visible_to(user).filter(case=case).order_by("number"))
    deliveries = of_case(
        case,
        Delivery.objects.visible_to(user)
        .filter(case=case)
        .select_related("line")
        .order_by("planned_on"),
    )
    versions = of_case(
        case, CaseAmendment.objects.visible_to(user).filter(case=case).order_by("number")
    )
    payments = of_case(case, PaymentScheduleEntry.objects.visible_to(user).filter(case=case))
    shipments = of_case(case, Shipment.objects.visible_to(user).filter(case=case))
    sdrs = of_case(case, SupplyDiscrepancyReport.objects.visible_to(user).filter(case=case))
    shown = [case, *lines, *deliveries, *versions, *payments, *shipments, *sdrs]
    ia = related(case, "owner_org", user)
    return {
        "case": case,
        "today": today,
        "lines": lines,
        "versions": versions,
        "payments": payments,
        "shipments": shipments,
        "sdrs": sdrs,
        # (delivery, its line or None when the user may not see it, days late)
        "deliveries": [(d, related(d, "line", user), d.days_late(today)) for d in deliveries],
        "total": sum((ln.total_value for ln in lines), start=0),
        "ia": str(ia) if ia is not None else "(restricted)",
        "marking": combine(r.marking for r in shown),
        "status": case.status_label(today),
        "generated": generated(user),
    }


LOA_TEMPLATE = "cases/loa_pdf.html"


def loa_pdf_bytes(ctx: dict) -> bytes:
    return pdfs.pdf(LOA_TEMPLATE, ctx, ctx["marking"])


@login_required
def loa_pdf(request, pk):
    ctx = summary(request.user, pk)
    name = f"loa-{ctx['case'].identifier}.pdf"
    return Report(loa_pdf_bytes(ctx), name, ctx["marking"]).response()


def _loa_facts(ctx: dict) -> list[tuple[str, str]]:
    case = ctx["case"]

    return [
        ("Implementing agency", ctx["ia"]),
        ("LOA type", case.get_loa_type_display()),
        ("Case category / AOD group", f"{case.get_category_display()} / {case.aod_group}"),
        ("AOD", day(case.aod)),
        ("Offered", day(case.offered_on)),
        ("OED", day(case.oed)),
        ("Accepted", day(case.accepted_on)),
        ("Document version", str(case.version)),
        ("Total value", usd(ctx["total"])),
    ]


def _loa_lines(ctx: dict) -> list[list[str]]:
    rows = []
    for ln in ctx["lines"]:
        flags = " ".join(
            x for x, on in (("SME", ln.sme), ("MDE", ln.mde), ("FMF", ln.fmf_funded)) if on
        )
        rows.append(
            [
                ln.number,
                ln.item,
                str(ln.quantity),
                usd(ln.unit_value),
                usd(ln.total_value),
                flags,
            ]
        )
    return rows


def loa_docx_bytes(ctx: dict) -> bytes:
    case = ctx["case"]
    doc = word.document(ctx["marking"])
    doc.add_heading(f"LOA summary: {case.identifier}", level=0)
    doc.add_paragraph(f"{case.title} — {case.country} — {ctx['status']}")
    word.table(doc, None, _loa_facts(ctx), font_size=10)
    doc.add_heading("Lines", level=1)
    word.table(
        doc,
        ["Line", "Item", "Qty", "Unit value", "Total", "SME/MDE · FMF"],
        _loa_lines(ctx),
    )
    if ctx["versions"]:
        doc.add_heading("Amendments and modifications", level=1)
        for v in ctx["versions"]:
            doc.add_paragraph(
                f"{v} ({v.get_status_display()}): {v.description} — {usd(v.value_before)} → {usd(v.value_after)}",
                style="List Bullet",
            )
    doc.add_heading("Deliveries", level=1)
    for d, line, late in ctx["deliveries"]:
        what = f"Line {line.number} {line.item}" if line is not None else "(restricted line)"
        done = f"delivered {day(d.actual_on)} ({d.actual_quantity})" if d.actual_on else "open"
        doc.add_paragraph(
            f"{what}: {d.planned_quantity} planned {day(d.planned_on)}, {done}"
            + (f", {late} days late" if late else ""),
            style="List Bullet",
        )
    doc.add_paragraph(f"{ctx['generated']}.").runs[0].italic = True
    return word.save(doc)


@login_required
def loa_docx(request, pk):
    ctx = summary(request.user, pk)
    name = f"loa-{ctx['case'].identifier}.docx"
    return Report(loa_docx_bytes(ctx), name, ctx["marking"]).response()


def status_xlsx_bytes(ctx: dict) -> bytes:
    case, marking = ctx["case"], ctx["marking"]
    wb = excel.workbook()
    heading = [f"Case status report {case.identifier} — {ctx['status']} — {ctx['generated']}"]

    def sheet(title, headers, rows):
        excel.table_sheet(wb, title, marking, headers, rows, heading=heading)

    sheet(
        "Case",
        ["Field", "Value"],
        [
            ["Identifier", case.identifier],
            ["Title", case.title],
            ["Purchaser", str(case.country)],
            ["Implementing agency", ctx["ia"]],
            ["Status", ctx["status"]],
            ["AOD", case.aod],
            ["Offered", case.offered_on],
            ["OED", case.oed],
            ["Accepted", case.accepted_on],
            ["Implemented", case.implemented_on],
            ["Version", case.version],
            ["Total value (USD)", ctx["total"]],
        ],
    )
    sheet(
        "Lines",
        ["Line", "Item", "Quantity", "Unit value (USD)", "Total (USD)", "SME", "MDE", "FMF"],
        [
            [
                ln.number,
                ln.item,
                ln.quantity,
                ln.unit_value,
                ln.total_value,
                ln.sme,
                ln.mde,
                ln.fmf_funded,
            ]
            for ln in ctx["lines"]
        ],
    )
    sheet(
        "Deliveries",
        ["Line", "Planned", "Planned qty", "Delivered", "Delivered qty", "Days late"],
        [
            [
                line.number if line is not None else "(restricted)",
                d.planned_on,
                d.planned_quantity,
                d.actual_on,
                d.actual_quantity,
                late,
            ]
            for d, line, late in ctx["deliveries"]
        ],
    )
    sheet(
        "Payments",
        ["Due", "Amount (USD)", "Initial deposit", "Paid"],
        [[p.due_on, p.amount, p.initial_deposit, p.paid_on] for p in ctx["payments"]],
    )
    sheet(
        "SDRs",
        ["SDR", "Reported", "Kind", "Value (USD)", "Status"],
        [
            [
                str(s),
                s.reported_on,
                s.get_discrepancy_display(),
                s.value,
                s.get_status_display(),
            ]
            for s in ctx["sdrs"]
        ],
    )
    return excel.save(wb, marking)


@login_required
def status_xlsx(request, pk):
    ctx = summary(request.user, pk)
    name = f"case-status-{ctx['case'].identifier}.xlsx"
    return Report(status_xlsx_bytes(ctx), name, ctx["marking"]).response()


# --- FMS metrics ----------------------------------------------------------------------------------


def _number(value):
    """A Decimal figure as a number Excel sums, or an empty cell."""
    return float(value) if value is not None else None


def metrics_xlsx(marking, user, today, aod, timely, durations, goal, documents=None) -> Report:
    """The metrics dashboard's figures: AOD performance, delivery timeliness, durations, and (when
    given, metrics.document_aod) LOAs, amendments and modifications against the AOD."""
    wb = excel.workbook()
    excel.table_sheet(
        wb,
        "AOD performance",
        marking,
        ["Grouping", "Group", "On or before AOD", "Offered", "Share (%)"],
        [
            (
                "all",
                "all",
                aod["overall"].on_time,
                aod["overall"].total,
                _number(aod["overall"].percent),
            )
        ]
        + [
            (name, key, s.on_time, s.total, _number(s.percent))
            for name, groups in aod["by"].items()
            for key, s in groups.items()
        ],
        heading=[
            f"FMS metrics on {day(today)}, for {user.username}; AOD goal {goal.normalize():f}% (§11 AOD, dated fact)"
        ],
    )
    timeliness = [("all", "all", timely["overall"])] + [
        (n, k, t) for n, g in timely["by"].items() for k, t in g.items()
    ]
    excel.table_sheet(
        wb,
        "Delivery timeliness",
        marking,
        ["Grouping", "Group", "Due", "Late", "Late share (%)", "Mean days late", "Max days late"],
        [
            (
                name,
                key,
                t.due,
                t.late,
                _number(t.late_percent),
                _number(t.mean_days_late),
                t.max_days_late,
            )
            for name, key, t in timeliness
        ],
    )
    excel.table_sheet(
        wb,
        "Durations",
        marking,
        ["Measure", "Count", "Mean days", "Median days"],
        [
            (name.replace("_", " "), d.count, _number(d.mean), _number(d.median))
            for name, d in durations.items()
        ],
    )
    if documents is not None:  # §11 AOD: amendments to offer, modifications to implementation
        excel.table_sheet(
            wb,
            "Documents against the AOD",
            marking,
            ["Document", "Group", "On or before AOD", "Measured", "Share (%)"],
            [
                (doc, "all", s.on_time, s.total, _number(s.percent))
                for doc, s in documents["overall"].items()
            ]
            + [
                (doc, group, s.on_time, s.total, _number(s.percent))
                for doc, groups in documents["by_group"].items()
                for group, s in groups.items()
            ],
        )
        excel.table_sheet(
            wb,
            "Late documents by code",
            marking,
            ["Delay reason code", *documents["overall"]],
            [
                (code, *(counts[d] for d in documents["overall"]))
                for code, counts in documents["late_by_code"].items()
            ],
        )
    return Report(excel.save(wb, marking), f"fms-metrics-{today:%Y%m%d}.xlsx", marking)


# === closure and billing (issue 13 items 6–7) ======================================================
# The case closure certificate (RCG A7.C4.6) as a marked PDF, and the quarterly DD Form 645 as a
# marked XLSX and PDF. Everything shown is read through the door; the partner's statement carries
# no reconciliation (BillingStatement.field_policy, R-SEC-03).

import datetime as dt  # noqa: E402 — this section's imports
from decimal import Decimal  # noqa: E402

from django.http import Http404  # noqa: E402

from secoop.core import fields as field_policy  # noqa: E402
from secoop.core.verdicts import Refused  # noqa: E402

from . import rules  # noqa: E402
from .models import BillingStatement  # noqa: E402
from .models import LineClosure  # noqa: E402

CERTIFICATE_TEMPLATE = "cases/closure_certificate_pdf.html"
DD645_TEMPLATE = "cases/dd645_pdf.html"


def certificate(user, pk) -> dict:
    """What the closure certificate shows: the case, its closure dates, each line and how it
    closed. Refused (404 at the view) before the case is closed."""
    ctx = summary(user, pk)
    case = ctx["case"]
    problem = rules.certificate_problem(case.status)
    if problem is not None:
        raise Refused(problem)
    closures = {
        lc.line_id: lc
        for lc in of_case(case, LineClosure.objects.visible_to(user).filter(case=case))
    }
    ctx.update(
        line_rows=[(ln, closures.get(ln.pk)) for ln in ctx["lines"]],
        marking=combine([ctx["marking"], *(lc.marking for lc in closures.values())]),
        kind="Final" if case.closed_on else "Interim",
    )
    return ctx


def certificate_pdf_bytes(ctx: dict) -> bytes:
    return pdfs.pdf(CERTIFICATE_TEMPLATE, ctx, ctx["marking"])


@login_required
def closure_certificate_pdf(request, pk):
    try:
        ctx = certificate(request.user, pk)
    except Refused as exc:
        raise Http404(str(exc)) from None
    name = f"closure-certificate-{ctx['case'].identifier}.pdf"
    return Report(certificate_pdf_bytes(ctx), name, ctx["marking"]).response()


def statement(user, pk, statement_id) -> dict:
    """One DD Form 645 of the case (the latest when none is named), through the door."""
    case = visible_or_404(FmsCase, user, pk)
    rows = of_case(case, BillingStatement.objects.visible_to(user).filter(case=case))
    chosen = (
        next((s for s in rows if str(s.pk) == str(statement_id)), None)
        if statement_id
        else (rows[0] if rows else None)
    )
    if chosen is None:
        raise Http404("No such billing statement that you may see.")
    reader = field_policy.reader_of(user)
    f = chosen.figures
    money = {
        k: Decimal(v)
        for k, v in f.items()
        if k not in ("period_start", "period_end", "payment_due_on")
    }
    return {
        "case": case,
        "statement": chosen,
        "money": money,
        "period_start": dt.date.fromisoformat(f["period_start"]),
        "lines": chosen.lines,
        "differences": chosen.differences
        if field_policy.allows(BillingStatement, reader, "differences")
        else None,
        "notes": chosen.reconciliation_notes
        if field_policy.allows(BillingStatement, reader, "reconciliation_notes")
        else "",
        "marking": combine([case.marking, chosen.marking]),
        "generated": generated(user),
    }


DD645_ROWS = (
    ("case_value", "Total case value"),
    ("scheduled_to_date", "Payments scheduled to the quarter's end"),
    ("scheduled_to_due", "Payments scheduled to the payment due date"),
    ("collected_in_period", "Collections this quarter"),
    ("collected_to_date", "Collections to date"),
    ("expended_in_period", "Costs accrued this quarter (deliveries and services)"),
    ("expended_to_date", "Costs accrued to date"),
    ("obligated_to_date", "Obligations to date"),
    ("amount_due", "Amount due and payable"),
)


def dd645_xlsx_bytes(ctx: dict) -> bytes:
    s, marking = ctx["statement"], ctx["marking"]
    wb = excel.workbook()
    heading = [
        f"DD Form 645 — FMS billing statement {ctx['case'].identifier}, quarter ended {day(s.period_end)} — {ctx['generated']}"
    ]
    excel.table_sheet(
        wb,
        "Statement",
        marking,
        ["Figure", "USD"],
        [
            ["Case", ctx["case"].identifier],
            ["Quarter ended", s.period_end],
            ["Issued", s.issued_on],
            ["Payment due", s.payment_due_on],
            *[[label, ctx["money"][key]] for key, label in DD645_ROWS],
        ],
        heading=heading,
    )
    excel.table_sheet(
        wb,
        "Lines",
        marking,
        ["Line", "Item", "Value (USD)", "Costs this quarter (USD)", "Costs to date (USD)"],
        [
            [
                ln["number"],
                ln["item"],
                Decimal(ln["value"]),
                Decimal(ln["expended_in_period"]),
                Decimal(ln["expended"]),
            ]
            for ln in ctx["lines"]
        ],
        heading=heading,
    )
    if ctx["differences"] is not None:
        excel.table_sheet(
            wb,
            "Reconciliation",
            marking,
            ["Difference", "Amount (USD)", "Needs action"],
            [
                [d["label"], Decimal(d["amount"]), "yes" if d["attention"] else ""]
                for d in ctx["differences"]
            ],
            heading=heading,
        )
    return excel.save(wb, marking)


def dd645_pdf_bytes(ctx: dict) -> bytes:
    rows = [(label, ctx["money"][key]) for key, label in DD645_ROWS]
    return pdfs.pdf(DD645_TEMPLATE, {**ctx, "rows": rows}, ctx["marking"])


@login_required
def dd645_xlsx(request, pk):
    ctx = statement(request.user, pk, request.GET.get("statement"))
    name = f"dd645-{ctx['case'].identifier}-{ctx['statement'].period_end.isoformat()}.xlsx"
    return Report(dd645_xlsx_bytes(ctx), name, ctx["marking"]).response()


@login_required
def dd645_pdf(request, pk):
    ctx = statement(request.user, pk, request.GET.get("statement"))
    name = f"dd645-{ctx['case'].identifier}-{ctx['statement'].period_end.isoformat()}.pdf"
    return Report(dd645_pdf_bytes(ctx), name, ctx["marking"]).response()
