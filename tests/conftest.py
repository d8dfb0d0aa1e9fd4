"""Shared fixtures. The demo data is loaded once into the test database (on SQLite or PostgreSQL,
whichever DATABASE_URL names); each test runs in a transaction that is rolled back."""

from __future__ import annotations

import pytest
from django.test import Client

from secoop.core import demo
from secoop.core.models import User


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (make test), the browser tests run on one worker: they share one server."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.test import override_settings

    # Demo users with a fast hasher: the suite logs in often. test_auth proves Argon2 is the default.
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MAX_CLASSIFICATION="SECRET"
    ):
        demo.load()


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db) -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


def user_named(username: str) -> User:
    # A fresh object each time: the access profile is cached per user object.
    return User.objects.get(username=username)


@pytest.fixture
def login():
    """login('sco.bandaria') -> a test Client signed in as that demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(user_named(username), backend="secoop.core.auth.LockoutAwareBackend")
        return client

    return make


@pytest.fixture
def api():
    """api('sco.bandaria') -> a DRF APIClient authenticated as that demo user."""
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user_named(username))
        return client

    return make
