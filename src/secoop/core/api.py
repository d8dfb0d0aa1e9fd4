"""Core API: auth token, countries, organizations, users/me, documents, changes, notifications."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import mixins
from rest_framework import permissions
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access
from . import actions
from .api_auth import issue_token
from .api_auth import revoke_token
from .api_auth import token_state
from .api_base import ConditionalWriteMixin
from .api_base import FieldsOnceModelSerializer
from .api_base import MarkedModelSerializer
from .api_base import MarkedViewSet
from .api_base import RelatedCharField
from .api_plumbing import PASSWORD_MAX_LENGTH
from .api_plumbing import USERNAME_MAX_LENGTH
from .auth import LogonRefused
from .auth import check_logon
from .filters import country_code
from .filters import inbox_q
from .forms import OrganizationForm
from .models import ApiToken
from .models import ChangeLogEntry
from .models import Country
from .models import Document
from .models import Membership
from .models import Notification
from .models import Organization
from .models import User

# --- auth --------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    # Bounded (issue 10 item 7): a user name longer than any account's is refused with a 400.
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH
    )


CONSENT_TERMS = (
    "By requesting a token you accept the terms of the Standard Mandatory DoD Notice and Consent "
    "Banner returned in `consent_banner` (R-SEC-08): GET this endpoint to read them before logon."
)


class TokenView(APIView):
    """Exchange a username and password for an expiring API token. Requesting a token accepts the
    DoD Notice and Consent Banner (R-SEC-08), which every answer of this endpoint carries."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="The DoD Notice and Consent Banner, to read before requesting a token",
        responses={
            200: inline_serializer("ConsentBanner", {"consent_banner": serializers.CharField()})
        },
    )
    def get(self, request):
        return Response({"consent_banner": settings.CONSENT_BANNER_TEXT, "terms": CONSENT_TERMS})

    @extend_schema(
        summary="Request an API token (accepts the consent banner's terms)",
        description=CONSENT_TERMS + " A token ends at `expires_at`, after "
        f"{settings.API_TOKEN_IDLE_MINUTES} idle minutes, or when revoked (`/api/v1/auth/tokens/`).",
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                    "idle_minutes": serializers.IntegerField(),
                    "consent_banner": serializers.CharField(
                        help_text="The DoD Notice and Consent Banner you accepted."
                    ),
                },
            ),
            401: inline_serializer(
                "TokenRefused",
                {"detail": serializers.CharField(), "consent_banner": serializers.CharField()},
            ),
        },
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            user = check_logon(
                form.validated_data["username"], form.validated_data["password"], channel="api"
            )
        except LogonRefused as exc:
            return Response(
                {"detail": str(exc), "consent_banner": settings.CONSENT_BANNER_TEXT},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        # A token asked for from a signed-in web session (same user) ends when that session logs off.
        web_user = getattr(request._request, "user", None)
        session = getattr(request._request, "session", None)
        session_key = (
            session.session_key
            if session is not None and getattr(web_user, "pk", None) == user.pk
            else ""
        )
        key, token = issue_token(user, session_key=session_key or "")
        return Response(
            {
                "token": key,
                "expires_at": token.expires_at,
                "idle_minutes": settings.API_TOKEN_IDLE_MINUTES,
                "consent_banner": settings.CONSENT_BANNER_TEXT,
            }
        )


class ApiTokenSerializer(FieldsOnceModelSerializer):
    state = serializers.SerializerMethodField(
        help_text="active, idle (ended unused), expired or revoked"
    )
    current = serializers.SerializerMethodField(
        help_text="Whether this request came with this token."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "state",
            "current",
        ]
        read_only_fields = fields

    def get_state(self, token) -> str:
        return token_state(token)

    def get_current(self, token) -> bool:
        request = self.context.get("request")
        return isinstance(getattr(request, "auth", None), ApiToken) and request.auth.pk == token.pk


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own API tokens: see them and revoke any (`POST …/{id}/revoke/`); `POST …/revoke-current/`
    revokes the token this request came with (logging off through the API)."""

    serializer_class = ApiTokenSerializer
    filter_backends: list = []

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = revoke_token(request.user, self.get_object())
        return Response(self.get_serializer(token).data)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=False, methods=["post"], url_path="revoke-current")
    def revoke_current(self, request):
        if not isinstance(request.auth, ApiToken):
            raise serializers.ValidationError(
                {
                    "detail": "This request did not come with an API token: revoke one by id, or log off the web session."
                }
            )
        token = revoke_token(request.user, request.auth, why="logged off through the API")
        return Response(self.get_serializer(token).data)


class CountryCodeField(serializers.SlugRelatedField):
    """A country by its alpha-3 code. The code is the primary key, so no query per row."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset", Country.objects.all()
        )  # public reference data: every code is valid input
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": "Unknown country code {value}: use an ISO 3166 alpha-3 code such as XBN."
            },
        )
        super().__init__(slug_field="alpha3", **kwargs)

    def use_pk_only_optimization(self):
        return True

    def to_representation(self, value):
        return value.pk

    def to_internal_value(self, data):
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


