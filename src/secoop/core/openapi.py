"""The OpenAPI schema class (settings REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]). Apart from
api_plumbing because drf-spectacular's AutoSchema imports DRF's generic views, which import the
plumbing."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class ConditionalAutoSchema(AutoSchema):
    """The OpenAPI schema of viewsets with api_base.ConditionalWriteMixin (issue 10 item 8): writes on
    a record take an optional If-Match header and may answer 412; detail answers carry an ETag.
    Responses follow the field policy (core.fields): a field some reader may not see is not required,
    since that reader's answer leaves it out."""

    def _map_basic_serializer(self, serializer, direction):
        from . import fields as field_policy

        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        policy = field_policy.policy_of(model)
        if direction == "response" and policy.restricts and schema.get("required"):
            schema["required"] = [
                name
                for name in schema["required"]
                if all(policy.allows(reader, name) for reader in field_policy.READERS)
            ]
            if not schema["required"]:
                del schema["required"]
        return schema

    WRITE_METHODS = ("PUT", "PATCH", "DELETE", "POST")

    def _conditional(self) -> bool:
        from .api_base import ConditionalWriteMixin

        return (
            isinstance(self.view, ConditionalWriteMixin)
            and self.method in self.WRITE_METHODS
            and bool(getattr(self.view, "detail", False))
        )

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._conditional():
            params.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="The ETag of the record as you read it: the write is refused with 412 if "
                    "the record changed since (someone else saved first). Omit it to write unconditionally.",
                )
            )
        return params

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._conditional() and "412" not in responses:
            responses["412"] = {
                "description": "The record changed since the ETag sent in If-Match: reload it, then write again.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"detail": {"type": "string"}},
                            "required": ["detail"],
                        }
                    }
                },
            }
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response") -> dict:
        from .api_base import ConditionalWriteMixin

        headers = super()._get_response_headers_for_code(status_code, direction)
        tagged = isinstance(self.view, ConditionalWriteMixin) and (
            bool(getattr(self.view, "detail", False)) or self._is_create_operation()
        )
        if tagged and str(status_code) in ("200", "201") and self.method != "DELETE":
            headers = {
                **(headers or {}),
                "ETag": {
                    "schema": {"type": "string"},
                    "description": "The record's version: send it back in If-Match when you write.",
                },
            }
        return headers
