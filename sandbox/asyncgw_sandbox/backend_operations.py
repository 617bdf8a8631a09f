"""Operations added to or corrected on moto's APIGatewayBackend (attached by `install`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from asyncgw_sandbox.deployment_snapshot import deployed_snapshot
from asyncgw_sandbox.errors import STAGE_NOT_FOUND, VALIDATOR_NOT_FOUND, BadRequest, NotFound
from asyncgw_sandbox.export import EXPORT_TYPES, ExportRequest, render
from asyncgw_sandbox.integration_patch import apply_integration_patch
from asyncgw_sandbox.method_patch import apply_method_patch, check_method_parameters
from asyncgw_sandbox.patch_document import read_operations
from asyncgw_sandbox.targets import (
    find_integration,
    find_method,
    find_resource,
    find_validator,
)
from asyncgw_sandbox.validator_patch import apply_validator_patch

SERVICE_PATH_URI = re.compile(r"^arn:[^:]+:apigateway:[^:]+:[^:]+:path/")
LAMBDA_PATH_URI = re.compile(
    r"^arn:[^:]+:apigateway:[^:]+:lambda:path/(2015-03-31|2021-11-15)/functions/")
"""Lambda's invocations path, and the one of response streaming [DOC response-streaming]."""
CALLER_CREDENTIALS = "arn:aws:iam::*:user/*"
"""The credentials that pass the caller's identity through [DOC integration-credentials]."""
AWS_PROXY_TARGETS = (
    "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose "
    "stream invocations."
)

# Every function here is bound as a method of APIGatewayBackend: `self` is that backend.
# moto's backend and models carry no attribute types, hence the Any.


def update_method(
    self: Any, function_id: str, resource_id: str, method_type: str, patch_operations: Any
) -> Any:
    """UpdateMethod: patch a method's request side and return the whole Method [REC A1-A15]."""
    operations = read_operations(patch_operations, "updateMethodInput")
    method = find_method(self, function_id, resource_id, method_type)
    apply_method_patch(self.apis[function_id], method, operations)
    return method


def update_integration(
    self: Any, function_id: str, resource_id: str, method_type: str, patch_operations: Any
) -> Any:
    """UpdateIntegration: patch an integration's request side and return it [REC C2, C6]."""
    operations = read_operations(patch_operations, "updateIntegrationInput")
    integration = find_integration(self, function_id, resource_id, method_type)
    method = find_method(self, function_id, resource_id, method_type)
    apply_integration_patch(method, integration, operations)
    return integration


def get_resource(self: Any, function_id: str, resource_id: str) -> Any:
    """The resource, with AWS's text for an unknown API or resource [REC A4, A5]."""
    return find_resource(self, function_id, resource_id)


def get_integration(self: Any, function_id: str, resource_id: str, method_type: str) -> Any:
    """GetIntegration: a 404 rather than moto's `{}` when the method has none [REC C1]."""
    return find_integration(self, function_id, resource_id, method_type)


def delete_integration(self: Any, function_id: str, resource_id: str, method_type: str) -> Any:
    """DeleteIntegration: a 404 rather than moto's crash when there is none [UNVERIFIED text]."""
    integration = find_integration(self, function_id, resource_id, method_type)
    find_method(self, function_id, resource_id, method_type).method_integration = None
    return integration


