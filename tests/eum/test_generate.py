"""`secoop generate` with EUM: transferred articles, their serials, inventories and possible
violations, each one a user could have entered (R-EUM-01, R-EUM-07, SPEC §11 enhanced EUM)."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from secoop.cases.models import DcsLicense
from secoop.cases.models import EdaOffer
from secoop.eum import rules
from secoop.eum.models import Check
from secoop.eum.models import PossibleViolation
from secoop.eum.models import SerialNumber
from secoop.eum.models import TransferredArticle
from secoop.eum.rules import CheckKind
from secoop.eum.rules import SerialStatus
from secoop.eum.rules import Source
from tests.core.test_generate import made  # noqa: F401  (the tiny run, seed 7)

pytestmark = pytest.mark.django_db


def _of(made, model):  # noqa: F811  (the imported fixture's name)
    return model.objects.system().filter(pk__in=made.pks[model._meta.label])


def test_a_tiny_run_makes_articles_serials_inventories_and_a_violation(made):  # noqa: F811
    articles = list(_of(made, TransferredArticle))
    assert len(articles) == made.counts["eum.TransferredArticle"] == 24
    assert len({a.country_id for a in articles}) == len(made.countries)
    assert {a.marking_text.split("//")[0] for a in articles} >= {"CUI"}
    assert len({a.marking_text for a in articles}) > 1, "varied markings give the door work"
    assert SerialNumber.objects.system().filter(article__in=articles).exists()
    assert _of(made, Check).filter(kind=CheckKind.INITIAL).exists()
    assert _of(made, PossibleViolation).exists()


def test_every_article_and_serial_passes_the_eum_rules(made):  # noqa: F811
    articles = list(_of(made, TransferredArticle))
    serials = defaultdict(list)
    for s in SerialNumber.objects.system().filter(article__in=articles):
        serials[s.article_id].append(s.serial)
    per_nsn = Counter()
    for a in articles:
        a.full_clean()
        assert rules.program_problem(a.source, a.program) is None  # R-EUM-01
        assert rules.serial_format_problem(a.monitoring, a.serial_format) is None
        record = {Source.EDA: a.eda_offer_id, Source.DCS: a.dcs_license_id}.get(a.source)
        if a.source in (Source.EDA, Source.DCS):
            model = EdaOffer if a.source == Source.EDA else DcsLicense
            transfer = model.objects.system().get(pk=record)
            assert rules.transfer_problem(a.source, transfer.status, transfer.country_id, a.country_id) is None  # fmt: skip
        if a.is_enhanced:  # SPEC §11: one serial per article, in the format, never twice
            assert len(serials[a.pk]) == a.quantity
            assert rules.serial_problems(serials[a.pk], serial_format=a.serial_format, monitoring=a.monitoring, registered=(), held=0, capacity=a.quantity) == []  # fmt: skip
            per_nsn.update((a.country_id, a.nsn, s) for s in serials[a.pk])
        else:
            assert not serials[a.pk]
    assert per_nsn and max(per_nsn.values()) == 1


def test_inventories_account_for_each_serial_and_open_a_violation_per_missing_one(made):  # noqa: F811
    violations = {v.serial_id: v for v in _of(made, PossibleViolation)}
    for check in _of(made, Check).select_related("article"):
        check.full_clean()
        assert check.marking_text == check.article.marking_text
        assert check.checked_on >= check.article.delivered_on
        expected = list(SerialNumber.objects.system().filter(article=check.article))
        if check.kind != CheckKind.INITIAL:
            assert check.findings and not check.present
            continue
        result, problems = rules.inventory_result([s.serial for s in expected], check.present)
        assert problems == [] and list(result.missing) == check.missing
        for s in expected:
            if s.serial in check.missing:  # R-EUM-07: a violation opened by the inventory
                v = violations.pop(s.pk)
                assert s.status == SerialStatus.MISSING and v.is_open
                assert (v.check_record_id, v.opened_on) == (check.pk, check.checked_on)
                assert rules.violation_step_problem("investigate", v.status, "") is None
            else:
                assert (s.status, s.last_seen_on) == (SerialStatus.ON_HAND, check.checked_on)
    assert violations == {}, "every violation comes from an inventory's missing serial"


def test_a_second_run_is_refused_without_append(made):  # noqa: F811
    before = TransferredArticle.objects.system().count()
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--scale", "tiny")
    assert TransferredArticle.objects.system().count() == before
