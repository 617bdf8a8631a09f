"""Saved plans of a REST API: --out, apply FILE exactly, and the refusals once the API moved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi, seed_orders_api

import asyncgw as asyncgw_library
from asyncgw.core.errors import PlanFileError, PlanOutdated, UsageError
from asyncgw.rest.gateway import Gateway
from tests.cli.runner import Result, asyncgw
from tests.support.state import full_state

WRITES = ("Create", "Update", "Put", "Delete")
SWITCH = ("enable-switchable", "-m", "POST /orders", "--stage", "prod")


def _save(api: SeededApi, path: Path, *flags: str) -> Result:
    saved = asyncgw(SWITCH[0], api.api_id, *SWITCH[1:], "--out", str(path), *flags)
    assert saved.code in (0, 3), saved.err
    return saved


def _writes(calls: list[str]) -> list[str]:
    return [name for name in calls if name.startswith(WRITES)]


def _modes(api_id: str) -> list[tuple[str, str, str | None, dict[str, str]]]:
    report = json.loads(asyncgw("status", api_id, "--output", "json").out)
    return [(f"{m['httpMethod']} {m['path']}", m["mode"], (m["validator"] or {}).get("name"),
             m["deployed"]) for m in report["methods"]]


def test_out_shows_the_plan_changes_nothing_and_writes_the_file(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    before = full_state(account.apigateway, orders.api_id)
    dry = asyncgw(SWITCH[0], orders.api_id, *SWITCH[1:], "--dry-run", "--output", "json")
    path = tmp_path / "plan.json"
    saved = _save(orders, path)

    assert saved.code == 0
    assert "Saved the plan to" in saved.out and "nothing was changed" in saved.out
    assert "~ POST /orders" in saved.out
    assert full_state(account.apigateway, orders.api_id) == before
    document = json.loads(path.read_text())
    assert (document["format"], document["version"], document["kind"]) == ("asyncgw-plan", 1,
                                                                           "rest")
    assert document["api"] == {"id": orders.api_id, "name": "orders"}
    assert document["region"] == "us-east-1"
    assert document["request"]["action"] == "change"
    assert document["request"]["mode"] == "switchable"
    assert document["request"]["methods"] == ["POST /orders"]
    shown = {k: v for k, v in json.loads(dry.out).items() if k != "applied"}
    assert document["plan"] == shown
    parts = document["fingerprint"]["parts"]
    assert "POST /orders" in parts["methods"]
    assert parts["stages"]["prod"]["deploymentId"] == document["plan"]["deployment"][
        "previousDeploymentId"]
    assert document["fingerprint"]["digest"] == shown["baseFingerprint"]
    assert not list(tmp_path.glob(".plan.json.*")), "no temporary file is left"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_saved_plan_applies_exactly_what_the_direct_command_does(
        account: Clients, tmp_path: Path) -> None:
    direct_api, saved_api = seed_orders_api(account), seed_orders_api(account)
    direct_calls: list[str] = []
    direct = asyncgw(SWITCH[0], direct_api.api_id, *SWITCH[1:], "--yes", "--output", "json",
                     calls=direct_calls)
    assert direct.code == 0, direct.err

    path = tmp_path / "plan.json"
    _save(saved_api, path)
    applied_calls: list[str] = []
    applied = asyncgw("apply", str(path), "--yes", "--output", "json", calls=applied_calls)
    assert applied.code == 0, applied.err

    assert applied_calls == direct_calls
    assert _writes(applied_calls) == ["CreateRequestValidator", "UpdateMethod",
                                      "UpdateIntegration", "CreateDeployment"]
    report = json.loads(applied.out)
    assert report["applied"] is True
    saved = json.loads(path.read_text())["plan"]
    assert {k: report[k] for k in saved} == saved
    assert _modes(saved_api.api_id) == _modes(direct_api.api_id)
    modes = dict((key, mode) for key, mode, _, _ in _modes(saved_api.api_id))
    assert modes["POST /orders"] == "switchable"


def test_apply_asks_like_the_command_and_no_answers_changes_nothing(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    before = full_state(account.apigateway, orders.api_id)
    refused = asyncgw("apply", str(path))
    assert refused.code == 2
    assert "no terminal to confirm on and no --yes" in refused.last_error_line
    assert full_state(account.apigateway, orders.api_id) == before


def test_apply_dry_run_shows_the_plan_again_and_changes_nothing(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    saved = _save(orders, path)
    before = full_state(account.apigateway, orders.api_id)
    calls: list[str] = []
    again = asyncgw("apply", str(path), "--dry-run", calls=calls)
    assert again.code == 0, again.err
    assert again.out.split("Dry run:")[0] == saved.out.split("Saved the plan")[0]
    assert f"Run asyncgw apply {path} to apply." in " ".join(again.out.split())
    assert _writes(calls) == []
    assert full_state(account.apigateway, orders.api_id) == before


def _refusal(api: SeededApi, account: Clients, path: Path) -> tuple[Result, list[str]]:
    before = full_state(account.apigateway, api.api_id)
    calls: list[str] = []
    refused = asyncgw("apply", str(path), "--yes", calls=calls)
    assert refused.code == 2, refused.err
    assert refused.err.strip().count("\n") == 0, "one line"
    assert refused.last_error_line.endswith("nothing was changed: plan again")
    assert _writes(calls) == []
    assert full_state(account.apigateway, api.api_id) == before
    return refused, calls


def test_refused_after_another_writer_edits_a_touched_method(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    account.apigateway.update_method(
        restApiId=orders.api_id, resourceId=orders.resource_ids["/orders"], httpMethod="POST",
        patchOperations=[{"op": "add", "path": "/requestParameters/method.request.header.X-Id",
                          "value": "false"}])
    refused, _ = _refusal(orders, account, path)
    assert (f"Error: API {orders.api_id} changed since the plan was saved: method POST /orders "
            "changed;") in refused.last_error_line


def test_refused_after_a_validator_is_added(orders: SeededApi, account: Clients,
                                            tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    made = account.apigateway.create_request_validator(restApiId=orders.api_id, name="strict",
                                                       validateRequestBody=True)
    refused, _ = _refusal(orders, account, path)
    assert f"validator {made['id']} (strict) added" in refused.last_error_line


def test_refused_after_the_stage_is_redeployed(orders: SeededApi, account: Clients,
                                               tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    was = json.loads(path.read_text())["plan"]["deployment"]["previousDeploymentId"]
    now = account.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod")["id"]
    refused, _ = _refusal(orders, account, path)
    assert f"stage prod now serves deployment {now} (was {was})" in refused.last_error_line


def test_refused_when_planning_again_gives_another_plan(orders: SeededApi, account: Clients,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    document: dict[str, Any] = json.loads(path.read_text())
    document["plan"]["summary"] = "what an older asyncgw said"
    document["asyncgw"] = "0.0.1"
    path.write_text(json.dumps(document))
    refused, _ = _refusal(orders, account, path)
    assert "planning again gives another plan than the saved one although the API did not " \
           "change (it was saved by asyncgw 0.0.1, this is" in refused.last_error_line
    assert "it differs in summary" in refused.last_error_line


def test_a_saved_redeploy_applies_and_is_refused_once_done(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "redeploy.json"
    saved = asyncgw("redeploy", orders.api_id, "--stage", "dev", "--description", "reviewed",
                    "--out", str(path), "--exit-code")
    assert saved.code == 3, saved.err
    request = json.loads(path.read_text())["request"]
    assert request == {"action": "redeploy", "stage": "dev", "description": "reviewed",
                       "canary": None}
    applied = asyncgw("apply", str(path), "--yes", "--output", "json")
    assert applied.code == 0, applied.err
    deployment = json.loads(applied.out)["deploymentId"]
    stage = account.apigateway.get_stage(restApiId=orders.api_id, stageName="dev")
    assert stage["deploymentId"] == deployment
    assert account.apigateway.get_deployment(
        restApiId=orders.api_id, deploymentId=deployment)["description"] == "reviewed"

    again = asyncgw("apply", str(path), "--yes")
    assert again.code == 2
    assert f"stage dev now serves deployment {deployment}" in again.last_error_line


def test_an_empty_plan_is_saved_and_its_apply_only_checks(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    saved = asyncgw("enable-async", orders.api_id, "-m", "POST /orders", "--stage", "prod",
                    "--out", str(path), "--exit-code")
    assert saved.code == 0, saved.err
    assert "Nothing to do" in saved.out and "checks that the API is still as read" in saved.out
    calls: list[str] = []
    applied = asyncgw("apply", str(path), "--yes", "--exit-code", "--dry-run", calls=calls)
    assert applied.code == 0, applied.err
    assert "Nothing to do" in applied.out
    assert _writes(calls) == []


def test_exit_code_says_whether_a_shown_plan_has_changes(orders: SeededApi,
                                                         tmp_path: Path) -> None:
    pending = asyncgw(*SWITCH[:1], orders.api_id, *SWITCH[1:], "--dry-run", "--exit-code")
    assert pending.code == 3, pending.err
    assert "Dry run: nothing was changed." in pending.out
    as_json = asyncgw(*SWITCH[:1], orders.api_id, *SWITCH[1:], "--dry-run", "--exit-code",
                      "--output", "json")
    assert as_json.code == 3 and json.loads(as_json.out)["applied"] is False
    empty = asyncgw("enable-async", orders.api_id, "-m", "POST /orders", "--dry-run",
                    "--exit-code", "--stage", "prod")
    assert empty.code == 0, empty.err
    path = tmp_path / "plan.json"
    _save(orders, path)
    assert asyncgw("apply", str(path), "--dry-run", "--exit-code").code == 3
    saved_json = asyncgw(*SWITCH[:1], orders.api_id, *SWITCH[1:], "--out", str(path),
                         "--output", "json")
    assert saved_json.code == 0
    assert json.loads(saved_json.out)["savedTo"] == str(path)


def test_the_flags_that_contradict_are_refused_before_any_aws_call(
        orders: SeededApi, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    for args, message in [
        ((*SWITCH, "--exit-code"), "--exit-code says whether a plan has changes"),
        ((*SWITCH, "--exit-code", "--yes"), "--exit-code says whether a plan has changes"),
        (("redeploy", orders.api_id, "--exit-code"), "--exit-code says whether"),
        ((*SWITCH, "--out", str(path), "--yes"), "--out saves the plan and changes nothing"),
        ((*SWITCH, "--out", "-"), "--out takes a file name"),
        (("apply", str(path), "--exit-code"), "--exit-code says whether"),
    ]:
        calls: list[str] = []
        command = (args[0], orders.api_id, *args[1:]) if args[0] in SWITCH[:1] else args
        refused = asyncgw(*command, calls=calls)
        assert refused.code == 2, args
        assert message in refused.last_error_line, args
        assert calls == [], args
    assert not path.exists()


def test_another_region_than_the_plans_is_refused(orders: SeededApi, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    refused = asyncgw("apply", str(path), "--region", "eu-west-1", "--yes")
    assert refused.code == 2
    assert refused.last_error_line.startswith(
        "Error: the plan is for Region us-east-1, not eu-west-1")
    same = asyncgw("apply", str(path), "--region", "us-east-1", "--dry-run")
    assert same.code == 0, same.err


def test_a_plan_file_that_cannot_be_written_is_exit_2(orders: SeededApi,
                                                      tmp_path: Path) -> None:
    refused = asyncgw(*SWITCH[:1], orders.api_id, *SWITCH[1:], "--out",
                      str(tmp_path / "missing" / "plan.json"))
    assert refused.code == 2
    assert refused.last_error_line.startswith("Error: cannot write the plan to ")
    (tmp_path / "plan.json").mkdir()
    onto_a_directory = asyncgw(*SWITCH[:1], orders.api_id, *SWITCH[1:], "--out",
                               str(tmp_path / "plan.json"))
    assert onto_a_directory.code == 2
    assert onto_a_directory.last_error_line.startswith("Error: cannot write the plan to ")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"], "no temporary file is left"


def test_the_library_saves_and_applies_a_plan(orders: SeededApi, account: Clients,
                                              tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    before = full_state(account.apigateway, orders.api_id)
    request = asyncgw_library.ChangeRequest(mode=asyncgw_library.Mode.SWITCHABLE,
                                            methods=("POST /orders",), stage="prod")
    plan = asyncgw_library.save_plan(path, orders.api_id, request)
    assert not plan.is_empty and plan.deploys == "prod"
    assert json.loads(path.read_text())["plan"] == json.loads(json.dumps(plan.data))
    assert full_state(account.apigateway, orders.api_id) == before

    again = asyncgw_library.plan_from_file(path)
    assert again.data == plan.data
    again.apply()
    modes = {key: mode for key, mode, _, _ in _modes(orders.api_id)}
    assert modes["POST /orders"] == "switchable"
    with pytest.raises(PlanOutdated, match="method POST /orders changed"):
        asyncgw_library.plan_from_file(path)


def test_the_library_refuses_before_connecting(tmp_path: Path, orders: SeededApi) -> None:
    def never(profile: str | None, region: str | None, endpoint: str | None) -> Gateway:
        raise AssertionError("connected to AWS")

    path = tmp_path / "plan.json"
    with pytest.raises(PlanFileError, match="no plan file"):
        asyncgw_library.plan_from_file(path, account=asyncgw_library.Account(connect=never))
    asyncgw_library.save_plan(path, orders.api_id,
                              asyncgw_library.RedeployRequest(stage="dev"))
    elsewhere = asyncgw_library.Account(region="eu-west-1", connect=never)
    with pytest.raises(UsageError, match="the plan is for Region us-east-1, not eu-west-1"):
        asyncgw_library.plan_from_file(path, account=elsewhere)


def test_apply_canary_deploys_the_saved_steps_as_the_stages_canary(
        orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _save(orders, path)
    saved = json.loads(path.read_text())["plan"]
    before = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    shown = asyncgw("apply", str(path), "--canary", "10", "--dry-run")
    assert shown.code == 0, shown.err
    assert "as its canary at 10% of traffic" in shown.out
    assert f"Run asyncgw apply {path} --canary 10 to apply." in " ".join(shown.out.split())

    applied = asyncgw("apply", str(path), "--canary", "10", "--yes", "--output", "json")
    assert applied.code == 0, applied.err
    report = json.loads(applied.out)
    assert report["steps"] == saved["steps"]
    assert report["deployment"] == {**saved["deployment"], "canaryPercent": 10.0}
    after = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    assert after["deploymentId"] == before["deploymentId"]
    assert after["canarySettings"]["deploymentId"] == report["deploymentId"]
    assert after["canarySettings"]["percentTraffic"] == 10.0


def test_apply_canary_of_a_plan_that_deploys_nothing_is_refused(
        orders: SeededApi, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    saved = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--no-deploy",
                    "--out", str(path))
    assert saved.code == 0, saved.err
    calls: list[str] = []
    refused = asyncgw("apply", str(path), "--canary", "10", "--yes", calls=calls)
    assert refused.code == 2
    assert "--canary" in refused.last_error_line
    assert _writes(calls) == []
