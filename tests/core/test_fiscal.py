"""Fiscal years (core.fiscal): 1 October – 30 September, named by the year they end."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secoop.core import fiscal

pytestmark = pytest.mark.one_database  # pure functions: a second database proves nothing more

D = dt.date


@pytest.mark.parametrize(
    "day, fy",
    [
        (D(2026, 9, 30), 2026),
        (D(2026, 10, 1), 2027),
        (D(2027, 1, 1), 2027),
        (D(2027, 9, 30), 2027),
        (D(2026, 12, 31), 2027),
    ],
)
def test_fiscal_year_runs_1_october_to_30_september(day, fy):
    assert fiscal.fiscal_year(day) == fy


def test_fiscal_year_bounds():
    assert fiscal.fy_start(2027) == D(2026, 10, 1) and fiscal.fy_end(2027) == D(2027, 9, 30)
    assert fiscal.fy_range_label(2027, 2031) == "FY2027–FY2031"


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_every_day_lies_inside_its_fiscal_year(day):
    fy = fiscal.fiscal_year(day)
    assert fiscal.fy_start(fy) <= day <= fiscal.fy_end(fy)
