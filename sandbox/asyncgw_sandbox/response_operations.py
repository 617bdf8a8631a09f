"""HTTP handlers added to or corrected on moto's APIGatewayResponse (attached by `install`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from asyncgw_sandbox.errors import HTTP_METHODS, INVALID_HTTP_METHOD, BadRequest
from asyncgw_sandbox.export import serialize

# Functions here are bound as methods of APIGatewayResponse: `self` is moto's request handler,
# whose `uri_match` holds the URI template fields of the operation botocore routed to.
Response = tuple[int, dict[str, Any], str]
Handler = Callable[[Any], Any]

DEFAULT_PAGE_SIZE = 25  # [MODEL] GetResources default limit
MAX_PAGE_SIZE = 500  # [MODEL] GetResources maximum limit


def update_method(self: Any) -> Response:
    """PATCH .../methods/{verb}: 200 and the whole Method, integration included [REC A15]."""
    method = self.backend.update_method(*_method_address(self), self._get_param("patchOperations"))
    return 200, {}, json.dumps(method.to_json())


def update_integration(self: Any) -> Response:
    """PATCH .../methods/{verb}/integration: 200 and the Integration [REC C2]."""
    integration = self.backend.update_integration(
        *_method_address(self), self._get_param("patchOperations")
    )
    return 200, {}, json.dumps(integration.to_json())


def update_integration_response(self: Any) -> Response:
    """PATCH .../integration/responses/{status}: 200 and the IntegrationResponse [REC]."""
    response = self.backend.update_integration_response(
        *_method_address(self), self.uri_match["status_code"],
        self._get_param("patchOperations"))
    return 200, {}, json.dumps(response.to_json())


def update_method_response(self: Any) -> Response:
    """PATCH .../methods/{verb}/responses/{status}: 201 and the MethodResponse [REC]."""
    # 201, not 200, and the maps left out once empty [REC api.snapshot test_update_method_response
    # remove-update-method-response, add-update-method-response].
    response = self.backend.update_method_response(
        *_method_address(self), self.uri_match["status_code"],
        self._get_param("patchOperations"))
    document = {k: v for k, v in response.to_json().items() if v != {}}
    return 201, {"status": 201}, json.dumps(document)


def get_resources(self: Any) -> Response:
    """GetResources honouring `embed` [REC E8] and `limit`/`position` paging [MODEL]."""
    query = parse_qs(self.parsed_url.query)
    resources = self.backend.get_resources(self.uri_match["restapi_id"])
    limit = min(int(query.get("limit", [DEFAULT_PAGE_SIZE])[0]), MAX_PAGE_SIZE)  # [UNVERIFIED] cap
    start = _page_start(resources, query.get("position", [None])[0])
    embed_methods = "methods" in query.get("embed", [])
    page: dict[str, Any] = {
        "item": [_resource_json(r, embed_methods) for r in resources[start : start + limit]]
    }
    if start + limit < len(resources):
        page["position"] = resources[start + limit].id
    return 200, {}, json.dumps(page)


def get_stages(self: Any) -> Response:
    """GetStages honouring the `deploymentId` filter [REC E4]."""
    deployment_id = parse_qs(self.parsed_url.query).get("deploymentId", [None])[0]
    stages = self.backend.get_stages(self.uri_match["restapi_id"])
    items = [s.to_json() for s in stages if deployment_id in (None, s.deployment_id)]
    return 200, {}, json.dumps({"item": items})


def get_export(self: Any) -> Response:
    """GET .../stages/{stage}/exports/{type}: the export as a file, JSON unless YAML is asked."""
    match, query = self.uri_match, parse_qs(self.parsed_url.query)
    extensions = frozenset(
        part.strip() for value in query.get("extensions", []) for part in value.split(",")
    )
    document = self.backend.get_export(
        match["restapi_id"], match["stage_name"], match["export_type"], extensions)
    body, content_type, suffix = serialize(document, self.headers.get("Accept"))
    filename = f"{match['export_type']}_{document['info']['version']}.{suffix}"  # [REC] json
    return 200, {"Content-Type": content_type,
                 "Content-Disposition": f'attachment; filename="{filename}"'}, body


def test_invoke_method(self: Any) -> Response:
    """POST .../methods/{verb}: 200 and the simulated invocation's result [REC F1, F3]."""
    fields = json.loads(self.body) if self.body else {}
    result = self.backend.test_invoke_method(*_method_address(self), fields)
    return 200, {}, json.dumps(result)


def version_keeping_create_rest_api(original: Handler) -> Handler:
    """CreateRestApi keeping the `version` and `binaryMediaTypes` moto drops [MODEL RestApi]."""

    def create_rest_api(self: Any) -> Any:
        status, headers, body = original(self)
        version, media_types = self._get_param("version"), self._get_param("binaryMediaTypes")
        if status != 200 or not (version or media_types):
            return status, headers, body
        api = self.backend.get_rest_api(json.loads(body)["id"])
        api.version = version or api.version
        api.binaryMediaTypes = list(media_types or api.binaryMediaTypes)
        return status, headers, json.dumps(api.to_dict())

    return create_rest_api


def verb_checking_put_method(original: Handler) -> Handler:
    """PutMethod refusing a verb AWS does not know [REC B3 wrong-method]."""

    def put_method(self: Any) -> Any:
        if self.uri_match["http_method"] not in HTTP_METHODS:
            raise BadRequest(INVALID_HTTP_METHOD)
        return original(self)

    return put_method


def connection_keeping_put_integration(original: Handler) -> Handler:
    """PutIntegration keeping the `connectionId` moto's backend does not take [REC C2]."""

    def put_integration(self: Any) -> Any:
        answer = original(self)
        connection_id = self._get_param("connectionId")
        if connection_id is None:
            return answer
        integration = self.backend.get_integration(*_method_address(self))
        integration.connection_id = connection_id
        return answer[0], answer[1], json.dumps(integration.to_json())

    return put_integration


def _method_address(self: Any) -> tuple[str, str, str]:
    match = self.uri_match
    return match["restapi_id"], match["resource_id"], match["http_method"]


def _page_start(resources: list[Any], position: str | None) -> int:
    if position is None:
        return 0
    for index, resource in enumerate(resources):
        if resource.id == position:
            return index
    raise BadRequest("Invalid position specified")  # [UNVERIFIED] text


def _resource_json(resource: Any, embed_methods: bool) -> dict[str, Any]:
    document: dict[str, Any] = resource.to_dict()
    if "resourceMethods" in document and not embed_methods:
        # Without embed AWS lists each verb as an empty object [REC E8].
        document["resourceMethods"] = {verb: {} for verb in document["resourceMethods"]}
    return document
