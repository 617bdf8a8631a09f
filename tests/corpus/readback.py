"""An imported API read back through plain boto3 calls, flattened so that diffs name fields."""

from __future__ import annotations

from typing import Any

Leaf = tuple[str, ...]


def read(client: Any, api_id: str) -> dict[str, Any]:
    """Every method (GetMethod, so with its integration and responses) and validator."""
    methods: dict[str, Any] = {}
    pages = client.get_paginator("get_resources").paginate(
        restApiId=api_id, embed=["methods"], PaginationConfig={"PageSize": 500})
    for page in pages:
        for resource in page["items"]:
            for verb in resource.get("resourceMethods", {}):
                method = client.get_method(restApiId=api_id, resourceId=resource["id"],
                                           httpMethod=verb)
                method.pop("ResponseMetadata")
                methods[f"{verb} {resource['path']}"] = method
    validators = client.get_request_validators(restApiId=api_id, limit=500)["items"]
    return {"methods": methods, "validators": sorted(validators, key=lambda v: v["id"])}


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
