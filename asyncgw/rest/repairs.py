"""Whole-part steps that put a method back as a snapshot had it, after a failed apply."""

from __future__ import annotations

from asyncgw.rest import parts
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, lambda_function
from asyncgw.rest.parts import set_part
from asyncgw.rest.plan import SetPart
from asyncgw.rest.snapshot import Integration, Method


def repairs(original: Method, changed: Method) -> tuple[list[SetPart], bool]:
    """Whole-part steps that put `changed` back to `original`, and whether they include the
    integration (then no patch of its mapping is needed): used after a failed apply."""
    assert original.integration is not None and changed.integration is not None
    was, now = original.integration, changed.integration
    if lambda_function(was) is None:
        return [], False  # a CORS preflight: cors.restore_steps puts its headers back
    first: list[SetPart] = []
    last: list[SetPart] = []
    for code in sorted(now.integration_responses.keys() - was.integration_responses.keys()):
        removed = now.integration_responses[code]
        first.append(set_part(changed, "integration-response", code, None,
                              parts.integration_response_arguments(removed), []))
    for code, declared in sorted(original.method_responses.items()):
        if changed.method_responses.get(code) != declared:
            current = changed.method_responses.get(code)
            first.append(set_part(changed, "method-response", code,
                                  parts.method_response_arguments(declared),
                                  parts.method_response_arguments(current) if current else None,
                                  []))
    whole = _without_mapping(was) != _without_mapping(now)
    if whole:
        first.append(set_part(changed, "integration", None, parts.integration_arguments(was),
                              parts.integration_arguments(now), []))
    for code, response in sorted(was.integration_responses.items()):
        if whole or now.integration_responses.get(code) != response:
            current_response = now.integration_responses.get(code)
            first.append(set_part(changed, "integration-response", code,
                                  parts.integration_response_arguments(response),
                                  parts.integration_response_arguments(current_response)
                                  if current_response else None, []))
    for code in sorted(changed.method_responses.keys() - original.method_responses.keys()):
        added = changed.method_responses[code]
        last.append(set_part(changed, "method-response", code, None,
                             parts.method_response_arguments(added), []))
    return first + last, whole


def _without_mapping(integration: Integration) -> dict[str, object]:
    arguments = parts.integration_arguments(integration.model_copy(update={
        "request_parameters": {k: v for k, v in integration.request_parameters.items()
                               if k != INVOCATION_TYPE_MAPPING}}))
    return arguments
