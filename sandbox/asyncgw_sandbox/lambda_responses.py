"""HTTP handlers replacing moto's LambdaResponse event-invoke-config ones (attached by install)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

# Functions here are bound as methods of moto's LambdaResponse: `self` is its request handler,
# whose `uri_match` holds the URI template fields of the operation botocore routed to.
Response = tuple[int, dict[str, Any], str]


def put_function_event_invoke_config(self: Any) -> Response:
    """PUT .../event-invoke-config: 200 and the stored configuration."""
    config = self.backend.put_function_event_invoke_config(
        _function_name(self), _query(self, "Qualifier"), _body(self))
    return 200, {}, json.dumps(config)


def update_function_event_invoke_config(self: Any) -> Response:
    """POST .../event-invoke-config: 200 and the configuration after the update."""
    config = self.backend.update_function_event_invoke_config(
        _function_name(self), _query(self, "Qualifier"), _body(self))
    return 200, {}, json.dumps(config)


def get_function_event_invoke_config(self: Any) -> Response:
    """GET .../event-invoke-config: 200 and the configuration."""
    config = self.backend.get_function_event_invoke_config(
        _function_name(self), _query(self, "Qualifier"))
    return 200, {}, json.dumps(config)


def delete_function_event_invoke_config(self: Any) -> Response:
    """DELETE .../event-invoke-config: 204 and no body [REC delete_latest]."""
    self.backend.delete_function_event_invoke_config(
        _function_name(self), _query(self, "Qualifier"))
    return 204, {"status": 204}, ""  # moto takes the status from this header


def list_function_event_invoke_configs(self: Any) -> Response:
    """GET .../event-invoke-config/list: 200 and one page of configurations."""
    max_items = _query(self, "MaxItems")
    page = self.backend.list_function_event_invoke_configs(
        _function_name(self), _query(self, "Marker"), int(max_items) if max_items else None)
    return 200, {}, json.dumps(page)


def _function_name(self: Any) -> str:
    return unquote(str(self.uri_match["FunctionName"]))


def _query(self: Any, name: str) -> str | None:
    values = self.querystring.get(name)
    return str(values[0]) if values else None


def _body(self: Any) -> dict[str, Any]:
    if not self.body:
        return {}
    body: dict[str, Any] = json.loads(self.body)
    return body
