"""Plan, apply and read back HTTP API changes against the emulated account."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from asyncgw_sandbox.seed import ensure_function
from asyncgw_sandbox.seed_http import RouteSpec, SeededHttpApi, seed_http_api

from asyncgw.core.apply import Outcome
from asyncgw.core.errors import StaleSnapshot, UsageError
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import apply, created_forwarders, removed_forwarders
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.modes import assess
from asyncgw.http.plan import HttpPlan
from asyncgw.http.recipe import forwarder_name, role_name
from tests.support.clients import HttpClients
from tests.support.faults import HTTP_WRITES, call_log, error_response
from tests.support.state import account_state

LAMBDA_ROUTES = ("POST /jobs", "GET /jobs/{id}", "DELETE /jobs/{id}")


def change(gateway: HttpGateway, api: str, mode: Mode, routes: Sequence[str] = (),
           everything: bool = False, stage: str | None = None,
           no_deploy: bool = False) -> tuple[HttpPlan, Outcome]:
    wanted = intent.mode_change(api, mode, routes=routes, everything=everything, stage=stage,
                                no_deploy=no_deploy)
    snapshot = intent.read(gateway, api, for_change=True)
    plan = wanted.plan(snapshot)
    return plan, apply(plan, snapshot, gateway, wanted.plan, sleep=lambda _: None)


def modes(gateway: HttpGateway, api: str) -> dict[str, Mode]:
    snapshot = intent.read(gateway, api)
    return {r.route_key: assess(r, snapshot).mode for r in snapshot.routes}


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SWITCHABLE])
def test_enable_reaches_the_mode_and_a_second_run_changes_nothing(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi, mode: Mode
) -> None:
    before = modes(gateway, jobs.api_id)
    plan, outcome = change(gateway, jobs.api_id, mode, ["POST /jobs"])
    assert plan.changed_routes == ("POST /jobs",)
    assert created_forwarders(plan) == (forwarder_name(jobs.functions["jobs"], mode),)
    assert modes(gateway, jobs.api_id) == {**before, "POST /jobs": mode}

    calls = call_log(http)
    again, outcome = change(gateway, jobs.api_id, mode, ["POST /jobs"])
    assert again.is_empty and outcome.deployment_id is None
    assert not HTTP_WRITES.operations & set(calls)


@pytest.mark.parametrize(("mode", "timeout"), [(Mode.ASYNC, 10), (Mode.SWITCHABLE, 30)])
def test_the_forwarder_is_sized_tagged_and_allowed_as_planned(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi, mode: Mode, timeout: int
) -> None:
    change(gateway, jobs.api_id, mode, ["POST /jobs"])
    target = jobs.functions["jobs"]
    function = http.lambda_.get_function(FunctionName=forwarder_name(target, mode))
    config = function["Configuration"]
    assert (config["Timeout"], config["MemorySize"]) == (timeout, 128)
    assert config["Handler"] == "lambda_function.handler"
    assert config["Environment"]["Variables"] == {"TARGET_FUNCTION_ARN": target,
                                                  "MODE": str(mode)}
    assert config["Role"].endswith(f":role/{role_name('us-east-1')}")
    assert function["Tags"] == {"asyncgw:forwarder-target": target,
                                "asyncgw:forwarder-mode": str(mode)}
    policy = http.lambda_.get_policy(FunctionName=config["FunctionName"])["Policy"]
    assert f":{jobs.api_id}/*/*" in policy and "apigateway.amazonaws.com" in policy
    document = http.iam.get_role_policy(RoleName=role_name("us-east-1"),
                                        PolicyName="asyncgw-forwarder")["PolicyDocument"]
    invoke = next(s for s in document["Statement"] if s["Sid"] == "InvokeTargets")
    assert invoke["Resource"] == [target]


def test_the_forwarder_integration_keeps_payload_format_and_timeout(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    change(gateway, jobs.api_id, Mode.SWITCHABLE, ["GET /jobs/{id}"])
    route = http.apigatewayv2.get_route(ApiId=jobs.api_id, RouteId=jobs.routes["GET /jobs/{id}"])
    integration = http.apigatewayv2.get_integration(
        ApiId=jobs.api_id, IntegrationId=route["Target"].removeprefix("integrations/"))
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["PayloadFormatVersion"] == "1.0"
    assert integration["TimeoutInMillis"] == 5000
    assert integration["IntegrationUri"].endswith(
        forwarder_name(jobs.functions["reader"], Mode.SWITCHABLE))


@pytest.mark.parametrize("path", [
    [Mode.ASYNC], [Mode.SWITCHABLE], [Mode.ASYNC, Mode.SWITCHABLE],
    [Mode.SWITCHABLE, Mode.ASYNC],
], ids=lambda p: "-".join(map(str, p)))
def test_disable_returns_the_account_to_exactly_what_it_was(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi, path: list[Mode]
) -> None:
    original = account_state(http, jobs.api_id)
    for mode in path:
        change(gateway, jobs.api_id, mode, everything=True)
        assert set(modes(gateway, jobs.api_id).values()) >= {mode}
    plan, _ = change(gateway, jobs.api_id, Mode.SYNC, everything=True)
    assert set(plan.changed_routes) == set(LAMBDA_ROUTES)
    assert account_state(http, jobs.api_id) == original
    assert change(gateway, jobs.api_id, Mode.SYNC, everything=True)[0].is_empty


def test_routes_to_one_function_share_its_forwarder(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    plan, _ = change(gateway, jobs.api_id, Mode.ASYNC, ["* /jobs*"])
    assert set(plan.changed_routes) == set(LAMBDA_ROUTES)
    assert len(created_forwarders(plan)) == 2  # jobs and reader
    # One forwarder integration per integration replaced, so disable restores each route's own.
    assert [s.kind for s in plan.steps].count("create-integration") == 3

    # Disabling one of the two removes its forwarder integration, keeps the shared forwarder.
    plan, _ = change(gateway, jobs.api_id, Mode.SYNC, ["POST /jobs"])
    assert [s.kind for s in plan.cleanup] == ["delete-integration"]
    assert removed_forwarders(plan) == ()
    assert modes(gateway, jobs.api_id)["DELETE /jobs/{id}"] is Mode.ASYNC


def test_two_apis_share_a_forwarder_and_each_disable_removes_only_its_own_part(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    other = seed_http_api(http, "other", [RouteSpec("POST /work", function="jobs")])
    original = account_state(http, jobs.api_id)
    change(gateway, jobs.api_id, Mode.ASYNC, ["POST /jobs"])
    plan, _ = change(gateway, other.api_id, Mode.ASYNC, ["POST /work"])
    assert created_forwarders(plan) == ()  # reused
    assert [s.kind for s in plan.steps] == ["add-permission", "create-integration",
                                            "retarget-route"]
    name = forwarder_name(jobs.functions["jobs"], Mode.ASYNC)

    plan, _ = change(gateway, jobs.api_id, Mode.SYNC, ["POST /jobs"])
    assert [s.kind for s in plan.cleanup] == ["delete-integration", "remove-permission"]
    assert modes(gateway, other.api_id)["POST /work"] is Mode.ASYNC
    policy = http.lambda_.get_policy(FunctionName=name)["Policy"]
    assert other.api_id in policy and jobs.api_id not in policy

    plan, _ = change(gateway, other.api_id, Mode.SYNC, ["POST /work"])
    assert removed_forwarders(plan) == (name,)
    assert [s.kind for s in plan.cleanup][-2:] == ["delete-role-policy", "delete-role"]
    assert account_state(http, jobs.api_id) == original


def test_all_lists_the_ineligible_routes_as_skipped(
    gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    plan, _ = change(gateway, jobs.api_id, Mode.ASYNC, everything=True)
    assert {n.route for n in plan.skipped} == {"$default", "ANY /legacy/{proxy+}",
                                               "POST /queue", "GET /by-stage"}


def test_a_stage_deployed_by_hand_is_deployed_after_the_change(
    http: HttpClients, gateway: HttpGateway
) -> None:
    api = seed_http_api(http, "manual", [RouteSpec("POST /jobs")], stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    first = http.apigatewayv2.get_stage(ApiId=api.api_id, StageName="prod")["DeploymentId"]
    plan, outcome = change(gateway, api.api_id, Mode.ASYNC, ["POST /jobs"])
    assert plan.deployment is not None and plan.deployment.previous_deployment_id == first
    served = http.apigatewayv2.get_stage(ApiId=api.api_id, StageName="prod")["DeploymentId"]
    assert outcome.deployment_id == served != first

    again, outcome = change(gateway, api.api_id, Mode.ASYNC, ["POST /jobs"])
    assert again.is_empty and outcome.deployment_id is None


def test_no_deploy_keeps_the_forwarder_until_the_stage_no_longer_serves_it(
    http: HttpClients, gateway: HttpGateway
) -> None:
    api = seed_http_api(http, "manual", [RouteSpec("POST /jobs")], stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    change(gateway, api.api_id, Mode.ASYNC, ["POST /jobs"])
    plan, _ = change(gateway, api.api_id, Mode.SYNC, ["POST /jobs"], no_deploy=True)
    assert plan.cleanup == () and plan.deployment is None
    assert plan.undeployed_stages == ("prod",)
    assert any("prod" in note and "run this command again" in note for note in plan.notes)
    assert removed_forwarders(plan) == ()

    # Run again with the stage: it is deployed first, then the forwarder goes.
    plan, _ = change(gateway, api.api_id, Mode.SYNC, ["POST /jobs"], stage="prod")
    assert plan.changed_routes == () and plan.deployment is not None
    assert removed_forwarders(plan) == (forwarder_name(api.functions["jobs"], Mode.ASYNC),)


def test_a_role_of_that_name_not_made_by_asyncgw_is_refused(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    http.iam.create_role(RoleName=role_name("us-east-1"), AssumeRolePolicyDocument="{}")
    with pytest.raises(UsageError, match="asyncgw did not create it"):
        change(gateway, jobs.api_id, Mode.ASYNC, ["POST /jobs"])


def test_a_function_taking_the_forwarders_name_is_refused(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    ensure_function(http.base, forwarder_name(jobs.functions["jobs"], Mode.ASYNC))
    with pytest.raises(UsageError, match="not an asyncgw forwarder"):
        change(gateway, jobs.api_id, Mode.ASYNC, ["POST /jobs"])


def test_a_change_by_another_writer_stops_before_the_first_write(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    wanted = intent.mode_change(jobs.api_id, Mode.ASYNC, routes=["POST /jobs"])
    snapshot = intent.read(gateway, jobs.api_id, for_change=True)
    plan = wanted.plan(snapshot)
    http.apigatewayv2.update_route(ApiId=jobs.api_id, RouteId=jobs.routes["POST /jobs"],
                                   Target=f"integrations/{jobs.integrations['DELETE /jobs/{id}']}")
    before = account_state(http, jobs.api_id)
    calls = call_log(http)
    with pytest.raises(StaleSnapshot, match="changed since"):
        apply(plan, snapshot, gateway, wanted.plan)
    assert not HTTP_WRITES.operations & set(calls)
    assert account_state(http, jobs.api_id) == before


def test_a_role_iam_has_not_propagated_yet_is_waited_for(
    http: HttpClients, gateway: HttpGateway, jobs: SeededHttpApi
) -> None:
    refusals = iter(range(2))

    def not_yet(**_: object) -> object:
        if next(refusals, None) is None:
            return None
        return error_response(400, "InvalidParameterValueException",
                              "The role defined for the function cannot be assumed by Lambda.")

    polls: list[str] = []

    def pending_once(parsed: dict[str, object], **_: object) -> None:
        polls.append(str(parsed.get("State")))
        if len(polls) == 1:
            parsed["State"] = "Pending"

    http.listen(http.lambda_, "before-call.lambda.CreateFunction", not_yet)
    http.listen(http.lambda_, "after-call.lambda.GetFunctionConfiguration", pending_once)
    waited: list[float] = []
    wanted = intent.mode_change(jobs.api_id, Mode.ASYNC, routes=["POST /jobs"])
    snapshot = intent.read(gateway, jobs.api_id, for_change=True)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, sleep=waited.append)
    assert waited == [1.0, 2.0, 1.0]  # two role retries, then one poll while Pending
    assert len(polls) == 2
    assert modes(gateway, jobs.api_id)["POST /jobs"] is Mode.ASYNC


def test_redeploy_deploys_a_stage_deployed_by_hand(
    http: HttpClients, gateway: HttpGateway
) -> None:
    api = seed_http_api(http, "manual", [RouteSpec("POST /jobs")], stages=(("prod", False),))
    snapshot = intent.read(gateway, api.api_id)
    plan = intent.redeploy(snapshot, description="by hand")
    outcome = apply(plan, snapshot, gateway, lambda _: plan)
    served = http.apigatewayv2.get_stage(ApiId=api.api_id, StageName="prod")["DeploymentId"]
    assert outcome.deployment_id == served


def test_a_deployment_by_another_writer_stops_before_the_first_write(
    http: HttpClients, gateway: HttpGateway
) -> None:
    # On undo the stage is pointed back at the deployment the plan read: one made since by
    # someone else must stop the run, or the undo would roll it back.
    api = seed_http_api(http, "deployed", (RouteSpec("POST /jobs", function="jobs"),),
                        stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    wanted = intent.mode_change(api.api_id, Mode.ASYNC, routes=["POST /jobs"], stage="prod")
    snapshot = intent.read(gateway, api.api_id, for_change=True)
    plan = wanted.plan(snapshot)
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    before = account_state(http, api.api_id)
    calls = call_log(http)
    with pytest.raises(StaleSnapshot, match="changed since"):
        apply(plan, snapshot, gateway, wanted.plan)
    assert not HTTP_WRITES.operations & set(calls)
    assert account_state(http, api.api_id) == before
