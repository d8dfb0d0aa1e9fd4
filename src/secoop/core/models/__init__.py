from .access_requests import AccessChangeRequest
from .access_requests import AccessChangeStatus
from .changelog import AuditEvent
from .changelog import ChangeLogEntry
from .documents import Document
from .exports import ExportJob
from .notifications import Notification
from .organizations import Organization
from .organizations import OrganizationKind
from .people import ApiToken
from .people import LogonAttempt
from .people import Membership
from .people import User
from .records import InternalRecord
from .records import MarkedModel
from .records import MarkedQuerySet
from .reference import CodeListEntry
from .reference import CombatantCommand
from .reference import Country
from .reference import ReferenceFact
from .reference import ReferenceQuerySet
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
