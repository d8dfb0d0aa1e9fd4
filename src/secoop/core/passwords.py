"""Password rules of the DISA Application Security and Development STIG, as Django password
validators (settings.AUTH_PASSWORD_VALIDATORS), so every path that sets a password through Django
— the admin's add-user and change-password forms, the password change page, `changepassword`,
`createsuperuser` — applies them:

- V-222536: at least 15 characters (Django's MinimumLengthValidator, min_length=15);
- V-222537 / V-222538 / V-222539 / V-222540: at least one upper-case letter, one lower-case
  letter, one digit and one special character (ComplexityValidator);
- V-222546: none of the last 5 passwords again (PasswordHistoryValidator, with the hashes that
  User.set_password keeps);
- and no username in the password (UsernameInPasswordValidator)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class ComplexityValidator:
    """ASD STIG V-222537..V-222540: upper case, lower case, digit and special character."""

    CLASSES = (
        ("upper", str.isupper, "an upper-case letter (A-Z)", "V-222537"),
        ("lower", str.islower, "a lower-case letter (a-z)", "V-222538"),
        ("digit", str.isdigit, "a digit (0-9)", "V-222539"),
        (
            "special",
            lambda c: not c.isalnum() and not c.isspace(),
            "a special character such as ! # $ % - _",
            "V-222540",
        ),
    )

    def validate(self, password, user=None):
        missing = [
            (text, rule)
            for _name, test, text, rule in self.CLASSES
            if not any(test(c) for c in password)
        ]
        if missing:
            raise ValidationError(
                "The password needs at least %(what)s (DISA ASD STIG %(rules)s).",
                code="password_too_simple",
                params={
                    "what": ", ".join(t for t, _ in missing),
                    "rules": ", ".join(r for _, r in missing),
                },
            )

    def get_help_text(self):
        return "Your password must contain an upper-case letter, a lower-case letter, a digit and a special character."


class UsernameInPasswordValidator:
    """The password must not contain the account's username (in any case)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(
                "The password must not contain your username (%(username)s): choose another.",
                code="password_contains_username",
                params={"username": user.username},
            )

    def get_help_text(self):
        return "Your password must not contain your username."


class PasswordHistoryValidator:
    """ASD STIG V-222546: none of the last PASSWORD_HISTORY_COUNT passwords may be used again."""

    def __init__(self, count: int | None = None):
        self.count = count

    def _count(self) -> int:
        return self.count or settings.PASSWORD_HISTORY_COUNT

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return
        hashes = list(getattr(user, "password_history", None) or [])[-self._count() :]
        if user.password and user.password not in hashes:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(
                "This password was one of your last %(count)d: choose one you have not used before (DISA ASD STIG V-222546).",
                code="password_reused",
                params={"count": self._count()},
            )

    def get_help_text(self):
        return f"Your password must not be one of your last {self._count()} passwords."