# --- countries ---------------------------------------------------------------------------------


class CountrySerializer(FieldsOnceModelSerializer):
    ccmd_name = serializers.CharField(source="get_ccmd_display", read_only=True)

    class Meta:
        model = Country
        fields = [
            "alpha3",
            "alpha2",
            "numeric",
            "name",
            "official_name",
            "ccmd",
            "ccmd_name",
            "notional",
        ]


class CountryFilter(django_filters.FilterSet):
    class Meta:
        model = Country
        fields = {"ccmd": ["exact"], "alpha2": ["exact"], "notional": ["exact"]}


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """ISO 3166 countries with their geographic combatant command."""

    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    search_fields = ["name", "alpha3", "alpha2"]
    ordering_fields = ["name", "alpha3", "ccmd"]
    lookup_field = "alpha3"

    def get_queryset(self):
        return Country.objects.visible_to(self.request.user)

    def get_object(self):
        # Accept either code, as users write both (XBN or XB).
        code = self.kwargs["alpha3"].upper()
        field = "alpha2" if len(code) == 2 else "alpha3"
        self.kwargs = {**self.kwargs, field: code}
        self.lookup_field = field
        return super().get_object()


# --- organizations ----------------------------------------------------------------------------


class OrganizationSerializer(MarkedModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), allow_null=True, required=True
    )
    country = CountryCodeField(allow_null=True, required=False)
    depth = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            *OrganizationForm.Meta.fields,
            "is_active",
            "marking",
            "depth",
            "created_at",
            "updated_at",
        ]


class OrganizationFilter(django_filters.FilterSet):
    country = country_code()
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Organization
        fields = ["kind", "ccmd", "country", "parent", "is_active"]


class OrganizationViewSet(MarkedViewSet):
    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "short_name", "kind", "tree_path"]
    create_action = staticmethod(actions.create_organization)


# --- documents --------------------------------------------------------------------------------


class DocumentSerializer(MarkedModelSerializer):
    owner_org = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    country = CountryCodeField(allow_null=True, required=False)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "summary",
            "owner_org",
            "country",
            "dated",
            "marking",
            "created_at",
            "updated_at",
        ]


class DocumentFilter(django_filters.FilterSet):
    country = country_code()

    class Meta:
        model = Document
        fields = ["kind", "owner_org", "country", "classification"]


class DocumentViewSet(MarkedViewSet):
    model = Document
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "dated", "classification", "created_at"]
    list_select_related = ("owner_org",)


# --- people -----------------------------------------------------------------------------------


class MembershipSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.short_name")
    role = serializers.CharField()
    role_label = serializers.CharField()


class MeSerializer(FieldsOnceModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    citizenship = serializers.CharField(source="citizenship_id")
    clearance = serializers.CharField(source="get_clearance_display")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "title",
            "audience",
            "citizenship",
            "clearance",
            "is_le_staff",
            "memberships",
        ]


