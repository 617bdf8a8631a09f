"""The checks every definition goes through, on whichever emulator it was imported into."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from rich.console import Console

from asyncgw.aws.pacing import Pacer
from asyncgw.cli import Runtime, run
from asyncgw.rest import gateway
from tests.cli.runner import Result
from tests.corpus import oracle, readback
from tests.corpus.definitions import Definition
from tests.corpus.oracle import ALLOW_HEADERS, MAPPING, SELECTOR, Expected


@dataclass
class Emulator:
    """An account to import into, and what it is known to do differently from AWS."""

    name: str
    client: Any
    endpoint_url: str | None
    not_imported: dict[str, str]
    applies_response_parameter_patches: bool = True
    """False where UpdateIntegrationResponse answers 200 and changes nothing (LocalStack)."""
    runs: list[list[str]] = field(default_factory=list)

    def run(self, *args: str) -> Result:
        """`asyncgw ARGS` in process on this account; never an unexpected error."""
        endpoint = ["--endpoint-url", self.endpoint_url] if self.endpoint_url else []
        result = asyncgw(*args, "--region", "us-east-1", *endpoint)
        self.runs.append(list(args))
        assert "unexpected" not in result.err, f"asyncgw {' '.join(args)}: {result.err}"
        return result


class _Clock:
    """Time that passes only when the pacer sleeps: emulators have no quotas to wait for."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def asyncgw(*args: str) -> Result:
    """Run `asyncgw ARGS` in this process, its pacer on a clock that never waits."""
    out, err = io.StringIO(), io.StringIO()

    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> gateway.Gateway:
        made = gateway.connect(profile, region, endpoint)
        clock = _Clock()
        made.pacer = Pacer(clock=clock, sleep=clock.sleep)
        return made

    runtime = Runtime(out=Console(file=out, width=200, color_system=None),
                      err=Console(file=err, width=200, color_system=None),
                      interactive=lambda: False, connect=connect)
    code = run(list(args), runtime)
    return Result(code, out.getvalue(), err.getvalue())


def check(definition: Definition, emulator: Emulator) -> None:
    """Import the definition, then check status, the owned fields and proxy conversion."""
    known = emulator.not_imported.get(definition.name)
    existing = _api_ids(emulator.client)
    try:
        api_id = emulator.client.import_rest_api(body=definition.body)["id"]
    except ClientError as error:
        for left in _api_ids(emulator.client) - existing:  # LocalStack leaves a partial API
            emulator.client.delete_rest_api(restApiId=left)
        assert known, f"{definition.name} does not import into {emulator.name}: {error}"
        return
    try:
        assert known is None, (f"{definition.name} imports into {emulator.name} now, though "
                               f"it was listed as refused ({known}): take it off the list")
        expected = oracle.methods(definition.document)
        check_status(emulator, api_id, expected)
        check_owned_fields(emulator, api_id, expected)
        for command in ("enable-async", "enable-switchable"):
            check_conversion(emulator, api_id, expected, command)
    finally:
        emulator.client.delete_rest_api(restApiId=api_id)


def _api_ids(client: Any) -> set[str]:
    return {api["id"] for api in client.get_rest_apis(limit=500)["items"]}


def check_status(emulator: Emulator, api_id: str, expected: dict[str, Expected]) -> None:
    """Every method in the mode the document says, with its function and reason."""
    result = emulator.run("status", api_id, "--output", "json")
    assert result.code == 0, result.err
    reported = {f"{m['httpMethod']} {m['path']}": m for m in json.loads(result.out)["methods"]}
    assert sorted(reported) == sorted(expected)
    for key, want in expected.items():
        got = reported[key]
        assert (key, got["mode"], got["function"], got["integrationType"]) == (
            key, want.mode, want.function, want.integration_type)
        if want.mode != "not-eligible":
            assert got["reason"] is None, key
            continue
        reason = got["reason"] or ""
        words = {"streaming": "streams its response", "proxy": "Lambda proxy integration",
                 "not-lambda": "not a Lambda function", "no-integration": "no integration"}
        assert words[want.why or ""] in reason, (key, reason)


def _owned(key: str) -> set[readback.Leaf]:
    return {(key, "requestParameters", SELECTOR), (key, "requestValidatorId"),
            (key, "methodIntegration", "requestParameters", MAPPING)}


def _allow_headers(state: dict[str, Any], key: str) -> set[readback.Leaf]:
    responses = state["methods"][key].get("methodIntegration", {}).get(
        "integrationResponses", {})
    return {(key, "methodIntegration", "integrationResponses", code, "responseParameters",
             ALLOW_HEADERS) for code in responses}


