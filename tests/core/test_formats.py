"""Money and dates one way everywhere (issue 12 item 8): core.formats, the |usd, |day and |moment
filters built into every template, and Django's |date, whose default is the same format. Pure:
no database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines

from secoop.core import formats

pytestmark = pytest.mark.one_database

SRC = Path(formats.__file__).resolve().parents[1]  # src/secoop


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_money_is_dollars_with_cents_and_thousands():
    assert formats.usd(Decimal("1250000.00")) == "$1,250,000.00"
    assert formats.usd(Decimal("-12.5")) == "-$12.50"
    assert formats.usd(0) == "$0.00" and formats.usd(None) == "—" and formats.usd("", "") == ""


def test_a_count_takes_its_noun_in_the_singular_only_for_one():
    assert formats.counted(1, "activity", "activities") == "1 activity"
    assert formats.counted(0, "activity", "activities") == "0 activities"
    assert formats.counted(3, "locked account") == "3 locked accounts"


def test_a_day_and_a_moment_have_one_format():
    assert formats.day(dt.date(2026, 12, 3)) == "3 Dec 2026"
    assert formats.moment(dt.datetime(2026, 12, 3, 14, 5, 59)) == "3 Dec 2026 14:05"
    assert formats.day(None) == "—" and formats.moment(None, "") == ""


def test_every_template_writes_money_and_dates_the_same_way_without_loading_anything():
    day, at = dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)
    page = render(
        "{{ v|usd }}|{{ d|day }}|{{ d|date }}|{{ d }}|{{ t|moment }}|{{ t|date:'DATETIME_FORMAT' }}"
        "|{{ none|day|default:'never' }}",
        v=Decimal("1250000.00"),
        d=day,
        t=at,
        none=None,
    )
    assert (
        page
        == "$1,250,000.00|3 Dec 2026|3 Dec 2026|3 Dec 2026|3 Dec 2026 14:05|3 Dec 2026 14:05|never"
    )


DATE_FILTER = re.compile(r"\|date:(?:\"([^\"]*)\"|'([^']*)')")
# What a template may still pass to |date: the product's own format, a month, and the machine
# forms (ISO 8601 in <time datetime=…>, an <input type=date> value).
ALLOWED = {
    formats.DATE_FORMAT,
    formats.YEAR_MONTH_FORMAT,
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "c",
    "Y-m-d",
}
HAND_MADE_MONEY = re.compile(r"\$\{\{|floatformat:\"2g\"|\|intcomma")
# The synchronization matrix's pages are another engineer's (issue 12 items 3 and 9); their phase
# totals already read "$1,234.00".
MATRIX = {"planning/matrix/page.html", "planning/matrix/cscs_pdf.html"}


def templates():
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def test_no_template_writes_a_date_or_an_amount_its_own_way():
    assert len(templates()) > 50
    odd_dates, odd_money = [], []
    for path in templates():
        text = path.read_text()
        for m in DATE_FILTER.finditer(text):
            if (m.group(1) or m.group(2)) not in ALLOWED:
                odd_dates.append(f"{path.relative_to(SRC)}: {m.group(0)}")
        if HAND_MADE_MONEY.search(text) and not str(path).endswith(tuple(MATRIX)):
            odd_money.append(str(path.relative_to(SRC)))
    assert odd_dates == [], "use |day or |moment (core/formats.py)"
    assert odd_money == [], "use |usd (core/formats.py)"