class UserViewSet(viewsets.GenericViewSet):
    serializer_class = MeSerializer

    def get_queryset(self):
        return User.objects.visible_to(self.request.user)

    @action(detail=False, methods=["get"])
    def me(self, request):
        # The memberships read joined to their organizations: one query, not one for each
        # (issue 15, the API's stack floor: 4 → 3 queries with the session's).
        user = (
            User.objects.visible_to(request.user)
            .prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("organization"))
            )
            .get(pk=request.user.pk)
        )
        return Response(MeSerializer(user).data)


# --- change log -------------------------------------------------------------------------------


class ChangeLogEntrySerializer(FieldsOnceModelSerializer):
    """An entry as its reader may see it: the before/after keys the record's field policy allows
    that reader (core.fields; ARCHITECTURE invariant 8)."""

    object_type = serializers.SerializerMethodField()
    marking = serializers.CharField(source="marking_text", read_only=True)
    before = serializers.JSONField(source="shown_before", read_only=True, allow_null=True)
    after = serializers.JSONField(source="shown_after", read_only=True, allow_null=True)

    class Meta:
        model = ChangeLogEntry
        fields = [
            "id",
            "at",
            "username",
            "request_id",
            "action",
            "transition",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
            "marking",
        ]

    def get_object_type(self, entry) -> str:
        ct = entry.content_type
        return f"{ct.app_label}.{ct.model}"


class ChangeLogFilter(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        method="filter_object_type", help_text="app.model, e.g. core.organization"
    )
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = ChangeLogEntry
        fields = ["action", "object_id", "username", "request_id"]

    def filter_object_type(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class ChangeLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The change log, read-only, filtered like the records it describes."""

    serializer_class = ChangeLogEntrySerializer
    filterset_class = ChangeLogFilter
    ordering_fields = ["at"]
    search_fields = ["object_repr", "reason"]

    def get_queryset(self):
        return ChangeLogEntry.objects.visible_to(self.request.user).select_related("content_type")


# --- notifications ----------------------------------------------------------------------------


class NotificationSerializer(FieldsOnceModelSerializer):
    marking = serializers.CharField(source="marking_text", read_only=True)
    recipient = RelatedCharField(source="recipient_org.short_name")
    sent_by = serializers.SerializerMethodField()
    acknowledged_by = serializers.SerializerMethodField()
    about_type = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "subject",
            "body",
            "rule",
            "url",
            "recipient_org",
            "recipient",
            "about_type",
            "object_id",
            "sent_by",
            "created_at",
            "delivered_at",
            "acknowledged_at",
            "acknowledged_by",
            "marking",
        ]
        read_only_fields = fields

    def _person(self, person) -> str:
        viewer = self.context["request"].user
        return person.username if access.shows_person(viewer, person) else ""

    def get_sent_by(self, note) -> str:
        return self._person(note.sent_by)

    def get_acknowledged_by(self, note) -> str:
        return self._person(note.acknowledged_by)

    def get_about_type(self, note) -> str:
        ct = note.content_type
        return f"{ct.app_label}.{ct.model}" if ct else ""


class NotificationApiFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", help_text="true: not yet acknowledged"
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", help_text="true: only those to your organizations"
    )

    class Meta:
        model = Notification
        fields = ["rule", "recipient_org"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(inbox_q(self.request.user)) if value else queryset


class NotificationViewSet(
    ConditionalWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Notifications the user may see (the door, like the records they are about); actions make
    them, so there is no create, update or delete here — only acknowledge."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationApiFilter
    ordering_fields = ["created_at", "acknowledged_at"]
    search_fields = ["subject", "body"]

    def get_queryset(self):
        return (
            Notification.objects.visible_to(self.request.user)
            .select_related("recipient_org", "sent_by", "acknowledged_by", "content_type")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        note = actions.acknowledge_notification(
            request.user, self.get_object(), reason=str(request.data.get("reason", ""))
        )
        return Response(self.get_serializer(note).data)
