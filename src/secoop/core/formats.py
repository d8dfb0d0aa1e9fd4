"""How the product writes money and dates, on every page and in every export (issue 12 item 8):
money as U.S. dollars with cents and thousands separators ("$1,250,000.00"), a day as "3 Dec 2026",
a moment as "3 Dec 2026 14:05". One place: the templates use the `|usd`, `|day` and `|moment`
filters (core/templatetags/formats.py, built into every template) and Django's own `|date`, whose
default is DATE_FORMAT below (secoop/formats/en/formats.py); Python code and the DOCX, PPTX, PDF
and ICS exports call `usd`, `day` and `moment`; the XLSX exports keep numbers and dates as numbers
and dates and give them the number formats below, which Excel and LibreOffice show the same way.

Pure functions: the rules use them too, without a database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Django's date formats (the `|date` filter; secoop/formats/en/formats.py reads these).
DATE_FORMAT = "j M Y"  # 3 Dec 2026
DATETIME_FORMAT = "j M Y H:i"  # 3 Dec 2026 14:05
YEAR_MONTH_FORMAT = "M Y"  # Dec 2026

# The same, as spreadsheet number formats.
XLSX_DATE = "d mmm yyyy"
XLSX_DATETIME = "d mmm yyyy hh:mm"
XLSX_USD = '"$"#,##0.00;-"$"#,##0.00'
XLSX_NUMBER = "#,##0.##"

EMPTY = "—"


def counted(n, singular: str, plural: str = "") -> str:
    """A count and its noun: '1 activity', '3 activities' (plural defaults to singular + 's').
    `n` may be a bounded count (core.keyset.Count): 'more than 1,000 activities'."""
    one = n.exact and n.number == 1 if hasattr(n, "exact") else n == 1
    return f"{n} {singular if one else plural or singular + 's'}"


class Amount(str):
    """An amount as a page shows it ('$1,250,000.00'), marked so that a table right-aligns it."""


def usd(value, empty: str = EMPTY) -> str:
    """'$1,250,000.00'; '-$12.50'; `empty` for no amount."""
    if value is None or value == "":
        return empty
    amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def day(value: dt.date | None, empty: str = EMPTY) -> str:
    """'3 Dec 2026' (a moment is shown by its day)."""
    if value is None or value == "":
        return empty
    return f"{value.day} {value:%b %Y}"


def moment(value: dt.datetime | None, empty: str = EMPTY) -> str:
    """'3 Dec 2026 14:05', in the time zone the caller gives it (the product shows UTC or the
    organization's zone, core.clock, and says which)."""
    if value is None or value == "":
        return empty
    return f"{value.day} {value:%b %Y %H:%M}"
