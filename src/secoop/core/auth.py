"""Logon: one function for the web form and the API token endpoint, so lockout (R-SEC-07), disabled
accounts (R-SEC-05) and the audit of logons (R-SEC-09) hold on both."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from . import actions
from .models import User


class LogonRefused(Exception):
    """Why a logon failed, in words the user can act on."""


# One answer for every refused logon, whether the account exists, was just locked or was locked
# before: the message must not confirm that an account exists (ASD STIG V-222432 with no user
# enumeration). The audit log and the administrator's people page say what really happened.
REFUSED = (
    "The username or password is not correct, or the account is locked. After {n} failed attempts "
    "within {m} minutes an account is locked until an administrator unlocks it."
)
DISABLED = "This account is disabled ({reason}). Ask an administrator to re-enable it."


def _fmt(text: str) -> str:
    return text.format(n=settings.LOCKOUT_FAILED_ATTEMPTS, m=settings.LOCKOUT_WINDOW_MINUTES)


def check_logon(username: str, password: str, channel: str = "web") -> User:
    """Return the user if the credentials are right and the account usable, else raise
    LogonRefused with the reason. Every attempt is recorded. Unknown, wrong, locking and locked
    attempts get the same words and the same password-hashing work."""
    username = (username or "").strip()
    user = User.objects.filter(username__iexact=username).first() if username else None
    if user is None:
        User().set_password(
            password or ""
        )  # same work as a real check: no user enumeration by timing
        actions.record_logon(None, username, succeeded=False, channel=channel)
        raise LogonRefused(_fmt(REFUSED))
    if user.locked_at is not None:
        User().set_password(password or "")  # same work; the password is not even checked
        actions.record_logon(user, username, succeeded=False, channel=channel)
        raise LogonRefused(_fmt(REFUSED))
    if not user.check_password(password or ""):
        actions.record_logon(user, username, succeeded=False, channel=channel)
        raise LogonRefused(_fmt(REFUSED))
    if not user.is_active:
        actions.record_logon(user, username, succeeded=False, channel=channel)
        raise LogonRefused(
            DISABLED.format(reason=user.disabled_reason or "disabled by an administrator")
        )
    if actions.record_logon(user, username, succeeded=True, channel=channel):
        # Locked by concurrent failures between the check above and this record.
        raise LogonRefused(_fmt(REFUSED))
    return user


class LockoutAwareBackend(ModelBackend):
    """Django's backend, but a locked or disabled account neither logs on nor keeps a session."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return check_logon(username, password, channel="web")
        except LogonRefused:
            return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "locked_at", None) is None
