from django.conf import settings

from . import access
from .rules import Role


def secoop(request):
    user = getattr(request, "user", None)
    profile = access.profile_for(user) if user is not None else None
    return {
        "SYSTEM_CEILING": settings.MAX_CLASSIFICATION,
        "access_profile": profile,
        "is_administrator": bool(profile and profile.is_administrator),
        "ROLE_LABELS": Role.LABELS,
    }
