"""The web session, with the signed-in user's id in a column of its own (issue 15, decision 0054):
the row and its user are read by one query on every request, instead of the session, then the user."""

from __future__ import annotations

from django.contrib.sessions.base_session import AbstractBaseSession
from django.contrib.sessions.base_session import BaseSessionManager
from django.db import models

from .people import User


class WebSessionManager(BaseSessionManager):
    def get_queryset(self):
        # Every read of a session row brings its user (core.sessions reads it by key only).
        return super().get_queryset().select_related("user")


class WebSession(AbstractBaseSession):
    """A web session. `user` is the account signed in to it, written by core.sessions.SessionStore
    from the session's own data each time it is saved; None before logon and after logoff."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = WebSessionManager()

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "web session"
        verbose_name_plural = "web sessions"
