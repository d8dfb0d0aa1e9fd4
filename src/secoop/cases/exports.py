"""Documents of a case, through the door: the LOA summary (PDF via WeasyPrint, DOCX via
python-docx) and the case status report (XLSX). Each carries the highest marking of what it
shows, in the banner of every page or sheet. The MIME types and banner colours are planning's."""

from __future__ import annotations

import io
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from secoop.core.markings import combine
from secoop.core.related import related
from secoop.core.spreadsheets import workbook_bytes
from secoop.planning.exports import DOCX_MIME, PDF_MIME, XLSX_MIME, banner_color

from .models import (
    CaseAmendment,
    CaseLine,
    Delivery,
    FmsCase,
    PaymentScheduleEntry,
    Shipment,
    SupplyDiscrepancyReport,
)
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
        "generated": f"{timezone.now():%d %b %Y %H:%M} UTC by {user.username}",
    }


def _attachment(content: bytes, mime: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def loa_pdf_bytes(ctx: dict) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    html = render_to_string(
        "cases/loa_pdf.html", {**ctx, "banner_color": "#" + banner_color(ctx["marking"])}
    )
    return HTML(string=html).write_pdf()


@login_required
def loa_pdf(request, pk):
    ctx = summary(request.user, pk)
    return _attachment(loa_pdf_bytes(ctx), PDF_MIME, f"loa-{ctx['case'].identifier}.pdf")


def loa_docx_bytes(ctx: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    case, marking = ctx["case"], str(ctx["marking"])
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    for part in (section.header, section.footer):
        p = part.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(marking)
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(banner_color(ctx["marking"]))
    doc.add_heading(f"LOA summary: {case.identifier}", level=0)
    doc.add_paragraph(f"{case.title} — {case.country} — {ctx['status']}")
    facts_table = doc.add_table(rows=0, cols=2)
    facts_table.style = "Light List Accent 1"
    for label, value in [
        ("Implementing agency", ctx["ia"]),
        ("LOA type", case.get_loa_type_display()),
        ("Case category / AOD group", f"{case.get_category_display()} / {case.aod_group}"),
        ("AOD", f"{case.aod:%d %b %Y}" if case.aod else "—"),
        ("Offered", f"{case.offered_on:%d %b %Y}" if case.offered_on else "—"),
        ("OED", f"{case.oed:%d %b %Y}" if case.oed else "—"),
        ("Accepted", f"{case.accepted_on:%d %b %Y}" if case.accepted_on else "—"),
        ("Document version", str(case.version)),
        ("Total value", f"${ctx['total']:,.2f}"),
    ]:
        cells = facts_table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_heading("Lines", level=1)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells,
        ["Line", "Item", "Qty", "Unit value (USD)", "Total (USD)", "SME/MDE · FMF"],
        strict=True,
    ):
        cell.text = text
    for ln in ctx["lines"]:
        flags = " ".join(
            x for x, on in (("SME", ln.sme), ("MDE", ln.mde), ("FMF", ln.fmf_funded)) if on
        )
        for cell, text in zip(
            table.add_row().cells,
            [
                ln.number,
                ln.item,
                str(ln.quantity),
                f"{ln.unit_value:,.2f}",
                f"{ln.total_value:,.2f}",
                flags,
            ],
            strict=True,
        ):
            cell.text = text
    if ctx["versions"]:
        doc.add_heading("Amendments and modifications", level=1)
        for v in ctx["versions"]:
            doc.add_paragraph(
                f"{v} ({v.get_status_display()}): {v.description} — ${v.value_before:,.2f} → ${v.value_after:,.2f}",
                style="List Bullet",
            )
    doc.add_heading("Deliveries", level=1)
    for d, line, late in ctx["deliveries"]:
        what = f"Line {line.number} {line.item}" if line is not None else "(restricted line)"
        done = f"delivered {d.actual_on:%d %b %Y} ({d.actual_quantity})" if d.actual_on else "open"
        doc.add_paragraph(
            f"{what}: {d.planned_quantity} planned {d.planned_on:%d %b %Y}, {done}"
            + (f", {late} days late" if late else ""),
            style="List Bullet",
        )
    doc.add_paragraph(f"Generated {ctx['generated']}.").runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@login_required
def loa_docx(request, pk):
    ctx = summary(request.user, pk)
    return _attachment(loa_docx_bytes(ctx), DOCX_MIME, f"loa-{ctx['case'].identifier}.docx")


def status_xlsx_bytes(ctx: dict) -> bytes:
    case, banner = ctx["case"], str(ctx["marking"])
    wb = Workbook()
    head = PatternFill("solid", fgColor="1A4480")

    def sheet(title, headers, rows, first=False):
        ws = wb.active if first else wb.create_sheet(title)
        ws.title = title
        ws.append([banner])
        ws["A1"].font = Font(bold=True)
        ws.append(
            [
                f"Case status report {case.identifier} — {ctx['status']} — generated {ctx['generated']}"
            ]
        )
        ws.append(headers)
        for cell in ws[3]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = head
        for row in rows:
            ws.append(row)
        ws.append([])
        ws.append([banner])

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
            ["Total value (USD)", float(ctx["total"])],
        ],
        first=True,
    )
    sheet(
        "Lines",
        ["Line", "Item", "Quantity", "Unit value (USD)", "Total (USD)", "SME", "MDE", "FMF"],
        [
            [
                ln.number,
                ln.item,
                ln.quantity,
                float(ln.unit_value),
                float(ln.total_value),
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
        [[p.due_on, float(p.amount), p.initial_deposit, p.paid_on] for p in ctx["payments"]],
    )
    sheet(
        "SDRs",
        ["SDR", "Reported", "Kind", "Value (USD)", "Status"],
        [
            [
                str(s),
                s.reported_on,
                s.get_discrepancy_display(),
                float(s.value),
                s.get_status_display(),
            ]
            for s in ctx["sdrs"]
        ],
    )
    return workbook_bytes(wb)  # no live formula (issue 10 item 6)


@login_required
def status_xlsx(request, pk):
    ctx = summary(request.user, pk)
    return _attachment(
        status_xlsx_bytes(ctx), XLSX_MIME, f"case-status-{ctx['case'].identifier}.xlsx"
    )
