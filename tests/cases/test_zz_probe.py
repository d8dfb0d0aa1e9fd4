import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secoop.cases.models import FmsCase
from secoop.training.models import Student

pytestmark = pytest.mark.django_db


def dump(client, url, out):
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    out.write(f"\n=== {url} {r.status_code} {len(q.captured_queries)}\n")
    for x in q.captured_queries:
        out.write("  " + x["sql"][:260] + "\n")


def test_probe(login, on_demo_day):
    out = open("/tmp/sd/probe.txt", "w")
    c = FmsCase.objects.system().order_by("pk").first()
    client = login("case.manager")
    for tab in (
        "overview",
        "lines",
        "deliveries",
        "amendments",
        "execution",
        "documents",
        "history",
    ):
        dump(client, f"/cases/{c.pk}/?tab={tab}", out)
    sco = login("sco.bandaria")
    s = Student.objects.system().order_by("pk").first()
    dump(sco, f"/training/students/{s.pk}/", out)
    dump(sco, "/", out)
    dump(sco, "/training/", out)
    dump(login("dsca.analyst"), "/cases/metrics/", out)
