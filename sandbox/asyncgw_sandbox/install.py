"""Attaching the sandbox's API Gateway (REST and HTTP APIs) and Lambda operations to moto, once."""

from __future__ import annotations

import threading
from typing import Any

# Operations moto (>=5.1,<5.3) does not implement at all; `install` adds them to both the
# backend and the response class. tests/sandbox checks that unpatched moto still lacks them.
ADDED_OPERATIONS = (
    "update_method",
    "update_integration",
    "update_integration_response",
    "update_method_response",
    "test_invoke_method",
)
# The same for HTTP APIs (apigatewayv2): moto routes no deployment URL and has no UpdateStage.
ADDED_HTTP_OPERATIONS = (
    "create_deployment",
    "get_deployment",
    "get_deployments",
    "delete_deployment",
    "update_stage",
)

_lock = threading.Lock()
_installed = False


def install() -> None:
    """Attach everything to moto's API Gateway and Lambda classes; calling it again does nothing."""
    global _installed
    with _lock:
        if _installed:
            return
        for owner, name, attribute in (_attachments() + _http_attachments()
                                       + _lambda_attachments() + _cloudwatch_attachments()):
            setattr(owner, name, attribute)
        _installed = True


def _attachments() -> list[tuple[object, str, Any]]:
    # moto is imported here, not at module level: `import asyncgw_sandbox` must stay cheap.
    from moto.apigateway.models import (
        APIGatewayBackend,
        Deployment,
        Integration,
        Method,
        RestAPI,
        Stage,
    )
    from moto.apigateway.responses import APIGatewayResponse

    from asyncgw_sandbox import backend_operations as backend
    from asyncgw_sandbox import import_fixes, invoke_method
    from asyncgw_sandbox import integration_response_patch as integration_responses
    from asyncgw_sandbox import method_response_patch as method_responses
    from asyncgw_sandbox import model_fixes as models
    from asyncgw_sandbox import response_operations as handlers
    from asyncgw_sandbox import stage_canary as canary
    from asyncgw_sandbox.deployment_snapshot import snapshotting_create_deployment

    return [
        (APIGatewayBackend, "update_method", backend.update_method),
        (APIGatewayBackend, "update_integration", backend.update_integration),
        (
            APIGatewayBackend,
            "update_integration_response",
            integration_responses.update_integration_response,
        ),
        (
            APIGatewayBackend,
            "update_method_response",
            method_responses.update_method_response,
        ),
        (APIGatewayBackend, "get_resource", backend.get_resource),
        (APIGatewayBackend, "get_integration", backend.get_integration),
        (APIGatewayBackend, "delete_integration", backend.delete_integration),
        (
            APIGatewayBackend,
            "put_method",
            backend.validating_put_method(APIGatewayBackend.put_method),
        ),
        (
            APIGatewayBackend,
            "put_integration",
            backend.aws_shaped_put_integration(APIGatewayBackend.put_integration),
        ),
        (
            APIGatewayBackend,
            "put_rest_api",
            import_fixes.keeping_put_rest_api(APIGatewayBackend.put_rest_api),
        ),
        (
            APIGatewayBackend,
            "import_rest_api",
            import_fixes.keeping_import_rest_api(APIGatewayBackend.import_rest_api),
        ),
        (APIGatewayBackend, "create_request_validator", backend.create_request_validator),
        (APIGatewayBackend, "get_request_validators", backend.get_request_validators),
        (APIGatewayBackend, "get_request_validator", backend.get_request_validator),
        (APIGatewayBackend, "delete_request_validator", backend.delete_request_validator),
        (APIGatewayBackend, "update_request_validator", backend.update_request_validator),
        (APIGatewayBackend, "test_invoke_method", invoke_method.test_invoke_method),
        (APIGatewayBackend, "get_export", backend.get_export),
        (
            RestAPI,
            "create_deployment",
            snapshotting_create_deployment(
                models.stage_keeping_deployment(RestAPI.create_deployment)
            ),
        ),
        (APIGatewayBackend, "update_stage", canary.canary_update_stage(
            APIGatewayBackend.update_stage)),
        (Stage, "__init__", models.dated_stage_init(Stage.__init__)),
        (Stage, "to_json", canary.stage_json(models.stage_json(Stage.to_json))),
        (RestAPI, "get_deployment", models.get_deployment),
        (RestAPI, "delete_deployment", models.delete_deployment),
        (Method, "to_json", models.method_json(Method.to_json)),
        (Integration, "to_json", models.integration_json(Integration.to_json)),
        (Deployment, "to_json", models.deployment_json(Deployment.to_json)),
        (APIGatewayResponse, "update_method", handlers.update_method),
        (APIGatewayResponse, "update_integration", handlers.update_integration),
        (
            APIGatewayResponse,
            "update_integration_response",
            handlers.update_integration_response,
        ),
        (APIGatewayResponse, "update_method_response", handlers.update_method_response),
        (APIGatewayResponse, "get_resources", handlers.get_resources),
        (APIGatewayResponse, "get_export", handlers.get_export),
        (APIGatewayResponse, "test_invoke_method", handlers.test_invoke_method),
        (
            APIGatewayResponse,
            "create_rest_api",
            handlers.version_keeping_create_rest_api(APIGatewayResponse.create_rest_api),
        ),
        (APIGatewayResponse, "get_stages", handlers.get_stages),
        (
            APIGatewayResponse,
            "create_deployment",
            canary.canary_create_deployment(APIGatewayResponse.create_deployment),
        ),
        (
            APIGatewayResponse,
            "create_stage",
            canary.canary_create_stage(APIGatewayResponse.create_stage),
        ),
        (
            APIGatewayResponse,
            "put_method",
            handlers.verb_checking_put_method(APIGatewayResponse.put_method),
        ),
        (
            APIGatewayResponse,
            "put_integration",
            handlers.connection_keeping_put_integration(APIGatewayResponse.put_integration),
        ),
    ]


