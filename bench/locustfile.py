"""The load test's users (locust): the demo roles doing what they do, through the web pages and
the API, with think time. bench/load.py runs it; by hand:

    locust -f bench/locustfile.py --headless -u 50 -r 10 --run-time 60s --host http://127.0.0.1:8765

Each simulated user works as a demo account of its role: with the session bench/load.py signed
on once per account (LOAD_SESSIONS), else signing on itself (consent banner, then the logon form:
R-SEC-08). Then it loops: a page of their work (weights below), now and then a
record from it (a link the page showed them) or an API list. Every answer must be a 200: anything
else (a refusal, an error, a time-out) counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser
from locust import between
from locust import task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Secoop-demo-2026!")  # the demo users' (README.md)
DETAIL = re.compile(r'href="(/(?:[\w-]+/)+\d+/)"')

# What each role opens, by weight: its home, its lists, its searches.
SCO = [
    ("/", 3),
    ("/planning/activities/", 3),
    ("/planning/country-plans/", 1),
    ("/cases/list/", 2),
    ("/cases/deliveries/", 1),
    ("/training/", 2),
    ("/training/students/", 2),
    ("/documents/", 1),
    ("/changes/", 1),
    ("/api/v1/planning/activities/", 1),
]
CASE_MANAGER = [
    ("/", 2),
    ("/cases/", 2),
    ("/cases/list/", 4),
    ("/cases/list/?q=radio", 1),
    ("/cases/deliveries/", 2),
    ("/cases/sdrs/", 1),
    ("/cases/lors/", 1),
    ("/api/v1/cases/cases/", 1),
    ("/api/v1/cases/case-lines/", 1),
]
PLANNER = [
    ("/", 2),
    ("/planning/", 2),
    ("/planning/plans/", 1),
    ("/planning/activities/", 3),
    ("/planning/activities/?q=patrol", 1),
    ("/planning/imos/", 1),
    ("/planning/country-plans/", 1),
    ("/api/v1/planning/activities/", 1),
]
HQ = [
    ("/", 2),
    ("/cases/", 1),
    ("/cases/list/", 2),
    ("/cases/metrics/", 1),
    ("/documents/", 2),
    ("/changes/", 1),
    ("/planning/activities/", 1),
    ("/api/v1/documents/", 1),
]
PARTNER = [
    ("/", 3),
    ("/cases/list/", 2),
    ("/training/", 2),
    ("/training/students/", 2),
    ("/documents/", 1),
    ("/api/v1/cases/cases/", 1),
]
LE = [
    ("/", 2),
    ("/training/students/", 3),
    ("/training/", 2),
    ("/documents/", 2),
    ("/cases/list/", 1),
]


class DemoRole(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # think time between two clicks
    username = ""
    pages: list[tuple[str, int]] = []

    def on_start(self):
        self.seen: list[str] = []
        handed = os.environ.get("LOAD_SESSIONS")
        if handed and os.path.exists(handed):
            # bench/load.py signed each account on once: a person at work, not at the logon form.
            with open(handed) as f:
                for name, value in json.load(f)[self.username].items():
                    self.client.cookies.set(name, value)
            return
        self.client.get("/login/", name="/login/ (consent)")
        self.client.post(
            "/login/",
            {"consent": "agree", "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            name="/login/ (consent)",
        )
        with self.client.post(
            "/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="/login/",
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies:
                response.failure(f"{self.username} could not sign on")

    @task(4)
    def open_a_page(self):
        urls, weights = zip(*self.pages, strict=True)
        url = random.choices(urls, weights=weights)[0]
        response = self.client.get(url, name=url)
        if response.ok and "html" in response.headers.get("Content-Type", ""):
            links = DETAIL.findall(response.text)
            if links:
                self.seen = links[:20]

    @task(2)
    def open_a_record(self):
        if self.seen:
            url = random.choice(self.seen)
            # Grouped by route, not by record: /cases/<id>/.
            self.client.get(url, name=re.sub(r"/\d+/", "/<id>/", url))


class ScoOfficer(DemoRole):
    weight = 30
    username = "sco.bandaria"
    pages = SCO


class CaseManager(DemoRole):
    weight = 20
    username = "case.manager"
    pages = CASE_MANAGER


class NavyCaseManager(DemoRole):
    weight = 5
    username = "navy.case.manager"
    pages = CASE_MANAGER


class CcmdPlanner(DemoRole):
    weight = 15
    username = "ccmd.planner"
    pages = PLANNER


class DscaAnalyst(DemoRole):
    weight = 8
    username = "dsca.analyst"
    pages = HQ


class StatePm(DemoRole):
    weight = 4
    username = "state.pm"
    pages = HQ


class Partner(DemoRole):
    weight = 13
    username = "partner.bandaria"
    pages = PARTNER


class LeStaff(DemoRole):
    weight = 5
    username = "le.staff"
    pages = LE
