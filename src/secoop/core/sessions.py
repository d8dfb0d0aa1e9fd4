"""Sessions and the signed-in user in one round trip (issue 15, decision 0054).

Django reads the session row, then the user row: two queries before any view runs. Here the
session row carries the user's id (core.models.WebSession.user, set whenever the session is saved)
and is read joined to the user, so `request.user` costs no query of its own. Every check of
`django.contrib.auth.get_user` still holds, on the user row as read with the session:
- the session's backend must still be a configured one, and that backend decides whether the
  account may authenticate (`user_can_authenticate`: inactive, disabled (R-SEC-05) and locked
  (R-SEC-07) accounts are not signed in);
- the session's auth hash must match the user's password hash (constant-time; the fallback
  secrets rotate the key), else the session is flushed — a changed password ends the others;
- an expired session (R-SEC-09) is not read at all, and logoff flushes the row.
A backend with a `get_user` of its own, or a session whose data names another user than its
column, is answered by the backend as Django does (one more query, never a weaker check).

SESSION_ENGINE = "secoop.core.sessions"; the middleware is core.middleware.SessionUserAuthenticationMiddleware.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.auth import load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare


def _user_pk(value):
    """The user's primary key as the session data holds it (a string), or None."""
    try:
        return get_user_model()._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    # The user row read with the session row (None when the row has no user or was not found).
    row_user = None

    @classmethod
    def get_model_class(cls):
        from .models.sessions import WebSession

        return WebSession

    def load(self):
        row = self._get_session_from_db()  # joined to its user (WebSessionManager)
        self.row_user = row.user if row is not None else None
        return self.decode(row.session_data) if row is not None else {}

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = _user_pk(data.get(SESSION_KEY)) if SESSION_KEY in data else None
        return row


def _user_of_session(session, backend, user_id):
    """The user the backend would answer for `user_id`, from the row read with the session when
    that row is the same user and the backend answers by primary key as ModelBackend does."""
    row_user = getattr(session, "row_user", None)
    if (
        row_user is not None
        and row_user.pk == user_id
        and type(backend).get_user is ModelBackend.get_user
    ):
        return row_user if backend.user_can_authenticate(row_user) else None
    return backend.get_user(user_id)


def get_user(request):
    """`django.contrib.auth.get_user`, with the user taken from the session's own row."""
    session = request.session
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = _user_of_session(session, load_backend(backend_path), user_id)
    if user is None:
        return AnonymousUser()
    if hasattr(user, "get_session_auth_hash"):
        session_hash = session.get(HASH_SESSION_KEY)
        if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
            return user
        # The current secret does not verify the session: one of the fallback secrets may (the
        # key then rotates), else the password changed since the logon and the session ends.
        if session_hash and any(
            constant_time_compare(session_hash, fallback)
            for fallback in user.get_session_auth_fallback_hash()
        ):
            session.cycle_key()
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            return user
        session.flush()
        return AnonymousUser()
    return user
