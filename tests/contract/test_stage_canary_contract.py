"""Contract tests for canary releases on a stage: CreateDeployment, CreateStage, UpdateStage."""

# [REC] cases come from LocalStack's AWS snapshots: test_apigateway_canary.snapshot.json,
# TestStageCrudCanary (30-05-2025). The refusal of a full deployment is [DOC] canary-release,
# with the text of a real AWS error quoted in serverless/serverless#11518 [COMM].

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import MethodSpec, seed_rest_api

REFUSED = (
    "Invalid deployment content specified.Non canary deployment not supported on stage dev "
    "because Canary is enabled. Provide CanarySettings in deploymentInput."
)


@pytest.fixture
def api_id(c):
    return seed_rest_api(c, "canary", [MethodSpec("/pets", "GET", "mock")], stages=()).api_id


@pytest.fixture
def canary_stage(c, api_id):
    """Stage dev serving d1, with a canary deployment d2 at 10 %; returns (d1, d2)."""
    first = c.apigateway.create_deployment(restApiId=api_id, stageName="dev")["id"]
    second = c.apigateway.create_deployment(
        restApiId=api_id, stageName="dev", canarySettings={"percentTraffic": 10})["id"]
    return first, second


def stage(c, api_id, name="dev"):
    found = dict(c.apigateway.get_stage(restApiId=api_id, stageName=name))
    found.pop("ResponseMetadata")
    return found


def update(c, api_id, *operations):
    return c.apigateway.update_stage(restApiId=api_id, stageName="dev",
                                     patchOperations=list(operations))


def test_a_full_deployment_onto_a_stage_with_a_canary_is_refused(c, api_id, canary_stage,
                                                                 aws_error):
    before = stage(c, api_id)
    deployments = c.apigateway.get_deployments(restApiId=api_id)["items"]
    assert len(deployments) == 2
    aws_error(lambda: c.apigateway.create_deployment(restApiId=api_id, stageName="dev"),
              400, "BadRequestException", REFUSED)
    assert stage(c, api_id) == before
    assert c.apigateway.get_deployments(restApiId=api_id)["items"] == deployments


def test_a_canary_deployment_onto_a_canary_stage_replaces_the_canary(c, api_id, canary_stage):
    first, _ = canary_stage
    third = c.apigateway.create_deployment(  # [REC test_create_canary_deployment get-stage-1]
        restApiId=api_id, stageName="dev",
        canarySettings={"percentTraffic": 50, "stageVariableOverrides": {"testVar": "canary2"}},
    )["id"]
    found = stage(c, api_id)
    assert found["deploymentId"] == first
    assert found["canarySettings"] == {"deploymentId": third, "percentTraffic": 50.0,
                                       "stageVariableOverrides": {"testVar": "canary2"},
                                       "useStageCache": False}


def test_other_stages_still_take_full_deployments(c, api_id, canary_stage):
    c.apigateway.create_deployment(restApiId=api_id, stageName="prod")
    again = c.apigateway.create_deployment(restApiId=api_id, stageName="prod")["id"]
    assert stage(c, api_id, "prod")["deploymentId"] == again
    assert "canarySettings" not in stage(c, api_id, "prod")


def test_removing_the_canary_lets_a_full_deployment_through(c, api_id, canary_stage):
    removed = update(c, api_id, {"op": "remove", "path": "/canarySettings"})
    assert "canarySettings" not in removed  # [REC update-stage-remove-canary-settings]
    new = c.apigateway.create_deployment(restApiId=api_id, stageName="dev")["id"]
    assert stage(c, api_id)["deploymentId"] == new


