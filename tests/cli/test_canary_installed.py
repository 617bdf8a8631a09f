"""A canary rollout with the installed `asyncgw` against the sandbox server, read by the AWS CLI."""

from __future__ import annotations

import json

from asyncgw_sandbox.seed import SeededApi
from asyncgw_sandbox.server import Server

from tests.cli.test_installed import api, asyncgw, aws, env, server

__all__ = ["api", "env", "server"]  # the fixtures, shared with test_installed


def _stage(server: Server, env: dict[str, str], api: SeededApi) -> dict[str, object]:
    found = aws(server, env, "get-stage", "--rest-api-id", api.api_id, "--stage-name", "prod")
    for moment in ("createdDate", "lastUpdatedDate"):
        found.pop(moment, None)
    return found


def test_deploy_to_10_percent_watch_and_promote(server: Server, env: dict[str, str],
                                                api: SeededApi) -> None:
    aws(server, env, "update-stage", "--rest-api-id", api.api_id, "--stage-name", "prod",
        "--patch-operations", "op=replace,path=/variables/color,value=blue")
    aws(server, env, "create-deployment", "--rest-api-id", api.api_id, "--stage-name", "prod",
        "--canary-settings", "percentTraffic=1,stageVariableOverrides={color=green}")
    own = _stage(server, env, api)["deploymentId"]
    done = asyncgw(server, env, "enable-async", api.api_id, "-m", "GET /orders", "--stage",
                   "prod", "--canary", "10", "--yes", "--output", "json")
    assert done.returncode == 0, done.stderr
    canary = json.loads(done.stdout)["deploymentId"]
    stage = _stage(server, env, api)
    assert stage["deploymentId"] == own
    assert stage["canarySettings"] == {"deploymentId": canary, "percentTraffic": 10.0,
                                       "stageVariableOverrides": {"color": "green"},
                                       "useStageCache": False}

    status = asyncgw(server, env, "status", api.api_id, "--output", "json")
    assert status.returncode == 0, status.stderr
    prod = next(s for s in json.loads(status.stdout)["stages"] if s["name"] == "prod")
    assert prod["deploymentId"] == own
    assert prod["canaryRelease"]["deployment"]["id"] == canary
    assert prod["canaryRelease"]["percentTraffic"] == 10.0

    promoted = asyncgw(server, env, "promote", api.api_id, "--stage", "prod", "--yes")
    assert promoted.returncode == 0, promoted.stderr
    stage = _stage(server, env, api)
    assert stage["deploymentId"] == canary and "canarySettings" not in stage
    assert stage["variables"] == {"color": "green"}


def test_cancel_canary_leaves_the_stage_as_it_was(server: Server, env: dict[str, str],
                                                  api: SeededApi) -> None:
    before = _stage(server, env, api)
    done = asyncgw(server, env, "redeploy", api.api_id, "--stage", "prod", "--canary", "10",
                   "--yes")
    assert done.returncode == 0, done.stderr
    assert "canarySettings" in _stage(server, env, api)
    cancelled = asyncgw(server, env, "cancel-canary", api.api_id, "--stage", "prod", "--yes")
    assert cancelled.returncode == 0, cancelled.stderr
    assert "Done: stage prod's canary is removed" in cancelled.stdout
    assert _stage(server, env, api) == before
