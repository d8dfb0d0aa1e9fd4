from .access_requests import AccessChangeRequest, AccessChangeStatus
from .changelog import AuditEvent, ChangeLogEntry
from .documents import Document
from .exports import ExportJob
from .notifications import Notification
from .organizations import Organization, OrganizationKind
from .people import ApiToken, LogonAttempt, Membership, User
from .records import InternalRecord, MarkedModel, MarkedQuerySet
from .reference import (
    CodeListEntry,
    CombatantCommand,
    Country,
    ReferenceFact,
    ReferenceQuerySet,
)
from .sessions import WebSession

__all__ = [
    "AccessChangeRequest",
    "AccessChangeStatus",
    "ApiToken",
    "CodeListEntry",
    "AuditEvent",
    "ChangeLogEntry",
    "CombatantCommand",
    "Country",
    "Document",
    "ExportJob",
    "LogonAttempt",
    "InternalRecord",
    "MarkedModel",
    "MarkedQuerySet",
    "Membership",
    "Notification",
    "Organization",
    "OrganizationKind",
    "ReferenceFact",
    "ReferenceQuerySet",
    "User",
    "WebSession",
]
