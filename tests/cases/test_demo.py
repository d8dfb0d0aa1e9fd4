import pytest

from tests.cases.conftest import case

pytestmark = pytest.mark.django_db


def test_demo_cases_in_several_states():
    assert case("XB-B-ZAA").status == "implemented"
    assert case("XB-B-ZAB").status == "offered"
    assert case("XB-P-ZAC").status == "written"
    assert case("XB-B-ZAD").status == "accepted"
