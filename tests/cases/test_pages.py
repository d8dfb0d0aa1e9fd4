"""Every cases page answers (200, or 404 where the user may not see the record) for the SCO, the case manager and the partner."""

import pytest

from secoop.cases.models import (
    CaseAmendment,
    CountryTeamAssessment,
    FmsCase,
    LetterOfRequest,
    SupplyDiscrepancyReport,
)

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("user", ["case.manager", "partner.bandaria", "sco.bandaria"])
def test_pages(login, user):
    c = login(user)
    urls = ["/cases/", "/cases/lors/", "/cases/ctas/", "/cases/list/", "/cases/deliveries/", "/cases/sdrs/", "/cases/metrics/", "/cases/lors/new/", "/cases/new/"]
    for x in FmsCase.objects.system().all():
        for tab in ("overview","lines","deliveries","amendments","execution","documents","history"):
            urls.append(f"/cases/{x.pk}/?tab={tab}")
        urls += [f"/cases/{x.pk}/loa.pdf", f"/cases/{x.pk}/loa.docx", f"/cases/{x.pk}/status.xlsx", f"/cases/{x.pk}/change/", f"/cases/{x.pk}/add/sdr/"]
    for x in LetterOfRequest.objects.system().all(): urls.append(f"/cases/lors/{x.pk}/")
    for x in CountryTeamAssessment.objects.system().all(): urls.append(f"/cases/ctas/{x.pk}/")
    for x in CaseAmendment.objects.system().all(): urls.append(f"/cases/amendments/{x.pk}/")
    for x in SupplyDiscrepancyReport.objects.system().all(): urls.append(f"/cases/sdrs/{x.pk}/")
    urls += ["/cases/metrics/?format=xlsx", "/cases/list/?format=xlsx"]
    bad = []
    for u in urls:
        r = c.get(u)
        if r.status_code not in (200, 404):
            bad.append((u, r.status_code))
    assert not bad
