"""The API's JSON parser (issue 10 item 7). Its own module, importing no DRF view: DRF loads the
parser classes named in settings while `rest_framework.views` itself is being imported."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

JSON_MAX_DEPTH = 32


class JSONObjectParser(JSONParser):
    """The API's JSON parser: the body must be an object (every endpoint takes named fields), at
    most JSON_MAX_DEPTH levels deep, and no text in it may hold a NUL character (PostgreSQL cannot
    store one)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(
                f"JSON parse error - the body nests deeper than {JSON_MAX_DEPTH} levels."
            ) from exc
        if not isinstance(data, dict):
            raise ParseError(
                'The request body must be a JSON object with named fields, like {"reason": "…"}, '
                f"not a JSON {type(data).__name__}."
            )
        check_json_value(data)
        return data


def check_json_value(data) -> None:
    """Refuse nesting deeper than JSON_MAX_DEPTH and text with a NUL character, anywhere in it."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > JSON_MAX_DEPTH:
            raise ParseError(
                f"JSON parse error - the body nests deeper than {JSON_MAX_DEPTH} levels."
            )
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError("The request body holds a NUL character (\\u0000): remove it.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError("The request body holds a NUL character (\\u0000): remove it.")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
