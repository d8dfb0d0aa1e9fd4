"""`scoped_by` (core/models/records.py): a record under a parent is owned, placed, shared and
logged as its parent is, from one declaration; what the class sets itself wins."""

from __future__ import annotations

from secoop.analysis.models import Gap
from secoop.analysis.models import OptionCost
from secoop.analysis.models import ScenarioBudget
from secoop.analysis.models import SolutionOption
from secoop.assessment.models import Disaggregation
from secoop.assessment.models import Indicator
from secoop.assessment.models import Period
from secoop.eum.models import InvestigationNote
from secoop.eum.models import PossibleViolation


def test_the_scope_follows_the_parent_one_hop_down():
    assert SolutionOption.owner_org_field == f"gap__{Gap.owner_org_field}"
    assert OptionCost.owner_org_field == "option__gap__analysis__owner_org"
    assert OptionCost.country_field == "option__gap__analysis__country"
    assert OptionCost.history_parent == "option"


def test_a_parent_without_a_country_gives_none():
    assert ScenarioBudget.country_field is None
    assert ScenarioBudget.owner_org_field == "scenario__owner_org"


def test_the_partner_flag_follows_the_parent():
    assert Indicator.partner_visible_field == "shared_with_partner"
    assert Period.partner_visible_field == "indicator__shared_with_partner"
    assert Disaggregation.partner_visible_field == "period__indicator__shared_with_partner"


def test_a_parent_scoped_otherwise_is_followed_as_it_is():
    # The violation is owned by whoever recorded it, placed by its article's country.
    assert PossibleViolation.owner_org_field == "owner_org"
    assert InvestigationNote.owner_org_field == "violation__owner_org"
    assert InvestigationNote.country_field == "violation__article__country"
