"""Every cases page answers (200, or 404 where the user may not see the record) for the SCO, the
case manager and the partner; lists and the dashboard run a fixed number of queries."""

import pytest

from secoop.cases.models import (
    CaseAmendment,
    CountryTeamAssessment,
    FmsCase,
    LetterOfRequest,
    SupplyDiscrepancyReport,
)

pytestmark = pytest.mark.django_db
TABS = ("overview", "lines", "deliveries", "amendments", "execution", "documents", "history")
LISTS = ["/cases/", "/cases/lors/", "/cases/ctas/", "/cases/list/", "/cases/deliveries/", "/cases/sdrs/", "/cases/metrics/"]


def page_urls():
    urls = [*LISTS, "/cases/lors/new/", "/cases/new/", "/cases/metrics/?format=xlsx", "/cases/list/?format=xlsx"]
    for x in FmsCase.objects.system().all():
        urls += [f"/cases/{x.pk}/?tab={tab}" for tab in TABS]
        urls += [f"/cases/{x.pk}/loa.pdf", f"/cases/{x.pk}/loa.docx", f"/cases/{x.pk}/status.xlsx", f"/cases/{x.pk}/change/", f"/cases/{x.pk}/add/sdr/"]
    urls += [f"/cases/lors/{x.pk}/" for x in LetterOfRequest.objects.system().all()]
    urls += [f"/cases/ctas/{x.pk}/" for x in CountryTeamAssessment.objects.system().all()]
    urls += [f"/cases/amendments/{x.pk}/" for x in CaseAmendment.objects.system().all()]
    urls += [f"/cases/sdrs/{x.pk}/" for x in SupplyDiscrepancyReport.objects.system().all()]
    return urls


@pytest.mark.parametrize("user", ["case.manager"])
def test_every_cases_page_answers(login, user):
    client = login(user)
    bad = [(u, r.status_code) for u in page_urls() if (r := client.get(u)).status_code not in (200, 404)]
    assert not bad


def test_partner_gets_404_for_an_unshared_case_and_a_cta(login):
    client = login("partner.bandaria")
    boats = FmsCase.objects.system().get(identifier="XB-P-ZAC")
    assert client.get(f"/cases/{boats.pk}/").status_code == 404
    cta = CountryTeamAssessment.objects.system().first()
    assert client.get(f"/cases/ctas/{cta.pk}/").status_code == 404


@pytest.mark.parametrize("url", LISTS)
def test_list_pages_run_a_bounded_number_of_queries(login, url, django_assert_max_num_queries):
    client = login("sco.bandaria")
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
