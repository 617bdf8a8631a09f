"""An imported API read back through plain boto3 calls, flattened so that diffs name fields."""

from __future__ import annotations

from typing import Any

from tests.support.state import full_state

Leaf = tuple[str, ...]


def read(client: Any, api_id: str) -> dict[str, Any]:
    """Every method (GetMethod, so with its integration and responses) and validator."""
    state = full_state(client, api_id)
    return {"methods": state["methods"], "validators": state["validators"]}


def flat(methods: dict[str, Any]) -> dict[Leaf, Any]:
    """Each leaf of the methods as (method key, field, field...) -> value.

    An empty map is no leaf: AWS drops a map once it is empty [REC A3], emulators may keep it.
    """
    out: dict[Leaf, Any] = {}

    def walk(prefix: Leaf, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk((*prefix, str(key)), item)
        else:
            out[prefix] = value

    walk((), methods)
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[Leaf]:
    """The leaves that differ between two read-backs of the methods."""
    old, new = flat(before["methods"]), flat(after["methods"])
    return {leaf for leaf in old.keys() | new.keys() if old.get(leaf) != new.get(leaf)}
