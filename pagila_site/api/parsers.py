"""The one set of rules for JSON request bodies: size, nesting depth, strict UTF-8 (RFC 8259)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import IO, Any

import orjson
from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import exceptions, serializers, status
from rest_framework.fields import empty
from rest_framework.parsers import BaseParser

# The deepest nesting of arrays and objects a body may have; the API's bodies are flat.
MAX_JSON_DEPTH = 32
# The most unknown fields a 400 names one by one (a body may hold thousands).
MAX_UNKNOWN_NAMED = 10
# What a field's `plain_value` answers for a value it leaves to DRF's own validation.
NOT_PLAIN: Any = object()


class RequestTooLarge(exceptions.APIException):
    """The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (413, `request_too_large`)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is larger than the server accepts."

    def __init__(self) -> None:
        super().__init__(f"{self.default_detail} The limit is {body_limit()} bytes.")


def body_limit() -> int:
    """The most bytes a request body may have (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays/objects nest more than `limit` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON value of a body, or a 400 `parse_error` (413 when it is over the size limit).

    Strict RFC 8259 through orjson: UTF-8 only (no lone surrogates), no NaN or Infinity, and at
    most MAX_JSON_DEPTH levels of nesting. An empty body is `None`.
    """
    if len(raw) > body_limit():
        raise RequestTooLarge()
    if not raw.strip():
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason = "not valid UTF-8" if "UTF-8" in str(exc) else "not valid JSON"
        raise exceptions.ParseError(f"The body is {reason}.") from None
    if too_deep(data):
        raise exceptions.ParseError(f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    return data


class StrictJSONParser(BaseParser):
    """DRF's JSON parser with the rules of parse_json; reads at most the size limit plus one byte.

    DRF's own parser reads the stream without DATA_UPLOAD_MAX_MEMORY_SIZE and lets deep
    nesting raise RecursionError (a 500); this one answers 413 or 400 instead.
    """

    media_type = "application/json"

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return parse_json(stream.read(body_limit() + 1))


class StrictBodySerializer(serializers.Serializer):
    """A JSON request body with exactly its declared fields: an unknown field is a 400 naming it.

    The schema says the same (`additionalProperties: false`, see StrictBodyScheme), so a client
    learns of a misspelt field instead of having it silently ignored.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                errors = {name: ["Unknown field."] for name in unknown[:MAX_UNKNOWN_NAMED]}
                if len(unknown) > MAX_UNKNOWN_NAMED:
                    more = len(unknown) - MAX_UNKNOWN_NAMED
                    errors["non_field_errors"] = [f"And {more} more unknown fields."]
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)

    @classmethod
    def validated_body(cls, data: Any) -> dict[str, Any]:
        """The body's validated data, as `is_valid(raise_exception=True)` then `validated_data`.

        A plainly valid body (an object with every required field and no other, each value
        accepted by its field's `plain_value`) is checked without DRF's validation machinery,
        which costs more than the rest of a small write's Python work; any other body goes
        through `is_valid()`, so every 400 is exactly DRF's.
        """
        plain = plain_checks(cls)
        if plain is not None and isinstance(data, dict):
            checks, required = plain
            if required <= data.keys() <= checks.keys():
                values = {name: checks[name](value) for name, value in data.items()}
                if all(value is not NOT_PLAIN for value in values.values()):
                    return values
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


PlainChecks = tuple[dict[str, Callable[[Any], Any]], frozenset[str]]


@functools.cache
def plain_checks(serializer_class: type[StrictBodySerializer]) -> PlainChecks | None:
    """Each field's `plain_value` and the names of the required fields; None when a field has no
    `plain_value` (or a default, a source of its own, is read-only) or the serializer validates
    more than its fields (`validate()`, `validate_<field>()`): such a body always takes DRF's path.
    """
    if serializer_class.validate is not serializers.Serializer.validate:
        return None
    fields = serializer_class().fields
    checks = {}
    for name, field in fields.items():
        check = getattr(field, "plain_value", None)
        own_rules = field.read_only or field.default is not empty or field.source != name
        if check is None or own_rules or hasattr(serializer_class, f"validate_{name}"):
            return None
        checks[name] = check
    return checks, frozenset(name for name, field in fields.items() if field.required)


class StrictBodyScheme(OpenApiSerializerExtension):
    """Documents every StrictBodySerializer with `additionalProperties: false`.

    drf-spectacular has no public call for "the schema you would make for this serializer":
    the base extension's map_serializer maps `target_class` (here StrictBodySerializer itself,
    with no fields), so this calls what it calls, `_map_serializer` with bypass_extensions, on
    the actual serializer. tests/pagila_site/test_library_internals.py pins that call.
    """

    target_class = StrictBodySerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        return {**schema, "additionalProperties": False}