def _refused_and_undone(emulator: Emulator, result: Result, client_state: dict[str, Any],
                        api_id: str) -> None:
    # LocalStack answers UpdateIntegrationResponse with 200 and keeps the old value: asyncgw's
    # read-back sees the preflight unchanged, undoes everything and says so.
    assert result.code == 1, result.err
    assert "changes undone" in result.err and "is as it was" in result.err, result.err
    assert readback.changed(client_state, readback.read(emulator.client, api_id)) == set()


def check_owned_fields(emulator: Emulator, api_id: str, expected: dict[str, Expected]) -> None:
    """enable-switchable --all, then disable --all, change only the fields the modes own."""
    before = readback.read(emulator.client, api_id)
    taken = sorted(k for k, e in expected.items() if e.lambda_non_proxy)
    result = emulator.run("enable-switchable", api_id, "--all", "--no-deploy", "--yes")
    if not taken:
        assert result.code == 2 and "no Lambda non-proxy method" in result.err, result.err
        return
    preflights = oracle.preflights_to_change(expected, convert=False)
    if preflights and not emulator.applies_response_parameter_patches:
        _refused_and_undone(emulator, result, before, api_id)
        return
    assert result.code == 0, result.err
    middle = readback.read(emulator.client, api_id)
    allowed = set().union(*(_owned(k) for k in taken),
                          *(_allow_headers(before, k) for k in preflights))
    assert sorted(readback.changed(before, middle) - allowed) == []
    validators = {v["id"]: v for v in middle["validators"]}
    assert all(v in middle["validators"] for v in before["validators"])
    for key in taken:
        method = middle["methods"][key]
        assert method["requestParameters"][SELECTOR] is True, key
        assert method["methodIntegration"]["requestParameters"][MAPPING] == SELECTOR, key
        assert validators[method["requestValidatorId"]]["validateRequestParameters"], key
    for key in preflights:
        headers = middle["methods"][key]["methodIntegration"]["integrationResponses"]
        assert any("InvocationType" in r.get("responseParameters", {}).get(ALLOW_HEADERS, "")
                   for r in headers.values()), key

    result = emulator.run("disable", api_id, "--all", "--no-deploy", "--yes")
    assert result.code == 0, result.err
    after = readback.read(emulator.client, api_id)
    # disable keeps the validator attached (documented), and takes async methods to sync.
    kept = {(k, "requestValidatorId") for k in taken}
    was_async = {k for k in taken if expected[k].mode in ("async", "switchable")}
    assert sorted(readback.changed(before, after) - kept - set().union(
        *(_owned(k) for k in was_async))) == []
    for key in taken:
        mapping = after["methods"][key]["methodIntegration"].get("requestParameters", {})
        assert mapping.get(MAPPING) in (None, "'RequestResponse'"), key


def check_conversion(emulator: Emulator, api_id: str, expected: dict[str, Expected],
                     command: str) -> None:
    """--convert-proxy then disable put every proxy method back exactly."""
    proxies = sorted(k for k, e in expected.items() if e.convertible)
    streaming = sorted(k for k, e in expected.items() if e.why == "streaming")
    before = readback.read(emulator.client, api_id)
    result = emulator.run(command, api_id, "--all", "--convert-proxy", "--no-deploy", "--yes")
    if not proxies and not any(e.lambda_non_proxy for e in expected.values()):
        assert result.code == 2 and "no Lambda non-proxy method" in result.err, result.err
        return
    switchable = command == "enable-switchable"
    if (switchable and not emulator.applies_response_parameter_patches
            and oracle.preflights_to_change(expected, convert=True)):
        _refused_and_undone(emulator, result, before, api_id)
        return
    assert result.code == 0, result.err
    for key in streaming:
        assert f"skipped {key}: " in result.out, result.out
    middle = readback.read(emulator.client, api_id)
    for key in proxies:
        integration = middle["methods"][key]["methodIntegration"]
        assert integration["type"] == "AWS", key
        assert integration["requestParameters"][MAPPING] == (
            SELECTOR if switchable else "'Event'"), key
    for key in streaming:
        assert readback.flat(middle["methods"][key]) == readback.flat(before["methods"][key])

    result = emulator.run("disable", api_id, "--all", "--no-deploy", "--yes")
    assert result.code == 0, result.err
    after = readback.read(emulator.client, api_id)
    for key in proxies:
        method, original = dict(after["methods"][key]), before["methods"][key]
        if switchable:  # disable keeps the validator switchable mode attached
            method.pop("requestValidatorId", None)
            if "requestValidatorId" in original:
                method["requestValidatorId"] = original["requestValidatorId"]
        assert readback.flat(method) == readback.flat(original), key
