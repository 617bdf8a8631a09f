"""Whole method parts as PutIntegration, PutMethodResponse and PutIntegrationResponse take them."""

from __future__ import annotations

from asyncgw.rest.models import Integration, IntegrationResponse, MethodResponse


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
