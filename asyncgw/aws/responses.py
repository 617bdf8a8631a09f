"""AWS answers read into asyncgw's types: whatever cannot be read becomes one UnexpectedResponse."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from asyncgw.core.errors import UnexpectedResponse

M = TypeVar("M", bound=BaseModel)


def field_path(at: str, *loc: str | int) -> str:
    """'items[3].resourceMethods.GET' out of a prefix and the keys below it."""
    out = at
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse(model: type[M], data: object, operation: str, at: str = "") -> M:
    """`data` (part of `operation`'s answer, found at `at`) validated as `model`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise unreadable(operation, at, error) from error


def unreadable(operation: str, at: str, error: ValidationError) -> UnexpectedResponse:
    """The first problem pydantic found, as one line naming the field."""
    first = error.errors(include_url=False)[0]
    field = field_path(at, *first["loc"])
    if first["type"] == "missing":
        return UnexpectedResponse(operation, field, missing=True)
    if first["type"] == "string_too_short" and first.get("input") == "":
        return UnexpectedResponse(operation, field, value="", missing=True)
    return UnexpectedResponse(operation, field, str(first["msg"]).lower(), first.get("input"))


def mapping(value: object, operation: str, at: str) -> Mapping[str, Any]:
    """`value` if it is a JSON object; UnexpectedResponse otherwise."""
    if not isinstance(value, Mapping):
        raise UnexpectedResponse(operation, at, "not an object", value)
    return value


def sequence(value: object, operation: str, at: str) -> Sequence[Any]:
    """`value` if it is a JSON array; UnexpectedResponse otherwise."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise UnexpectedResponse(operation, at, "not a list", value)
    return value


def required(container: Mapping[str, Any], key: str, operation: str, at: str = "") -> Any:
    """container[key]; UnexpectedResponse naming the field when AWS left it out."""
    if container.get(key) is None:
        raise UnexpectedResponse(operation, field_path(at, key), missing=True)
    return container[key]


@contextmanager
def reading(operation: str, at: str = "") -> Iterator[None]:
    """Turn a failure to read part of `operation`'s answer into UnexpectedResponse."""
    try:
        yield
    except ValidationError as error:
        raise unreadable(operation, at, error) from error
    except KeyError as error:
        key = str(error.args[0]) if error.args else "?"
        raise UnexpectedResponse(operation, field_path(at, key), missing=True) from error
    except (TypeError, ValueError, AttributeError, IndexError) as error:
        raise UnexpectedResponse(operation, at, f"{type(error).__name__}: {error}") from error
