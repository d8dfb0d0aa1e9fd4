"""API plumbing every app's api.py builds on: reads through the door, writes through actions,
errors as 400 with field messages (ARCHITECTURE invariants 1, 2, 5)."""

from __future__ import annotations

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from . import actions
from . import versioning
from .markings import Marking
from .markings import MarkingError
from .models.records import MarkedModel
from .models.records import trusted_reads
from .related import GuardedPrefetch
from .related import follow


def request_value(request, name: str, field: serializers.Field):
    """An action endpoint's optional input `name`, read by `field` (a DateField, an IntegerField…):
    None when it is absent or empty; a bad value answers 400 naming the input."""
    value = request.data.get(name) if hasattr(request.data, "get") else None
    if value in (None, ""):
        return None
    try:
        return field.to_internal_value(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


def step_endpoints(viewset, prefix: str, steps, run, describe) -> None:
    """Add to `viewset` one endpoint per lifecycle step, `POST <id>/<step>/` (the method
    `<prefix>_<step>`): each runs `run(viewset, request, record, step)`, the step's action on the
    record the door lets the user see, and answers the record as a GET shows it; `describe(step)`
    is the endpoint's description in the schema."""
    for step in steps:
        setattr(viewset, f"{prefix}_{step}", _step_endpoint(prefix, step, run, describe(step)))


def _step_endpoint(prefix: str, step: str, run, doc: str):
    def endpoint(self, request, pk=None):
        return self._done(run(self, request, self.get_object(), step))

    endpoint.__name__ = f"{prefix}_{step}"
    endpoint.__doc__ = doc
    return action(detail=True, methods=["post"], url_path=step)(endpoint)


def request_date(request, name: str):
    """An action endpoint's optional date `name` (YYYY-MM-DD): None when it is absent or empty;
    a bad date answers 400 naming the input."""
    return request_value(request, name, serializers.DateField())


def request_text(request, name: str) -> str:
    """An action endpoint's text input `name`; "" when it is absent."""
    return str(request.data.get(name, "")) if hasattr(request.data, "get") else ""


@extend_schema_field({"type": "string", "example": "CUI//REL TO USA, XBN"})
class MarkingField(serializers.Field):
    """A record's marking as its banner text, e.g. 'CUI//REL TO USA, XBN' (R-SEC-01)."""

    default_error_messages = {"invalid": "{message}"}

    def to_representation(self, instance):
        return instance.marking_text

    def get_attribute(self, instance):
        return instance

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", message="Write the marking as text, e.g. 'CUI//REL TO USA, XBN'.")
        try:
            return str(Marking.parse(data))
        except MarkingError as exc:
            self.fail("invalid", message=str(exc))


class RelatedCharField(serializers.CharField):
    """Read-only text across related records (`source="case.identifier"`), read through the door
    as the requesting user (core.related.follow): null when a record on the way is one they may
    not see. A plain `source=` across a marked key would skip the door."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        request = self.context.get("request")
        # One memo per response: a related record many rows show is checked once (issue 15).
        memo = self.context.setdefault("guard_memo", {}) if isinstance(self.context, dict) else None
        return follow(instance, self.source, getattr(request, "user", None), memo=memo)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "The transitions you may take now: allowed from the record's status by "
        "its lifecycle and by your roles (ARCHITECTURE invariant 10).",
    }
)
class ActionsNowField(serializers.Field):
    """The names of the lifecycle transitions the requesting user may take now."""

    def __init__(self, lifecycle, **kwargs):
        self.lifecycle = lifecycle
        kwargs["read_only"] = True
        kwargs.setdefault("source", "status")
        super().__init__(**kwargs)

    def to_representation(self, status):
        request = self.context.get("request")
        if request is None:
            return []
        return [t.name for t in self.lifecycle.actions_now(request.user, status)]


class FieldsOnceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields are worked out from its model once per class (issue 15: DRF
    read the model's fields and built every field's arguments on each request, ~12 % of
    `/api/v1/users/me/`). Each instance still gets fields of its own, copied from their arguments
    as DRF copies declared fields, so that what an instance sets on them — the related choices
    limited through the door for the requesting user (MarkedModelSerializer) — is never shared
    between requests. Only what the class and its model decide is kept: `get_field_names`,
    `build_field` and the other hooks read `Meta`, never the instance."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = self.settle_fields(super().get_fields())
            cls._fields_built_once = built
        return copy.deepcopy(built)

    def settle_fields(self, fields: dict) -> dict:
        """Once per class, what every instance's fields share; nothing here by default."""
        return fields


class MarkedModelSerializer(FieldsOnceModelSerializer):
    """A marked record in the API. A writable related field (one record or many) offers only the
    records the requesting user may see: a hidden id answers as a bad choice, not as a secret."""

    marking = MarkingField(
        help_text="Classification and releasability, e.g. 'CUI//REL TO USA, XBN'."
    )
    # Related kinds chosen by role rather than sight: any row may be named, and the action checks
    # who may write for it (cases: a partner names its own ministry among hidden USG ones).
    related_by_role: tuple[type, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for field in self.fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if field.read_only or queryset is None:
                continue
            if queryset.model in self.related_by_role:
                relation.queryset = queryset.model.objects.system()
            elif issubclass(queryset.model, MarkedModel):
                relation.queryset = queryset.model.objects.visible_to(request.user)

    def pop_extras(self, data: dict) -> dict:
        """Values the actions take as keyword arguments rather than as fields; none here."""
        return {}

    def run_validators(self, value):
        # DRF's unique-together validators read through the default manager (trusted: they
        # answer only "already exists").
        with trusted_reads():
            return super().run_validators(value)

    def settle_fields(self, fields: dict) -> dict:
        # A field's UniqueValidator (e.g. a course id) answers only "already exists", for the
        # whole table as the unique index does: it reads through .system(), not past the door.
        # The validators are shared by the copies each instance gets (as DRF shares them).
        for field in fields.values():
            for validator in getattr(field, "validators", ()):
                if isinstance(validator, UniqueValidator) and hasattr(validator.queryset, "system"):
                    validator.queryset = validator.queryset.system()
        return fields


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = versioning.STALE_MESSAGE
    default_code = "precondition_failed"


class ConditionalWriteMixin:
    """ETag and If-Match against lost updates (issue 10 item 8), for any viewset on a model.

    A detail read or write answers with the record's ETag (a hash of every stored field, so it
    changes on every change). PUT, PATCH, DELETE and POST actions on a record honour If-Match: a
    tag that is not the record's current one gets 412 and nothing is changed. Without If-Match the
    write goes ahead as before (clients that do not send it keep working)."""

    CONDITIONAL_METHODS = ("PUT", "PATCH", "DELETE", "POST")

    def get_object(self):
        obj = super().get_object()
        header = self.request.headers.get("If-Match")
        if (
            header
            and self.request.method in self.CONDITIONAL_METHODS
            and not versioning.if_match_holds(header, obj)
        ):
            raise PreconditionFailed()
        if header and self.request.method in self.CONDITIONAL_METHODS:
            # Checked again by the action once it holds the row lock: a write that commits
            # between this check and that lock must not be overwritten (versioning.check_locked).
            self._expected_token = versioning.expect(obj, versioning.tags_of(header))
        self._etag_object = obj
        return obj

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        self._etag_serializer = serializer
        return serializer

    def _current_etag(self, response) -> str | None:
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs:
            obj = getattr(self, "_etag_object", None)
        elif response.status_code == status.HTTP_201_CREATED:
            obj = getattr(getattr(self, "_etag_serializer", None), "instance", None)
        else:
            obj = None
        if obj is None or not hasattr(obj, "pk") or obj.pk is None:
            return None
        if self.request.method in ("GET", "HEAD"):
            # Nothing was written: the tag of the record as read, the state the answer shows
            # (re-reading it cost a query on every detail read, decision 0046).
            return versioning.etag_of(obj)
        # Trusted read: obj itself came through the door in get_object(); this only re-reads its
        # state after the write, to tag the answer.
        manager = type(obj).objects
        qs = manager.system() if hasattr(manager, "system") else manager.all()
        fresh = qs.filter(pk=obj.pk).first()
        return versioning.etag_of(fresh) if fresh is not None else None

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_expected_token", None)
        if token is not None:
            versioning.forget(token)
            self._expected_token = None
        response = super().finalize_response(request, response, *args, **kwargs)
        if 200 <= response.status_code < 300 and request.method != "DELETE":
            etag = self._current_etag(response)
            if etag:
                response["ETag"] = etag
        return response


class MarkedReadCreateViewSet(
    ConditionalWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and create a MarkedModel. Reads go through visible_to(); a new record is made
    from the serializer's fields and saved by `create_action` (the app's action)."""

    model = None
    list_select_related: tuple[str, ...] = ()
    # Related rows read with each record (`"costs"`, `"plan__allocations"`), each through the door.
    list_prefetch: tuple[str, ...] = ()
    create_action = staticmethod(actions.create_record)
    # Answer a write with the record re-read through the door (its related rows prefetched, as a
    # GET shows it) rather than as the action returned it.
    reread_writes = False

    def prefetches(self) -> list:
        """Related rows to prefetch, each through the door (GuardedPrefetch): `list_prefetch`."""
        return [GuardedPrefetch(name, self.request.user) for name in self.list_prefetch]

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.list_select_related:
            qs = qs.select_related(*self.list_select_related)
        extra = self.prefetches()
        return qs.prefetch_related(*extra) if extra else qs

    def _reason(self) -> str:
        data = self.request.data
        return str(data.get("reason", "")) if hasattr(data, "get") else ""

    def _reread(self, obj):
        return self.get_queryset().get(pk=obj.pk) if self.reread_writes else obj

    def _done(self, obj):
        """The answer to an action on one record: the record as a GET shows it."""
        return Response(self.get_serializer(self._reread(obj)).data)

    def before_create(self, obj) -> None:
        """Hook for a viewset to complete a new record before the action saves it; none here."""

    def create_record(self, obj, extras: dict):
        return self.create_action(self.request.user, obj, reason=self._reason(), **extras)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        marking = data.pop("marking", None)
        extras = serializer.pop_extras(data)
        obj = self.model(**data)
        if marking is not None:
            obj.marking = actions.check_marking(marking)
        self.before_create(obj)
        serializer.instance = self._reread(self.create_record(obj, extras))


class MarkedViewSet(
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MarkedReadCreateViewSet,
):
    """CRUD for a MarkedModel: MarkedReadCreateViewSet, and changes and deletions through
    `update_action` and `delete_action`."""

    update_action = staticmethod(actions.update_record)
    delete_action = staticmethod(actions.delete_record)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        extras = serializer.pop_extras(changes)
        saved = self.update_action(
            self.request.user, serializer.instance, changes, reason=self._reason(), **extras
        )
        serializer.instance = self._reread(saved)

    def perform_destroy(self, instance):
        reason = self.request.query_params.get("reason", "")
        self.delete_action(self.request.user, instance, reason=reason)
