"""The recorded runs, replayed: the CLI must send the same calls and print the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asyncgw.aws import trace
from tests.trace.cases import ALL_CASES, Case
from tests.trace.replay import Trace, difference, replay

BY_NAME = {case.name: case for case in ALL_CASES}
WRITES = ("Create", "Update", "Put", "Delete")


def _operations(case: Case) -> list[str]:
    return [call["operation"] for call in Trace.load(case.trace).calls]


def _calls(case: Case, operation: str) -> list[dict[str, Any]]:
    return [call for call in Trace.load(case.trace).calls if call["operation"] == operation]


def _args(case: Case, **changes: str) -> list[str]:
    """The recorded command line with some arguments swapped (old=new)."""
    args: list[str] = case.expected()["args"]
    return [changes.get(arg, arg) for arg in args]


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.name for case in ALL_CASES])
def test_the_cli_sends_the_recorded_calls_and_prints_what_it_printed(case: Case) -> None:
    expected = case.expected()
    done = replay(case.trace, expected["args"])
    assert done.problems == []
    assert done.code == expected["code"]
    assert done.out == expected["out"]
    assert done.err == expected["err"]


def test_status_reads_the_api_the_functions_and_what_each_stage_serves() -> None:
    case = BY_NAME["status"]
    assert not [op for op in _operations(case) if op.startswith(WRITES)]
    assert _operations(case).count("GetExport") == 2
    out = replay(case.trace, case.expected()["args"]).out
    assert "POST /orders/{id}/ship     AWS         orders-jobs       switchable" in out
    assert "InvocationType header is optional" in out


def test_a_dry_run_sends_no_write() -> None:
    case = BY_NAME["enable-switchable-dry-run"]
    assert not [op for op in _operations(case) if op.startswith(WRITES)]
    assert "Dry run: nothing was changed." in case.expected()["out"]


def test_enable_switchable_requires_the_header_and_deploys_the_stage() -> None:
    case = BY_NAME["enable-switchable"]
    (update,) = _calls(case, "UpdateMethod")
    assert {"op": "replace", "value": "true",
            "path": "/requestParameters/method.request.header.InvocationType"
            } in update["params"]["patchOperations"]
    (deployment,) = _calls(case, "CreateDeployment")
    assert deployment["params"]["stageName"] == "prod"
    assert "Done: 1 method now switchable, live on stage prod" in case.expected()["out"]


def test_enable_async_maps_event_on_the_integration() -> None:
    case = BY_NAME["enable-async"]
    (update,) = _calls(case, "UpdateIntegration")
    assert {"op": "replace", "value": "'Event'",
            "path": "/requestParameters/integration.request.header.X-Amz-Invocation-Type"
            } in update["params"]["patchOperations"]


def test_disable_removes_the_mapping() -> None:
    case = BY_NAME["disable"]
    (update,) = _calls(case, "UpdateIntegration")
    assert [op["op"] for op in update["params"]["patchOperations"]] == ["remove"]
    assert "Done: 1 method now sync, live on stage prod" in case.expected()["out"]


def test_verify_reports_the_failed_dry_run_and_exits_1() -> None:
    # LocalStack runs no function without Docker: Lambda answers 409, and verify must say so.
    case = BY_NAME["verify"]
    (invoke,) = _calls(case, "TestInvokeMethod")
    assert invoke["params"]["headers"]["InvocationType"] == "DryRun"
    assert case.expected()["code"] == 1
    assert "Lambda answered 409, not 204" in case.expected()["out"]


def test_an_unknown_api_is_exit_2_after_asking_both_api_gateways() -> None:
    case = BY_NAME["status-unknown-api"]
    assert _operations(case) == ["GetRestApis", "GetApis"]
    (v2,) = _calls(case, "GetApis")
    assert v2["status"] == 501 and v2["error"]["code"] == "InternalFailure"
    assert case.expected()["code"] == 2
    assert "no REST API with id or name 'no-such-api'" in case.expected()["err"]


def test_status_json_is_one_json_object() -> None:
    data = json.loads(BY_NAME["status-json"].expected()["out"])
    modes = {f"{m['httpMethod']} {m['path']}": m["mode"] for m in data["methods"]}
    deployed = {f"{m['httpMethod']} {m['path']}": m["deployed"] for m in data["methods"]}
    assert modes["POST /orders/{id}/ship"] == "switchable"
    assert modes["POST /orders/{id}/refund"] == "async"
    assert modes["POST /orders"] == "sync"
    # Only prod was deployed after the changes; dev was redeployed after all of them.
    assert deployed["POST /orders/{id}/refund"] == {"dev": "async", "prod": "async"}


def test_an_http_api_forwarder_is_created_with_its_role_and_removed_with_it() -> None:
    from asyncgw.http.forwarder.package import forwarder_zip

    enable = BY_NAME["http-enable-async"]
    services = [f"{c['service']} {c['operation']}" for c in Trace.load(enable.trace).calls]
    order = [services.index(call) for call in ("iam CreateRole", "iam PutRolePolicy",
                                               "lambda CreateFunction", "apigatewayv2 UpdateRoute")]
    assert order == sorted(order)
    (created,) = _calls(enable, "CreateFunction")
    assert created["params"]["Code"]["ZipFile"] == trace.sanitized(forwarder_zip())
    assert "asyncgw-async-jobs-" in BY_NAME["http-status"].expected()["out"]
    disable = BY_NAME["http-disable"]
    assert [c["operation"] for c in Trace.load(disable.trace).calls
            if c["service"] == "iam" and c["operation"].startswith("Delete")] == [
        "DeleteRolePolicy", "DeleteRole"]


def test_export_reads_the_api_and_writes_nothing() -> None:
    case = BY_NAME["export"]
    assert not [op for op in _operations(case) if op.startswith(WRITES)]
    assert "InvocationType" in case.expected()["out"]


# The harness itself: each way a CLI can stray from the trace is caught and named.

def test_a_different_parameter_is_named_with_its_path() -> None:
    case = BY_NAME["enable-switchable"]
    done = replay(case.trace, _args(case, prod="dev"))
    assert done.problems, done.out
    assert "the trace has 'prod', the CLI sent 'dev'" in done.problems[0]


def test_more_calls_than_the_trace_holds_are_caught() -> None:
    case = BY_NAME["enable-switchable-dry-run"]
    done = replay(case.trace, _args(case, **{"--dry-run": "--yes"}))
    # Applying reads the API again before writing: the first call the dry run never made.
    assert done.problems[0].startswith("call 5: the CLI called apigateway GetResources with ")
    assert done.problems[0].endswith("but the trace ends after 4 calls")


def test_fewer_calls_than_the_trace_holds_are_caught() -> None:
    case = BY_NAME["enable-switchable"]
    done = replay(case.trace, _args(case, **{"--yes": "--dry-run"}))
    assert done.code == 0
    assert done.problems == [
        f"the CLI made 4 calls; the trace holds 9 more, the first of them apigateway "
        f"GetResources with {Trace.load(case.trace).calls[4]['params']}"]


def test_a_different_operation_is_caught() -> None:
    case = BY_NAME["redeploy"]
    done = replay(case.trace, _args(case, redeploy="status", **{"--yes": "--output=table"}))
    assert done.problems == ["call 5: the CLI called lambda GetFunctionConfiguration where the "
                             "trace holds apigateway CreateDeployment"]


def test_difference_names_the_first_place() -> None:
    recorded = {"patchOperations": [{"op": "replace", "value": "true"}], "restApiId": "a"}
    assert difference(recorded, {**recorded, "restApiId": "b"}, "") == (
        ".restApiId: the trace has 'a', the CLI sent 'b'")
    assert difference(recorded, {"restApiId": "a"}, "") == (
        ".patchOperations: the trace has [{'op': 'replace', 'value': 'true'}], the CLI sent none")
    sent = {**recorded, "patchOperations": [{"op": "remove", "value": "true"}]}
    assert difference(recorded, sent, "") == (
        ".patchOperations[0].op: the trace has 'replace', the CLI sent 'remove'")
    assert difference(recorded, recorded, "") is None


def test_a_file_that_is_not_a_trace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"service": "apigateway"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not an asyncgw trace"):
        Trace.load(path)
