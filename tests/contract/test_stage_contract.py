"""Contract tests for a stage's shape and dates: recorded AWS case E2 and the Stage model."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from asyncgw_sandbox.seed import MethodSpec, seed_rest_api

# Every key of a stage that has no description, variables, cache or canary [REC E2].
E2_KEYS = {"cacheClusterEnabled", "cacheClusterStatus", "createdDate", "deploymentId",
           "lastUpdatedDate", "methodSettings", "stageName", "tracingEnabled"}


@pytest.fixture
def api_id(c):
    """An API with one MOCK method and no deployment yet."""
    return seed_rest_api(c, "stages", [MethodSpec("/pets", "GET", "mock")], stages=()).api_id


def _next_second() -> None:
    """Wait until the clock shows the next whole second: AWS dates stages to the second."""
    time.sleep(1.01 - time.time() % 1)


def _stage(c, api_id, name="s1"):
    return c.apigateway.get_stage(restApiId=api_id, stageName=name)


def test_e2_a_redeployed_stage_reads_back_as_recorded(c, api_id):
    started = int(time.time())
    first = c.apigateway.create_deployment(restApiId=api_id)["id"]
    c.apigateway.create_stage(restApiId=api_id, stageName="s1", deploymentId=first)
    second = c.apigateway.create_deployment(restApiId=api_id, stageName="s1")["id"]
    (stage,) = c.apigateway.get_stages(restApiId=api_id)["item"]
    assert set(stage) == E2_KEYS
    assert stage["stageName"] == "s1" and stage["deploymentId"] == second
    assert stage["cacheClusterEnabled"] is False
    assert stage["cacheClusterStatus"] == "NOT_AVAILABLE"
    assert stage["methodSettings"] == {} and stage["tracingEnabled"] is False
    # botocore parses both as timestamps: they are dates the sandbox took just now.
    for key in ("createdDate", "lastUpdatedDate"):
        assert isinstance(stage[key], datetime)
        assert started <= stage[key].timestamp() <= time.time()


def test_a_new_stage_was_last_updated_when_it_was_created(c, api_id):
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1")
    stage = _stage(c, api_id)
    assert stage["lastUpdatedDate"] == stage["createdDate"]
    deployment = c.apigateway.create_deployment(restApiId=api_id)["id"]
    created = c.apigateway.create_stage(restApiId=api_id, stageName="s2", deploymentId=deployment)
    assert created["lastUpdatedDate"] == created["createdDate"]


def test_a_redeployment_moves_last_updated_and_keeps_created(c, api_id):
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1")
    before = _stage(c, api_id)
    _next_second()
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1")
    after = _stage(c, api_id)
    assert after["createdDate"] == before["createdDate"]
    assert after["lastUpdatedDate"] > before["lastUpdatedDate"]


def test_update_stage_moves_last_updated_and_keeps_created(c, api_id):
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1")
    before = _stage(c, api_id)
    _next_second()
    updated = c.apigateway.update_stage(
        restApiId=api_id, stageName="s1",
        patchOperations=[{"op": "replace", "path": "/description", "value": "moved"}])
    assert updated["createdDate"] == before["createdDate"]
    assert updated["lastUpdatedDate"] > before["lastUpdatedDate"]
    assert _stage(c, api_id)["lastUpdatedDate"] == updated["lastUpdatedDate"]


def test_a_canary_deployment_onto_the_stage_moves_last_updated(c, api_id):
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1")
    before = _stage(c, api_id)
    _next_second()
    c.apigateway.create_deployment(restApiId=api_id, stageName="s1",
                                   canarySettings={"percentTraffic": 10.0})
    after = _stage(c, api_id)
    assert after["deploymentId"] == before["deploymentId"]  # [REC E5]
    assert after["createdDate"] == before["createdDate"]
    assert after["lastUpdatedDate"] > before["lastUpdatedDate"]
