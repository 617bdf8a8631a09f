"""Pure planning: which writes, in which order, with which undo, and what is reused."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from asyncgw.core.errors import UsageError
from asyncgw.core.model import STACK_TAG
from asyncgw.core.modes import Mode
from asyncgw.http.plan import HttpPlan, Step
from asyncgw.http.planner import choose_stage, plan, plan_redeploy, refuse_managed
from asyncgw.http.recipe import forwarder_name, role_name
from asyncgw.http.selection import RoutePattern, select
from asyncgw.http.snapshot import HttpApiSnapshot
from asyncgw.http.steps import ZIP_PLACEHOLDER, integration_placeholder
from tests.support.account import arn
from tests.support.http_builders import (
    API_ID,
    forwarder,
    integration,
    role,
    route,
    snapshot,
    stage,
    via_forwarder,
)

SYNC = snapshot([route("POST /jobs", "i1", "r1")], [integration("i1")])
SOURCE_ARN = f"arn:aws:execute-api:us-east-1:123456789012:{API_ID}/*/*"


def planned(snap: HttpApiSnapshot, mode: Mode, patterns: Sequence[str] = ("POST /jobs",),
            stage_name: str | None = None) -> HttpPlan:
    selection = select(snap, [RoutePattern.parse(p) for p in patterns], everything=False)
    return plan(snap, selection, mode, stage_name)


def kinds(steps: Sequence[Step]) -> list[str]:
    return [s.kind for s in steps]


def test_enable_async_from_nothing_creates_role_policy_forwarder_permission_integration() -> None:
    result = planned(SYNC, Mode.ASYNC)
    assert kinds(result.steps) == ["create-role", "put-role-policy", "create-forwarder",
                                   "add-permission", "create-integration", "retarget-route"]
    assert result.cleanup == () and result.deployment is None
    assert result.changed_routes == ("POST /jobs",)


def test_the_calls_are_exact() -> None:
    steps = {s.kind: s for s in planned(SYNC, Mode.ASYNC).steps}
    name = forwarder_name(arn("jobs"), Mode.ASYNC)
    assert steps["create-role"].call.params["RoleName"] == role_name("us-east-1")
    assert json.loads(steps["create-role"].call.params["AssumeRolePolicyDocument"]) == {
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}
    document = json.loads(steps["put-role-policy"].call.params["PolicyDocument"])
    invoke, logs = document["Statement"]
    assert invoke == {"Sid": "InvokeTargets", "Effect": "Allow",
                      "Action": "lambda:InvokeFunction", "Resource": [arn("jobs")]}
    assert logs["Action"] == ["logs:CreateLogGroup", "logs:CreateLogStream",
                              "logs:PutLogEvents"]
    assert steps["create-forwarder"].call.params == {
        "FunctionName": name, "Runtime": "python3.13",
        "Role": f"arn:aws:iam::123456789012:role/{role_name('us-east-1')}",
        "Handler": "lambda_function.handler", "Code": {"ZipFile": ZIP_PLACEHOLDER},
        "Description": "asyncgw forwarder: invokes jobs (async)", "Timeout": 10,
        "MemorySize": 128,
        "Environment": {"Variables": {"TARGET_FUNCTION_ARN": arn("jobs"), "MODE": "async"}},
        "Tags": {"asyncgw:forwarder-target": arn("jobs"), "asyncgw:forwarder-mode": "async"},
    }
    assert steps["add-permission"].call.params == {
        "FunctionName": name, "StatementId": f"asyncgw-{API_ID}",
        "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
        "SourceArn": SOURCE_ARN}
    assert steps["create-integration"].call.params == {
        "ApiId": API_ID, "IntegrationType": "AWS_PROXY", "IntegrationUri": arn(name),
        "PayloadFormatVersion": "2.0", "TimeoutInMillis": 30000,
        "Description": f"asyncgw forwarder (async) for {arn('jobs')}; replaces integration i1"}
    assert steps["retarget-route"].call.params == {
        "ApiId": API_ID, "RouteId": "r1",
        "Target": f"integrations/{integration_placeholder('new-1')}"}


def test_every_step_carries_its_inverse() -> None:
    inverse = {"CreateRole": "DeleteRole", "PutRolePolicy": "DeleteRolePolicy",
               "CreateFunction": "DeleteFunction", "AddPermission": "RemovePermission",
               "CreateIntegration": "DeleteIntegration", "UpdateRoute": "UpdateRoute"}
    for step in planned(SYNC, Mode.ASYNC).steps:
        assert step.undo.operation == inverse[step.call.operation]
    retarget = planned(SYNC, Mode.ASYNC).steps[-1]
    assert retarget.undo.params["Target"] == "integrations/i1"
    create = planned(SYNC, Mode.ASYNC).steps[-2]
    assert create.binds == "new-1"
    assert create.undo.params["IntegrationId"] == integration_placeholder("new-1")


@pytest.mark.parametrize(("mode", "timeout"), [(Mode.ASYNC, 10), (Mode.SWITCHABLE, 30)])
def test_forwarder_size_depends_on_the_mode_and_is_shown(mode: Mode, timeout: int) -> None:
    create = next(s for s in planned(SYNC, mode).steps if s.kind == "create-forwarder")
    assert (create.call.params["Timeout"], create.call.params["MemorySize"]) == (timeout, 128)
    shown = {c.field: c.after for c in create.changes}
    assert shown["timeout"] == f"{timeout} s" and shown["memory"] == "128 MB"


def test_an_existing_forwarder_role_and_permission_are_reused() -> None:
    snap = snapshot([route("POST /jobs", "i1", "r1")], [integration("i1")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    assert kinds(planned(snap, Mode.ASYNC).steps) == ["create-integration", "retarget-route"]


def test_a_forwarder_another_api_uses_gets_this_apis_permission() -> None:
    snap = snapshot([route("POST /jobs", "i1", "r1")], [integration("i1")],
                    forwarders=[forwarder("jobs", Mode.ASYNC, api_ids=["other0000"])],
                    role=role(["jobs"]))
    assert kinds(planned(snap, Mode.ASYNC).steps) == [
        "add-permission", "create-integration", "retarget-route"]


def test_a_route_already_in_the_mode_gets_nothing_but_a_missing_permission() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1")],
                    forwarders=[forwarder("jobs", Mode.ASYNC, api_ids=[])], role=role(["jobs"]))
    result = planned(snap, Mode.ASYNC)
    assert kinds(result.steps) == ["add-permission"]
    assert result.changed_routes == () and result.deployment is None
    assert [n.reason for n in result.unchanged] == ["already async"]


def test_switching_modes_moves_the_route_then_removes_the_unused_forwarder() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    result = planned(snap, Mode.SWITCHABLE)
    assert kinds(result.steps) == ["create-forwarder", "add-permission", "create-integration",
                                   "retarget-route"]
    assert kinds(result.cleanup) == ["delete-integration", "remove-permission",
                                     "delete-forwarder"]
    new = next(s for s in result.steps if s.kind == "create-integration")
    assert new.call.params["Description"].endswith("replaces integration i1")
    # The route's undo names the integration by placeholder: undoing its deletion re-creates it.
    assert result.steps[-1].undo.params["Target"] == f"integrations/{integration_placeholder('f1')}"
    assert result.cleanup[0].undo_binds == "f1"


def test_disable_goes_back_to_the_replaced_integration_and_cleans_everything() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), integration("i9"),
                     via_forwarder("f1", "jobs", Mode.ASYNC, "i9")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    result = planned(snap, Mode.SYNC)
    assert kinds(result.steps) == ["retarget-route"]
    assert result.steps[0].call.params["Target"] == "integrations/i9"
    assert kinds(result.cleanup) == ["delete-integration", "remove-permission",
                                     "delete-forwarder", "delete-role-policy", "delete-role"]
    recreate = result.cleanup[2].undo
    assert recreate.operation == "CreateFunction"
    assert recreate.params["Code"] == {"ZipFile": ZIP_PLACEHOLDER}
    assert recreate.params["Tags"]["asyncgw:forwarder-mode"] == "async"


def test_disable_without_the_replaced_integration_creates_a_direct_one() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [via_forwarder("f1", "jobs", Mode.ASYNC, "gone", payload="1.0")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    result = planned(snap, Mode.SYNC)
    create = result.steps[0]
    assert create.kind == "create-integration"
    assert create.call.params["IntegrationUri"] == arn("jobs")
    assert create.call.params["PayloadFormatVersion"] == "1.0"
    assert "Description" not in create.call.params


def test_the_role_stays_while_other_targets_or_policies_need_it() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs", "other"]))
    result = planned(snap, Mode.SYNC)
    assert kinds(result.cleanup)[-1] == "put-role-policy"
    shrunk = json.loads(result.cleanup[-1].call.params["PolicyDocument"])
    assert shrunk["Statement"][0]["Resource"] == [arn("other")]

    kept = snap.model_copy(update={"role": role(["jobs"], other_policies=["extra"])})
    result = planned(kept, Mode.SYNC)
    assert kinds(result.cleanup)[-1] == "delete-role-policy"
    assert any("kept" in note and "extra" in note for note in result.notes)


def test_a_stage_deployed_by_hand_is_deployed_between_changes_and_cleanup() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1")],
                    stages=[stage("prod", auto=False, deployment="d7")],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    result = planned(snap, Mode.SYNC, stage_name=choose_stage(snap, None, False))
    assert result.deployment is not None
    assert (result.deployment.stage, result.deployment.previous_deployment_id) == ("prod", "d7")
    assert result.deployment.description == "asyncgw: POST /jobs -> sync"
    assert result.cleanup


def test_cleanup_waits_while_another_stage_may_still_call_the_forwarder() -> None:
    snap = snapshot([route("POST /jobs", "f1", "r1")],
                    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1")],
                    stages=[stage("prod", auto=False), stage("test", auto=False)],
                    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]))
    result = planned(snap, Mode.SYNC, stage_name="prod")
    assert result.cleanup == ()
    assert result.undeployed_stages == ("test",)
    assert any("test" in note and "kept" in note for note in result.notes)


@pytest.mark.parametrize(("stages", "requested", "no_deploy", "expected"), [
    ([stage()], None, False, None),
    ([stage("prod", auto=False)], None, False, "prod"),
    ([stage(), stage("prod", auto=False)], None, False, "prod"),
    ([stage("a", auto=False), stage("b", auto=False)], "b", False, "b"),
    ([stage("a", auto=False), stage("b", auto=False)], None, True, None),
    ([], None, False, None),
])
def test_choose_stage(stages: list[object], requested: str | None, no_deploy: bool,
                      expected: str | None) -> None:
    snap = snapshot([], [], stages=stages)  # type: ignore[arg-type]
    assert choose_stage(snap, requested, no_deploy) == expected


@pytest.mark.parametrize(("stages", "requested", "no_deploy", "message"), [
    ([stage("a", auto=False), stage("b", auto=False)], None, False, "choose one with --stage"),
    ([stage()], "prod", False, r"no stage 'prod' .* \(stages: \$default\)"),
    ([stage()], "$default", True, "contradict"),
])
def test_choose_stage_errors(stages: list[object], requested: str | None, no_deploy: bool,
                             message: str) -> None:
    snap = snapshot([], [], stages=stages)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=message):
        choose_stage(snap, requested, no_deploy)


def test_redeploy_deploys_only_a_stage_deployed_by_hand() -> None:
    manual = snapshot([], [], stages=[stage("prod", auto=False, deployment="d3")])
    result = plan_redeploy(manual, None, "after a fix")
    assert result.deployment is not None and result.deployment.description == "after a fix"
    automatic = plan_redeploy(snapshot([], []), "$default", None)
    assert automatic.is_empty and "deploys automatically" in automatic.notes[0]


def test_refusals() -> None:
    with pytest.raises(UsageError, match="asyncgw did not create it"):
        planned(SYNC.model_copy(update={"role": role(ours=False)}), Mode.ASYNC)
    name = forwarder_name(arn("jobs"), Mode.ASYNC)
    taken = SYNC.model_copy(update={"occupied": {name: "a function that is not an asyncgw "
                                                       "forwarder"}})
    with pytest.raises(UsageError, match=f"cannot create forwarder {name}"):
        planned(taken, Mode.ASYNC)
    with pytest.raises(UsageError, match="managed by CloudFormation stack 'st'"):
        refuse_managed(snapshot([], [], tags={STACK_TAG: "st"}))
    with pytest.raises(ValueError, match="for_change"):
        planned(snapshot([route("POST /jobs", "i1")], [integration("i1")], complete=False),
                Mode.ASYNC)


def test_costs_limits_and_warnings_are_stated() -> None:
    asynchronous = planned(SYNC, Mode.ASYNC)
    assert any("1 MB" in line for line in asynchronous.limits)
    assert any("extra Lambda invocation" in line for line in asynchronous.limits)
    switchable = planned(SYNC, Mode.SWITCHABLE)
    assert any("InvocationType" in line for line in switchable.limits)
    assert planned(SYNC, Mode.SYNC).limits == ()
    assert any("$default deploy automatically" in n for n in asynchronous.notes)
    with_role = snapshot([route("POST /jobs", "i1", "r1")],
                         [integration("i1", credentials="arn:aws:iam::1:role/apigw")],
                         tags={STACK_TAG: "stack"})
    warnings = planned(with_role, Mode.ASYNC).warnings
    assert any("CloudFormation stack 'stack'" in w for w in warnings)
    assert any("credentials role" in w for w in warnings)