def validating_put_method(original: Callable[..., Any]) -> Callable[..., Any]:
    """PutMethod refusing what AWS refuses: bad or duplicate parameter names, unknown validators."""

    def put_method(
        self: Any,
        function_id: str,
        resource_id: str,
        method_type: str,
        authorization_type: str | None,
        api_key_required: bool | None = None,
        request_parameters: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        find_resource(self, function_id, resource_id)
        check_method_parameters(request_parameters or {})  # [REC B2, C3]
        validator_id = kwargs.get("request_validator_id")
        if (
            validator_id is not None
            and validator_id not in self.apis[function_id].request_validators
        ):
            raise BadRequest(VALIDATOR_NOT_FOUND)  # [REC B3]
        return original(
            self,
            function_id,
            resource_id,
            method_type,
            authorization_type,
            api_key_required,
            request_parameters=request_parameters,
            **kwargs,
        )

    return put_method


def aws_shaped_put_integration(original: Callable[..., Any]) -> Callable[..., Any]:
    """PutIntegration as AWS takes it: MOCK without uri, lower-case enums, Lambda-only proxies."""

    def put_integration(
        self: Any,
        function_id: str,
        resource_id: str,
        method_type: str,
        integration_type: str,
        uri: str | None = None,
        integration_method: str | None = None,
        passthrough_behavior: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if integration_type.upper() == "AWS_PROXY" and _is_non_lambda_path_uri(uri or ""):
            raise BadRequest(AWS_PROXY_TARGETS)  # [REC C4]
        # moto takes any credentials of another account for a pass-role, the caller's too.
        caller = kwargs.get("credentials") == CALLER_CREDENTIALS
        if caller:
            kwargs["credentials"] = None
        # OpenAPI spells enums in lower case ("mock", "when_no_match"); AWS stores upper case
        # [REC C5].
        integration = original(
            self,
            function_id,
            resource_id,
            method_type,
            integration_type.upper(),
            uri,
            integration_method,
            passthrough_behavior=passthrough_behavior.upper() if passthrough_behavior else None,
            **kwargs,
        )
        if caller:
            integration.credentials = CALLER_CREDENTIALS
        return integration

    return put_integration


def _is_non_lambda_path_uri(uri: str) -> bool:
    return bool(SERVICE_PATH_URI.match(uri)) and not LAMBDA_PATH_URI.match(uri)


def create_request_validator(
    self: Any, restapi_id: str, name: str, body: bool | None, params: bool | None
) -> Any:
    """CreateRequestValidator: a 400 for an unknown API, flags false when omitted [REC D1, D6]."""
    api = self.apis.get(restapi_id)
    if api is None:
        raise BadRequest("Invalid REST API identifier specified")  # [REC D6]
    return api.create_request_validator(
        name=name, validateRequestBody=bool(body), validateRequestParameters=bool(params)
    )


def get_request_validators(self: Any, restapi_id: str) -> Any:
    """GetRequestValidators: AWS's 404 text, with the account id, for an unknown API [REC D6]."""
    api = self.apis.get(restapi_id)
    if api is None:
        raise NotFound(f"Invalid API identifier specified {self.account_id}:{restapi_id}")
    return api.get_request_validators()


def get_request_validator(self: Any, restapi_id: str, validator_id: str) -> Any:
    """GetRequestValidator: 404 for an unknown API or validator [REC D3, D7]."""
    return find_validator(self, restapi_id, validator_id)


def delete_request_validator(self: Any, restapi_id: str, validator_id: str) -> None:
    """DeleteRequestValidator: 404 for an unknown API or validator [REC D7]."""
    find_validator(self, restapi_id, validator_id)
    # Deleting a validator a method still uses is refused by AWS [COMM] with an unrecorded
    # error [UNVERIFIED]; like moto (and LocalStack) the sandbox allows it, so it differs.
    del self.apis[restapi_id].request_validators[validator_id]


def update_request_validator(
    self: Any, restapi_id: str, validator_id: str, patch_operations: Any
) -> Any:
    """UpdateRequestValidator: replace-only paths with AWS's errors [REC D2, D4, D5, D9]."""
    operations = read_operations(patch_operations, "updateRequestValidatorInput")
    validator = find_validator(self, restapi_id, validator_id)
    apply_validator_patch(validator, operations)
    return validator


def get_export(
    self: Any, restapi_id: str, stage_name: str, export_type: str, extensions: frozenset[str]
) -> dict[str, Any]:
    """GetExport: the document of the deployment the stage serves, not the current API [MODEL]."""
    api = self.apis.get(restapi_id)
    stage = api.stages.get(stage_name) if api is not None else None
    if stage is None:
        raise NotFound(STAGE_NOT_FOUND)  # an unknown API gets the same error [UNVERIFIED]
    if export_type not in EXPORT_TYPES:
        raise BadRequest(f"No API exporter for type '{export_type}'")  # [UNVERIFIED] moto's text
    request = ExportRequest(export_type, extensions, stage_name, self.region_name)
    return render(deployed_snapshot(api, stage.deployment_id), request)
