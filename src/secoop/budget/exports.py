"""The two reports DSCA draws from an SCO's forecast submission (R-FCT-02, R-FCT-03), as XLSX
workbooks in the shared layout (reports/xlsx.py): the Javits report lines for the calendar year
and the FMS sales forecast for the next two fiscal years. Marked by the sales they hold."""

from __future__ import annotations

from secoop.core.formats import usd
from secoop.core.markings import combine
from secoop.reports import xlsx as excel
from secoop.reports.common import Report
from secoop.reports.common import generated

from . import rules
from .models import ForecastSale
from .models import ForecastSubmission
from .models import country_name

HEADERS = [
    "Possible sale",
    "Channel",
    "Kind",
    "Estimated value (USD)",
    "Probability (%)",
    "Expected",
    "FY",
]


def _row(s: ForecastSale) -> list:
    return [
        s.title,
        s.get_channel_display(),
        s.get_kind_display(),
        s.value,
        s.probability,
        s.expected_on,
        s.fiscal_year,
    ]


def javits_rows(sales, report_year: int, t: rules.Thresholds) -> list[ForecastSale]:
    return [s for s in sales if rules.in_javits(s.facts(), report_year, t)]


def forecast_rows(sales, report_year: int, t: rules.Thresholds) -> list[ForecastSale]:
    return [s for s in sales if rules.in_sales_forecast(s.facts(), report_year, t)]


def report_xlsx(
    submission: ForecastSubmission, sales: list[ForecastSale], which: str, t: rules.Thresholds, user
) -> Report:
    """`which` is "javits" or "sales"; `sales` were read through the user's door."""
    year = submission.report_year
    if which == "javits":
        rows = javits_rows(sales, year, t)
        title = f"Javits report CY{year}"
        note = (
            f"R-FCT-02: FMS, DCS and EDA; every possible sale of {usd(t.javits_mde)} or more "
            f"of MDE or {usd(t.javits_other)} or more of other articles and services, any probability."
        )
    else:
        rows = forecast_rows(sales, year, t)
        fys = rules.forecast_years(year, t)
        title = f"FMS sales forecast FY{fys[0]}-FY{fys[-1]}"
        note = f"R-FCT-03: FMS only; {t.forecast_probability}% likely or more; no dollar threshold."
    marking = (
        combine([submission.marking, *(s.marking for s in rows)]) if rows else submission.marking
    )
    wb = excel.workbook()
    excel.table_sheet(
        wb,
        title,
        marking,
        HEADERS,
        [_row(s) for s in rows],
        heading=[f"{title}: {country_name(submission)}", generated(user)],
        note=note,
        money=[False, False, False, True, False, False, False],
    )
    name = f"{which}-{submission.country_id}-{year}.xlsx"
    return Report(excel.save(wb, marking), name, marking)
