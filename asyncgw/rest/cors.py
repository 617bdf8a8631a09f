"""The browser side of switchable mode: InvocationType in an OPTIONS method's allowed headers."""

from __future__ import annotations

from collections.abc import Iterable

from asyncgw.core.model import FieldChange
from asyncgw.rest.patches import patch_pair
from asyncgw.rest.plan import PatchIntegrationResponse
from asyncgw.rest.snapshot import ApiSnapshot, Method

ALLOW_HEADERS = "method.response.header.Access-Control-Allow-Headers"
HEADER = "InvocationType"


def _allowed(value: str) -> list[str] | None:
    """The header names of a static "'A,B'" mapping; None for '*' or a non-static mapping."""
    if len(value) < 2 or not (value.startswith("'") and value.endswith("'")):
        return None
    names = [name.strip() for name in value[1:-1].split(",") if name.strip()]
    return None if "*" in names else names


def adjusted(value: str, wanted: bool) -> str | None:
    """The mapping with InvocationType added (wanted) or removed; None when already so."""
    names = _allowed(value)
    if names is None:
        return None
    present = any(name.lower() == HEADER.lower() for name in names)
    if present == wanted:
        return None
    if wanted:
        return value[:-1] + ("," if names else "") + HEADER + "'"
    return "'" + ",".join(name for name in names if name.lower() != HEADER.lower()) + "'"


def preflight_steps(
    snapshot: ApiSnapshot, switchable_paths: dict[str, bool]
) -> list[PatchIntegrationResponse]:
    """Steps that make each path's OPTIONS method allow InvocationType exactly when needed."""
    steps = []
    for method in snapshot.methods:
        if method.http_method != "OPTIONS" or method.path not in switchable_paths:
            continue
        for status, value in _allow_headers(method):
            after = adjusted(value, switchable_paths[method.path])
            if after is not None:
                steps.append(_step(method, status, value, after))
    return steps


def restore_steps(base: ApiSnapshot, now: ApiSnapshot) -> list[PatchIntegrationResponse]:
    """Steps that put every OPTIONS method's allowed headers back as they were in `base`."""
    current = {m.key: dict(_allow_headers(m)) for m in now.methods if m.http_method == "OPTIONS"}
    steps = []
    for method in base.methods:
        for status, value in _allow_headers(method) if method.http_method == "OPTIONS" else ():
            changed = current.get(method.key, {}).get(status)
            if changed is not None and changed != value:
                steps.append(_step(method, status, changed, value))
    return steps


def _allow_headers(method: Method) -> Iterable[tuple[str, str]]:
    responses = method.integration.integration_responses if method.integration else {}
    for status, response in sorted(responses.items()):
        value = response.response_parameters.get(ALLOW_HEADERS)
        if value is not None:
            yield status, value


def _step(method: Method, status: str, before: str, after: str) -> PatchIntegrationResponse:
    op, undo = patch_pair(f"/responseParameters/{ALLOW_HEADERS}", before, after)
    return PatchIntegrationResponse(
        resource_id=method.resource_id,
        path=method.path,
        http_method=method.http_method,
        status_code=status,
        changes=(FieldChange(field=f"responseParameters.{ALLOW_HEADERS}", before=before,
                             after=after),),
        ops=(op,),
        undo=(undo,),
    )
