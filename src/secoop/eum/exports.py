"""The inventory checklist as a workbook (field use without a connection) and its import: the
import records the inventory with every row valid, or nothing, with an error per bad row
(ARCHITECTURE invariant 5)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.reports import xlsx

from .rules import CheckKind

INVENTORY = "Inventory"
CHECK = "Check"
HEADERS = ("Serial", "Present (yes or no)")
YES, NO = {"yes", "y", "x", "1", "true"}, {"no", "n", "0", "false"}
CHECK_FIELDS = ("Kind", "Checked on (YYYY-MM-DD)", "Checked by", "Findings", "Evidence")
# An exported checklist of thousands of serials is a few hundred kB, unpacked a few MB: a file
# beyond these is not one (a "zip bomb" unpacks to gigabytes and would hold the worker).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ROWS = 20_000
TOO_LARGE = (
    f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB: export the checklist again "
    "and fill that file."
)


def checklist_workbook(article, serials) -> tuple[bytes, Marking]:
    """The workbook and its marking: the article's and every serial's it lists (R-SEC-01), for
    the sheets and the download's X-Marking alike."""
    marking = combine([article.marking, *(s.marking for s in serials)])
    wb = xlsx.workbook()
    xlsx.table_sheet(
        wb,
        INVENTORY,
        marking,
        HEADERS,
        [(s.serial, "") for s in serials],
        heading=(
            f"Inventory of {article.nomenclature}, NSN {article.nsn} (article {article.pk})",
            "Write yes or no beside each serial, fill in the Check sheet, then import the file.",
        ),
    )
    xlsx.table_sheet(
        wb,
        CHECK,
        marking,
        ("Field", "Value"),
        [(f, "") for f in CHECK_FIELDS],
        heading=("Kind: " + "; ".join(f"{k.value} ({k.label})" for k in CheckKind),),
    )
    return xlsx.save(wb, marking), marking


def _too_big(data: bytes) -> str | None:
    """Why an upload is refused before it is opened, or None."""
    if len(data) > MAX_UPLOAD_BYTES:
        return TOO_LARGE
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return "The file is not an XLSX workbook: export the checklist again and fill that file."
    if unpacked > MAX_UNPACKED_BYTES:
        return "The file unpacks to more than a checklist holds: export the checklist again and fill that file."
    return None


def _rows_after_header(ws, first: str):
    """The rows under the header row whose first cell is `first`, until a blank first cell (at
    most MAX_ROWS rows are read)."""
    started = False
    for index, row in enumerate(ws.iter_rows(values_only=True, max_row=MAX_ROWS), start=1):
        head = row[0] if row else None
        if not started:
            started = head == first
            continue
        if head in (None, ""):
            return
        yield index, row


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_checklist(upload, kinds: set[str]) -> tuple[dict, list[str]]:
    """The check and the serials present from a filled workbook, or the errors (one a bad row)."""
    from openpyxl import load_workbook

    errors: list[str] = []
    if getattr(upload, "size", 0) > MAX_UPLOAD_BYTES:
        return {}, [TOO_LARGE]
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    refused = _too_big(data)
    if refused:
        return {}, [refused]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return {}, [
            "The file is not an XLSX workbook: export the checklist again and fill that file."
        ]
    if INVENTORY not in wb.sheetnames or CHECK not in wb.sheetnames:
        return {}, [
            f"The workbook lacks the {INVENTORY} or {CHECK} sheet: use the exported checklist."
        ]
    found = []
    for index, row in _rows_after_header(wb[INVENTORY], HEADERS[0]):
        serial, answer = _text(row[0]), _text(row[1] if len(row) > 1 else "").lower()
        if answer in YES:
            found.append(serial)
        elif answer not in NO:
            errors.append(
                f"{INVENTORY} row {index} ({serial}): write yes or no in “Present”"
                + (f", not “{answer}”." if answer else ".")
            )
    values = {}
    for index, row in _rows_after_header(wb[CHECK], "Field"):
        values[_text(row[0])] = (index, row[1] if len(row) > 1 else None)
    kind_row, kind = values.get("Kind", (0, ""))
    kind = _text(kind).lower()
    if kind not in kinds:
        errors.append(
            f"{CHECK} row {kind_row}: the kind must be one of {', '.join(sorted(kinds))}"
            + (f", not “{kind}”." if kind else ".")
        )
    on_row, on = values.get(CHECK_FIELDS[1], (0, None))
    if isinstance(on, dt.datetime):
        on = on.date()
    elif on not in (None, ""):
        try:
            on = dt.date.fromisoformat(_text(on))
        except ValueError:
            errors.append(f"{CHECK} row {on_row}: the date “{_text(on)}” is not YYYY-MM-DD.")
            on = None
    else:
        on = None
    by_row, by = values.get("Checked by", (0, ""))
    if not _text(by):
        errors.append(f"{CHECK} row {by_row}: say who checked.")
    return (
        {
            "kind": kind,
            "on": on,
            "checked_by": _text(by),
            "findings": _text(values.get("Findings", (0, ""))[1]),
            "evidence": _text(values.get("Evidence", (0, ""))[1]),
            "found": found,
        },
        errors,
    )
