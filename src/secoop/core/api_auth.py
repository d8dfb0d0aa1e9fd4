"""Expiring API tokens: `Authorization: Token <key>`.

A token ends at its expiry, after API_TOKEN_IDLE_MINUTES without use (ASD STIG V-222389, like a
web session), when its owner revokes it, or when the web session it was created in logs off.
Its last use is written at most once a minute, so a busy client does not write on every request
(SQLite takes a write lock for each)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import authentication
from rest_framework import exceptions

from .models import ApiToken
from .models import User
from .models.changelog import AuditEventKind

LAST_USED_GRANULARITY = dt.timedelta(seconds=60)
IDLE_ENDED = "Token ended after {m} idle minutes. Request a new one at /api/v1/auth/token/."


def issue_token(user: User, *, session_key: str = "") -> tuple[str, ApiToken]:
    """A new token for `user` (the key is shown once; only its digest is kept)."""
    from . import actions

    key = ApiToken.new_key()
    expires = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        expires_at=expires,
        session_key=session_key or "",
    )
    actions.audit(
        AuditEventKind.TOKEN_ISSUED,
        user=user,
        detail=f"prefix {key[:8]}, expires {expires:%Y-%m-%dT%H:%MZ}",
    )
    return key, token


def revoke_token(
    acting_user: User, token: ApiToken, *, why: str = "revoked by its owner"
) -> ApiToken:
    """Revoke one of the acting user's own tokens (no one revokes another's here)."""
    from . import actions

    if token.user_id != acting_user.pk:
        raise exceptions.PermissionDenied("You can revoke only your own API tokens.")
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
                revoked_at=token.revoked_at
            )
            actions.audit(
                AuditEventKind.TOKEN_REVOKED,
                user=acting_user,
                detail=f"prefix {token.prefix}: {why}",
            )
    return token


def revoke_session_tokens(user: User, session_key: str | None) -> int:
    """Logging off revokes the tokens created in that session."""
    if not session_key:
        return 0
    tokens = list(
        ApiToken.objects.filter(user=user, session_key=session_key, revoked_at__isnull=True)
    )
    for token in tokens:
        revoke_token(user, token, why="the session it was created in logged off")
    return len(tokens)


def token_state(token: ApiToken, now: dt.datetime | None = None) -> str:
    """'active', 'revoked', 'expired' or 'idle' (ended after API_TOKEN_IDLE_MINUTES unused)."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if now - (token.last_used_at or token.created_at) > dt.timedelta(
        minutes=settings.API_TOKEN_IDLE_MINUTES
    ):
        return "idle"
    return "active"


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                "Invalid token. Request a new one at /api/v1/auth/token/."
            )
        now = timezone.now()
        state = token_state(token, now)
        if state == "expired":
            raise exceptions.AuthenticationFailed(
                "Token expired. Request a new one at /api/v1/auth/token/."
            )
        if state == "idle":
            raise exceptions.AuthenticationFailed(
                IDLE_ENDED.format(m=settings.API_TOKEN_IDLE_MINUTES)
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(
                "This account is disabled. Ask an administrator to re-enable it."
            )
        if user.locked_at is not None:
            raise exceptions.AuthenticationFailed(
                "This account is locked after repeated failed logons. Ask an administrator to unlock it."
            )
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (user, token)
