"""The entry points: export the selected methods in a mode as text, or as one JSON-ready object."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asyncgw.core.modes import Mode
from asyncgw.export.formats import find
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState, build
from asyncgw.rest.snapshot import ApiSnapshot, Method

REDEPLOY = "callers see the change only after a new deployment of the stage"


def export(snapshot: ApiSnapshot, methods: Sequence[Method], mode: Mode, fmt: str,
           optional_header: bool = False) -> str:
    """The methods in `mode`, written in format `fmt` (one of FORMAT_NAMES)."""
    return find(fmt).render(build(snapshot, methods, mode, optional_header))


def export_data(
    snapshot: ApiSnapshot, methods: Sequence[Method], mode: Mode, fmt: str | None = None,
    optional_header: bool = False,
) -> dict[str, Any]:
    """The same export as one JSON-ready object; with `fmt`, the text is under "content"."""
    spec = build(snapshot, methods, mode, optional_header)
    data = spec_data(spec)
    if fmt is not None:
        data["format"] = find(fmt).name
        data["content"] = find(fmt).render(spec)
    return data


def spec_data(spec: ExportSpec) -> dict[str, Any]:
    """An ExportSpec as plain JSON values, camelCase keys like AWS's."""
    return {
        "api": {"id": spec.api_id, "name": spec.api_name, "region": spec.region},
        "mode": str(spec.mode),
        "changed": spec.changed,
        "validators": [_validator(v) for v in spec.validators],
        "methods": [_method(m) for m in spec.methods],
        "stages": list(spec.stages),
        "redeploy": REDEPLOY,
    }


def _validator(validator: ValidatorState) -> dict[str, Any]:
    return {
        "name": validator.name,
        "validateRequestBody": validator.validate_request_body,
        "validateRequestParameters": validator.validate_request_parameters,
        "id": validator.existing_id,
        "new": validator.is_new,
    }


def _method(method: MethodState) -> dict[str, Any]:
    return {
        "path": method.path,
        "httpMethod": method.http_method,
        "function": method.function,
        "uri": method.uri,
        "authorizationType": method.authorization_type,
        "requestParameters": dict(method.request_parameters),
        "requestValidator": method.validator.name if method.validator else None,
        "integrationRequestParameters": dict(method.integration_request_parameters),
        "requestTemplates": dict(method.request_templates),
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in method.changes
        ],
    }
