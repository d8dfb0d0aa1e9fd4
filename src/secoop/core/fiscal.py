"""U.S. Government fiscal years, the calendar every app plans and reports in: 1 October –
30 September, named by the year they end (FY2027 is 1 Oct 2026 – 30 Sep 2027)."""

from __future__ import annotations

import datetime as dt


def fiscal_year(day: dt.date) -> int:
    """The fiscal year of a date: 1 Oct 2026 is in FY2027."""
    return day.year + 1 if day.month >= 10 else day.year


def fy_start(fy: int) -> dt.date:
    return dt.date(fy - 1, 10, 1)


def fy_end(fy: int) -> dt.date:
    return dt.date(fy, 9, 30)


def fy_label(fy: int) -> str:
    return f"FY{fy}"


def fy_range_label(start_fy: int, end_fy: int) -> str:
    return f"FY{start_fy}–FY{end_fy}"


class FiscalPeriod:
    """What a record spanning fiscal years `start_fy` to `end_fy` says of its period (a campaign
    plan, R-PLN-03; a country plan, R-PLN-05; the matrix of one): mixed into models and facts."""

    start_fy: int
    end_fy: int

    @property
    def period_label(self) -> str:
        return fy_range_label(self.start_fy, self.end_fy)

    @property
    def period_start(self) -> dt.date:
        return fy_start(self.start_fy)

    @property
    def period_end(self) -> dt.date:
        return fy_end(self.end_fy)
