"""Expiring API tokens: `Authorization: Token <key>`."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid token. Request a new one at /api/v1/auth/token/.")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                "Token expired. Request a new one at /api/v1/auth/token/."
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
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (user, token)
