"""Whole method parts as PutIntegration, PutMethodResponse and PutIntegrationResponse take them,
and the steps that set them."""

from __future__ import annotations

from asyncgw.core.model import FieldChange
from asyncgw.rest.markers import CONVERTED
from asyncgw.rest.plan import SetPart
from asyncgw.rest.snapshot import Integration, IntegrationResponse, Method, MethodResponse


def integration_arguments(integration: Integration) -> dict[str, object]:
    """PutIntegration's arguments that recreate `integration` (its responses aside)."""
    fields: dict[str, object | None] = {
        "type": integration.type,
        "integrationHttpMethod": integration.http_method,
        "uri": integration.uri,
        "credentials": integration.credentials,
        "requestParameters": integration.request_parameters or None,
        "requestTemplates": _templates(integration.request_templates),
        "passthroughBehavior": integration.passthrough_behavior,
        "cacheNamespace": integration.cache_namespace,
        "cacheKeyParameters": list(integration.cache_key_parameters) or None,
        "contentHandling": integration.content_handling,
        "timeoutInMillis": integration.timeout_in_millis,
        "connectionType": integration.connection_type,
        "connectionId": integration.connection_id,
        "tlsConfig": integration.tls_config,
        # Newer PutIntegration fields, sent only when the integration has them.
        "responseTransferMode": integration.response_transfer_mode,
        "integrationTarget": integration.integration_target,
    }
    return {key: value for key, value in fields.items() if value is not None}


def method_response_arguments(response: MethodResponse) -> dict[str, object]:
    """PutMethodResponse's arguments (status code aside) that recreate `response`."""
    fields: dict[str, object | None] = {
        "responseParameters": response.response_parameters or None,
        "responseModels": response.response_models or None,
    }
    return {key: value for key, value in fields.items() if value is not None}


def integration_response_arguments(response: IntegrationResponse) -> dict[str, object]:
    """PutIntegrationResponse's arguments (status code aside) that recreate `response`."""
    fields: dict[str, object | None] = {
        "selectionPattern": response.selection_pattern,
        "responseParameters": response.response_parameters or None,
        "responseTemplates": _templates(response.response_templates),
        "contentHandling": response.content_handling,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _templates(templates: dict[str, str | None]) -> dict[str, str] | None:
    # AWS reads an empty template back as null; sending "" stores the same empty template.
    return {content_type: text or "" for content_type, text in templates.items()} or None


def set_part(method: Method, part: str, status_code: str | None,
             after: dict[str, object] | None, before: dict[str, object] | None,
             changes: list[FieldChange]) -> SetPart:
    """Set (or, with `after` None, delete) one part of a method, undone by setting `before`."""
    return SetPart.model_validate({
        "resource_id": method.resource_id, "path": method.path,
        "http_method": method.http_method, "part": part, "status_code": status_code,
        "changes": tuple(c for c in changes if c.before != c.after),
        "after": after, "before": before,
    })


def same(left: dict[str, object], right: dict[str, object]) -> bool:
    """Equal as AWS stores them: an empty template, a null one and none are alike.

    That AWS reads an empty template back as null (or drops it) is [UNVERIFIED]; comparing
    this way keeps a re-plan from finding a change that is not there either way.
    """
    return _normal(left) == _normal(right)


def _normal(arguments: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in arguments.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v not in (None, "")}
        if value not in (None, "", {}, []):
            out[key] = value
    return out


def diff(before: dict[str, object], after: dict[str, object]) -> list[FieldChange]:
    """Every field that differs, map entries one by one, templates summarised."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if isinstance(was, dict | None) and isinstance(now, dict | None) and (
                isinstance(was, dict) or isinstance(now, dict)):
            old_map, new_map = was or {}, now or {}
            for entry in sorted(old_map.keys() | new_map.keys()):
                if old_map.get(entry) != new_map.get(entry):
                    changes.append(FieldChange(field=f"{key}.{entry}",
                                               before=_shown(old_map.get(entry)),
                                               after=_shown(new_map.get(entry))))
        else:
            changes.append(FieldChange(field=key, before=_shown(was), after=_shown(now)))
    return changes


def _shown(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if text.startswith(CONVERTED):
        return "proxy event template (asyncgw)"
    return text if len(text) <= 80 else f"template of {len(text)} characters"