def test_promoting_moves_the_stage_and_keeps_the_canary_until_removed(c, api_id, canary_stage):
    _, second = canary_stage
    promoted = update(  # the AWS CLI example of promote-canary-deployment [DOC, REC copy ops]
        c, api_id,
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"},
        {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"},
        {"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"},
    )
    assert promoted["deploymentId"] == second
    assert promoted["canarySettings"]["percentTraffic"] == 0.0
    with pytest.raises(c.apigateway.exceptions.BadRequestException):
        c.apigateway.create_deployment(restApiId=api_id, stageName="dev")


def test_create_stage_with_canary_settings(c, api_id):
    # [REC test_create_update_stages create-stage, test_create_canary_deployment create-stage]
    first = c.apigateway.create_deployment(restApiId=api_id)["id"]
    second = c.apigateway.create_deployment(restApiId=api_id)["id"]
    created = c.apigateway.create_stage(
        restApiId=api_id, stageName="dev", deploymentId=first, variables={"testVar": "default"},
        canarySettings={"deploymentId": second, "percentTraffic": 50,
                        "stageVariableOverrides": {"testVar": "canary"}})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    expected = {"deploymentId": second, "percentTraffic": 50.0,
                "stageVariableOverrides": {"testVar": "canary"}, "useStageCache": False}
    assert created["canarySettings"] == expected
    assert stage(c, api_id)["canarySettings"] == expected


def test_create_stage_with_an_unknown_canary_deployment(c, api_id, aws_error):
    first = c.apigateway.create_deployment(restApiId=api_id)["id"]
    aws_error(lambda: c.apigateway.create_stage(  # [REC bad-canary-deployment-id]
        restApiId=api_id, stageName="dev3", deploymentId=first,
        canarySettings={"deploymentId": "deploy"}),
        400, "BadRequestException", "Deployment id does not exist")


def test_replacing_canary_fields_creates_and_changes_the_canary(c, api_id):
    # [REC test_create_canary_deployment_by_stage_update, test_create_update_stages]
    first = c.apigateway.create_deployment(restApiId=api_id, stageName="dev")["id"]
    second = c.apigateway.create_deployment(restApiId=api_id)["id"]
    created = update(c, api_id, {"op": "replace", "path": "/canarySettings/deploymentId",
                                 "value": second})
    assert created["canarySettings"] == {"deploymentId": second, "percentTraffic": 0.0,
                                         "useStageCache": False}
    update(c, api_id, {"op": "remove", "path": "/canarySettings"})
    by_percent = update(c, api_id, {"op": "replace", "path": "/canarySettings/percentTraffic",
                                    "value": "50"})
    assert by_percent["canarySettings"] == {"deploymentId": first, "percentTraffic": 50.0,
                                            "useStageCache": False}
    overridden = update(c, api_id, {"op": "replace",
                                    "path": "/canarySettings/stageVariableOverrides/testVar",
                                    "value": "updated"})
    assert overridden["canarySettings"]["stageVariableOverrides"] == {"testVar": "updated"}


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ({"op": "remove", "path": "/canarySettings/stageVariableOverrides"},
         "Cannot remove method setting canarySettings/stageVariableOverrides because there is "
         "no method setting for this method "),
        ({"op": "add", "path": "/canarySettings/deploymentId", "value": "x"},
         "Invalid add operation with path: /canarySettings/deploymentId"),
        ({"op": "replace", "path": "/canarySettings/deploymentId", "value": "deploy"},
         "Deployment id does not exist"),
        ({"op": "copy", "path": "/canarySettings/stageVariableOverrides", "from": "/variables"},
         "Invalid copy operation with path: /canarySettings/stageVariableOverrides and from "
         "/variables. Valid copy:path are [/deploymentId, /variables] and valid copy:from are "
         "[/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]"),
    ],
)
def test_update_stage_canary_errors(c, api_id, canary_stage, aws_error, operation, message):
    # [REC test_update_stage_canary_deployment_validation, test_update_stage_with_copy_ops]
    aws_error(lambda: update(c, api_id, operation), 400, "BadRequestException", message)


def test_a_bad_canary_path_lists_the_stage_paths(c, api_id, canary_stage, aws_error):
    with pytest.raises(c.apigateway.exceptions.BadRequestException) as caught:
        update(c, api_id, {"op": "replace", "path": "/canarySettings/badPath", "value": "x"})
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("Invalid method setting path: /canarySettings/badPath. Must be "
                              "one of: [/deploymentId, /description, ")
    assert message.endswith("/variables/{variable_name}, /tracingEnabled]")


def test_promoting_without_a_canary_is_refused(c, api_id, aws_error):
    c.apigateway.create_deployment(restApiId=api_id, stageName="dev")
    aws_error(lambda: update(  # [REC copy-with-no-replace]
        c, api_id, {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}),
        400, "BadRequestException", "Promotion not available. Canary does not exist.")


def test_promoting_merges_the_overrides_into_the_variables(c, api_id):
    # [REC test_update_stage_with_copy_ops update-stage-with-copy-2]
    c.apigateway.create_deployment(restApiId=api_id, stageName="dev",
                                   variables={"testVar": "test", "testVar2": "test2"})
    canary = c.apigateway.create_deployment(
        restApiId=api_id, stageName="dev",
        canarySettings={"percentTraffic": 50, "stageVariableOverrides": {"testVar": "override"}},
    )["id"]
    promoted = update(
        c, api_id,
        {"op": "replace", "value": "0.0", "path": "/canarySettings/percentTraffic"},
        {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"},
        {"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"},
    )
    assert promoted["deploymentId"] == canary
    assert promoted["variables"] == {"testVar": "override", "testVar2": "test2"}
    assert promoted["canarySettings"] == {"deploymentId": canary, "percentTraffic": 0.0,
                                          "stageVariableOverrides": {"testVar": "override"},
                                          "useStageCache": False}


def test_other_stage_settings_patch_alongside_a_canary_path(c, api_id, canary_stage):
    updated = update(c, api_id,
                     {"op": "replace", "path": "/description", "value": "with canary"},
                     {"op": "replace", "path": "/canarySettings/useStageCache", "value": "true"})
    assert updated["description"] == "with canary"
    assert updated["canarySettings"]["useStageCache"] is True
    items = c.apigateway.get_stages(restApiId=api_id)["item"]
    assert [s["canarySettings"]["deploymentId"] for s in items] == [canary_stage[1]]


def test_a_percentage_that_is_no_number_is_a_400(c, api_id, canary_stage, aws_error):
    # A 400 rather than a server error; AWS's wording for it is [UNVERIFIED].
    aws_error(lambda: update(c, api_id, {"op": "replace", "path": "/canarySettings/percentTraffic",
                                         "value": "abc"}),
              400, "BadRequestException", "Invalid percentTraffic value: abc")
