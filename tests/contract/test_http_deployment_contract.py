"""Contract tests for HTTP API deployments and UpdateStage: the botocore model and AWS's docs."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from asyncgw_sandbox.seed_http import HttpApiClients, RouteSpec, http_api_clients, seed_http_api

# CreateDeployment's answer in the AWS CLI reference's example: these keys and no other when no
# description is given [DOC aws apigatewayv2 create-deployment].
DEPLOYMENT_KEYS = {"AutoDeployed", "CreatedDate", "DeploymentId", "DeploymentStatus"}
AWS_ID = re.compile(r"^[a-z0-9]{6}$")  # [DOC "53lz9l", "dty748"]


@pytest.fixture
def v2(c) -> HttpApiClients:
    return http_api_clients(c)


@pytest.fixture
def api_id(v2: HttpApiClients) -> str:
    """An HTTP API with one Lambda route, a stage `prod` deployed by hand and `$default` auto."""
    return seed_http_api(v2, "contract", [RouteSpec("POST /jobs")],
                         stages=(("prod", False), ("$default", True))).api_id


def _answer(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def test_create_deployment_answers_as_documented_and_the_stage_serves_it(v2, api_id):
    created = v2.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201  # [MODEL]
    answer = _answer(created)
    assert set(answer) == DEPLOYMENT_KEYS
    assert answer["AutoDeployed"] is False and answer["DeploymentStatus"] == "DEPLOYED"
    assert AWS_ID.match(answer["DeploymentId"])
    assert isinstance(answer["CreatedDate"], datetime)
    stage = v2.apigatewayv2.get_stage(ApiId=api_id, StageName="prod")
    assert stage["DeploymentId"] == answer["DeploymentId"]
    # Only for stages with autoDeploy enabled [MODEL Stage.LastDeploymentStatusMessage].
    assert "LastDeploymentStatusMessage" not in stage


def test_a_deployment_keeps_its_description_and_get_deployment_reads_it_back(v2, api_id):
    made = v2.apigatewayv2.create_deployment(ApiId=api_id, Description="asyncgw: test")
    read = v2.apigatewayv2.get_deployment(ApiId=api_id, DeploymentId=made["DeploymentId"])
    assert _answer(read) == _answer(made)
    assert read["Description"] == "asyncgw: test"
    listed = v2.apigatewayv2.get_deployments(ApiId=api_id)["Items"]
    assert [d["DeploymentId"] for d in listed] == [made["DeploymentId"]]


def test_a_deployment_without_stage_changes_no_stage(v2, api_id):
    v2.apigatewayv2.create_deployment(ApiId=api_id)
    stages = v2.apigatewayv2.get_stages(ApiId=api_id)["Items"]
    assert all("DeploymentId" not in s for s in stages)


def test_update_stage_points_the_stage_back_and_answers_the_whole_stage(v2, api_id):
    first = v2.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    v2.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")
    updated = v2.apigatewayv2.update_stage(ApiId=api_id, StageName="prod", DeploymentId=first)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200  # [MODEL]
    assert updated["DeploymentId"] == first and updated["StageName"] == "prod"
    assert _answer(updated) == _answer(v2.apigatewayv2.get_stage(ApiId=api_id,
                                                                 StageName="prod"))


def test_update_stage_changes_the_settings_it_is_given(v2, api_id):
    updated = v2.apigatewayv2.update_stage(ApiId=api_id, StageName="prod",
                                           Description="live", StageVariables={"fn": "jobs"})
    assert updated["Description"] == "live" and updated["StageVariables"] == {"fn": "jobs"}
    assert updated["AutoDeploy"] is False


def test_a_stage_can_be_created_on_a_deployment(v2, api_id):
    made = v2.apigatewayv2.create_deployment(ApiId=api_id)["DeploymentId"]
    created = v2.apigatewayv2.create_stage(ApiId=api_id, StageName="beta", DeploymentId=made)
    assert created["DeploymentId"] == made


def test_unknown_ids_are_404s(v2, api_id, v2_error):
    client = v2.apigatewayv2
    v2_error(lambda: client.create_deployment(ApiId="nosuchapi"), 404, "NotFoundException",
              "Invalid API identifier specified nosuchapi")
    v2_error(lambda: client.create_deployment(ApiId=api_id, StageName="nope"), 404,
              "NotFoundException", "Invalid stage identifier specified")
    v2_error(lambda: client.get_deployment(ApiId=api_id, DeploymentId="abc123"), 404,
              "NotFoundException", "Invalid Deployment identifier specified abc123")
    v2_error(lambda: client.update_stage(ApiId=api_id, StageName="prod",
                                          DeploymentId="abc123"), 404,
              "NotFoundException", "Invalid Deployment identifier specified abc123")
    v2_error(lambda: client.update_stage(ApiId=api_id, StageName="nope", Description="x"),
              404, "NotFoundException", "Invalid stage identifier specified")


def test_an_auto_deploying_stage_cannot_be_pointed_at_a_deployment(v2, api_id, v2_error):
    made = v2.apigatewayv2.create_deployment(ApiId=api_id)["DeploymentId"]
    # "Can't be updated if autoDeploy is enabled" [MODEL UpdateStage.DeploymentId].
    v2_error(lambda: v2.apigatewayv2.update_stage(ApiId=api_id, StageName="$default",
                                                   DeploymentId=made),
              400, "BadRequestException",
              "DeploymentId cannot be updated on a stage with autoDeploy enabled")


def test_a_served_deployment_cannot_be_deleted_and_another_can(v2, api_id, v2_error):
    served = v2.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    spare = v2.apigatewayv2.create_deployment(ApiId=api_id)["DeploymentId"]
    v2_error(lambda: v2.apigatewayv2.delete_deployment(ApiId=api_id, DeploymentId=served),
              400, "BadRequestException",
              "Active stages pointing to this deployment must be moved or deleted")
    deleted = v2.apigatewayv2.delete_deployment(ApiId=api_id, DeploymentId=spare)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204  # [MODEL]
    listed = v2.apigatewayv2.get_deployments(ApiId=api_id)["Items"]
    assert [d["DeploymentId"] for d in listed] == [served]


@pytest.mark.xfail(reason="the sandbox does not deploy auto-deploying stages by itself",
                   strict=True)
def test_an_auto_deploying_stage_serves_the_latest_change(v2, api_id):
    # AWS deploys such a stage after a change and reports the deployment and its status
    # [DOC aws apigatewayv2 get-stages example: DeploymentId, LastDeploymentStatusMessage].
    v2.apigatewayv2.create_route(ApiId=api_id, RouteKey="GET /later")
    stage = v2.apigatewayv2.get_stage(ApiId=api_id, StageName="$default")
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{stage['DeploymentId']}'")