def _http_attachments() -> list[tuple[object, str, Any]]:
    import moto.apigateway.urls as apigateway_urls
    import moto.apigatewayv2.urls as apigatewayv2_urls
    from moto.apigatewayv2.models import ApiGatewayV2Backend, Stage
    from moto.apigatewayv2.responses import ApiGatewayV2Response

    from asyncgw_sandbox import http_deployments as deployments
    from asyncgw_sandbox import http_responses as handlers

    # apigatewayv2 shares apigateway's host: moto finds its URLs in apigateway's table (which
    # copies apigatewayv2's at import), so both tables get the deployment paths.
    added_paths = {path: ApiGatewayV2Response.dispatch for path in handlers.DEPLOYMENT_URL_PATHS}
    return [
        *[(owner, name, getattr(module, name))
          for owner, module in ((ApiGatewayV2Backend, deployments),
                                (ApiGatewayV2Response, handlers))
          for name in ADDED_HTTP_OPERATIONS],
        (Stage, "__init__", deployments.deployment_keeping_stage_init(Stage.__init__)),
        (Stage, "to_json", deployments.stage_json(Stage.to_json)),
        *[(urls, "url_paths", {**urls.url_paths, **added_paths})
          for urls in (apigateway_urls, apigatewayv2_urls)],
    ]


def _lambda_attachments() -> list[tuple[object, str, Any]]:
    from moto.awslambda.models import LambdaBackend, LambdaFunction
    from moto.awslambda.responses import LambdaResponse

    from asyncgw_sandbox import lambda_function_fixes as functions
    from asyncgw_sandbox import lambda_invoke_config as configs
    from asyncgw_sandbox import lambda_responses as handlers

    # moto appends event invoke configs to a list and reads back the first one; the sandbox
    # replaces every operation on them, in the backend and in the request handler.
    operations = [
        (owner, name, getattr(module, name))
        for owner, module in ((LambdaBackend, configs), (LambdaResponse, handlers))
        for name in (
            "put_function_event_invoke_config",
            "update_function_event_invoke_config",
            "get_function_event_invoke_config",
            "delete_function_event_invoke_config",
            "list_function_event_invoke_configs",
        )
    ]
    return [
        *operations,
        (LambdaFunction, "__init__", functions.dead_letter_keeping_init(LambdaFunction.__init__)),
        (
            LambdaFunction,
            "update_configuration",
            functions.dead_letter_updating(LambdaFunction.update_configuration),
        ),
        (
            LambdaFunction,
            "get_configuration",
            functions.dead_letter_reporting(LambdaFunction.get_configuration),
        ),
        (LambdaFunction, "get_code", functions.zero_concurrency_reporting(LambdaFunction.get_code)),
    ]


def _cloudwatch_attachments() -> list[tuple[object, str, Any]]:
    from moto.cloudwatch.models import Statistics

    from asyncgw_sandbox.metric_percentiles import percentile_statistics

    return [(Statistics, "get_statistics_for_type",
             percentile_statistics(Statistics.get_statistics_for_type))]
