"""Reading an HTTP API into a snapshot and classifying its routes, against the emulated account."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed_http import RouteSpec, SeededHttpApi, seed_http_api

from asyncgw.core.errors import AccessDenied, ExitCode, UsageError
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.modes import assess
from asyncgw.http.recipe import role_name
from tests.support.clients import HttpClients
from tests.support.faults import call_log, error_response

EXPECTED = {
    "$default": (Mode.NOT_ELIGIBLE, "no integration"),
    "ANY /legacy/{proxy+}": (Mode.NOT_ELIGIBLE, "HTTP_PROXY integration, not a Lambda function"),
    "DELETE /jobs/{id}": (Mode.SYNC, None),
    "GET /by-stage": (Mode.NOT_ELIGIBLE, "stage variable"),
    "GET /jobs/{id}": (Mode.SYNC, None),
    "POST /jobs": (Mode.SYNC, None),
    "POST /queue": (Mode.NOT_ELIGIBLE, "SQS-SendMessage"),
}


def test_snapshot_holds_api_routes_integrations_and_stages(
    gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    snapshot = intent.read(gateway, jobs.api_id)
    assert snapshot.api.api_id == jobs.api_id
    assert snapshot.api.name == "jobs" and snapshot.api.protocol_type == "HTTP"
    assert snapshot.api.tags == {"team": "jobs"}
    assert [r.route_key for r in snapshot.routes] == sorted(EXPECTED)
    post = next(r for r in snapshot.routes if r.route_key == "POST /jobs")
    assert post.integration_id == jobs.integrations["POST /jobs"]
    reader = snapshot.integration(jobs.integrations["GET /jobs/{id}"])
    assert reader is not None
    assert (reader.integration_type, reader.payload_format_version, reader.timeout_in_millis) == (
        "AWS_PROXY", "1.0", 5000)
    assert reader.integration_uri == jobs.functions["reader"]
    assert [(s.stage_name, s.auto_deploy) for s in snapshot.stages] == [("$default", True)]
    assert snapshot.forwarders == () and snapshot.role is None and not snapshot.complete


def test_routes_are_classified_with_the_reason_when_not_eligible(
    gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    snapshot = intent.read(gateway, jobs.api_id)
    for route in snapshot.routes:
        found = assess(route, snapshot)
        mode, reason = EXPECTED[route.route_key]
        assert found.mode is mode, route.route_key
        if reason is None:
            assert found.reason is None
            assert found.target == jobs.functions["reader" if "{id}" in route.route_key and
                                                  route.route_key.startswith("GET") else "jobs"]
        else:
            assert found.reason is not None and reason in found.reason, found.reason


def test_status_reads_cheaply_and_a_change_reads_candidates_role_and_account(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    calls = call_log(http)
    intent.read(gateway, jobs.api_id)
    assert sorted(calls) == ["GetApi", "GetIntegrations", "GetRoutes", "GetStages"]
    calls.clear()
    snapshot = intent.read(gateway, jobs.api_id, for_change=True)
    # Two candidate names (async, switchable) for each of the two Lambda targets, then the role.
    assert calls.count("GetFunction") == 4
    assert calls.count("GetRole") == 1
    assert snapshot.complete and snapshot.account is not None
    assert snapshot.account.account_id == "123456789012"
    assert snapshot.role is None and snapshot.forwarders == ()


def test_forwarders_are_recognised_by_their_tags_and_name_the_real_target(
    gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    change = intent.mode_change(jobs.api_id, Mode.ASYNC, routes=["POST /jobs"])
    from asyncgw.http.executor import apply

    snapshot = intent.read(gateway, jobs.api_id, for_change=True)
    apply(change.plan(snapshot), snapshot, gateway, change.plan)
    after = intent.read(gateway, jobs.api_id)
    route = next(r for r in after.routes if r.route_key == "POST /jobs")
    found = assess(route, after)
    assert found.mode is Mode.ASYNC
    assert found.target == jobs.functions["jobs"]
    assert found.forwarder is not None
    assert found.forwarder.function_name.startswith("asyncgw-async-jobs-")
    assert found.forwarder.allows(jobs.api_id)
    assert found.warnings == ()
    assert after.role is not None and after.role.role_name == role_name("us-east-1")
    assert after.role.targets == (jobs.functions["jobs"],)


def test_a_function_named_like_a_forwarder_but_untagged_is_a_plain_target(
    http: HttpClients, gateway: HttpGateway
) -> None:
    api = seed_http_api(http, "odd", [RouteSpec("POST /x", function="asyncgw-mine")])
    snapshot = intent.read(gateway, api.api_id, for_change=True)
    found = assess(snapshot.routes[0], snapshot)
    assert found.mode is Mode.SYNC and found.forwarder is None


def test_a_deleted_function_makes_its_route_not_eligible(
    http: HttpClients, gateway: HttpGateway
) -> None:
    api = seed_http_api(http, "gone", [RouteSpec("POST /x", function="asyncgw-async-gone")])
    http.lambda_.delete_function(FunctionName="asyncgw-async-gone")
    snapshot = intent.read(gateway, api.api_id)
    found = assess(snapshot.routes[0], snapshot)
    assert found.mode is Mode.NOT_ELIGIBLE and found.reason and "does not exist" in found.reason


def test_an_api_is_found_by_name(gateway: HttpGateway, jobs: SeededHttpApi) -> None:
    assert intent.read(gateway, "jobs").api.api_id == jobs.api_id


def test_an_ambiguous_or_unknown_name_is_a_usage_error(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    with pytest.raises(UsageError, match="no HTTP API with id or name 'nope'"):
        intent.read(gateway, "nope")
    seed_http_api(http, "jobs", [RouteSpec("POST /other")])
    with pytest.raises(UsageError, match="2 HTTP or WebSocket APIs are named 'jobs'"):
        intent.read(gateway, "jobs")


@pytest.mark.parametrize("by", ["id", "name"])
def test_a_websocket_api_is_refused_with_exit_code_2(
    http: HttpClients, gateway: HttpGateway, by: str
) -> None:
    api = seed_http_api(http, "chat", [], stages=(), protocol="WEBSOCKET")
    with pytest.raises(UsageError, match="is a WEBSOCKET API") as caught:
        intent.read(gateway, api.api_id if by == "id" else "chat")
    assert caught.value.exit_code == ExitCode.USAGE == 2
    assert "HTTP APIs only" in caught.value.message


def test_a_refused_read_names_the_iam_action(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    http.listen(http.lambda_, "before-call.lambda.GetFunction",
                lambda **_: error_response(403, "AccessDeniedException", "no"))
    with pytest.raises(AccessDenied, match="IAM refused lambda:GetFunction") as caught:
        intent.read(gateway, jobs.api_id, for_change=True)
    assert caught.value.exit_code == ExitCode.APPLY_FAILED
    http.listen(http.apigatewayv2, "before-call.apigatewayv2.GetRoutes",
                lambda **_: error_response(403, "AccessDeniedException", "no"))
    with pytest.raises(AccessDenied, match=f"apigateway:GET on .*/apis/{jobs.api_id}/routes"):
        intent.read(gateway, jobs.api_id)
