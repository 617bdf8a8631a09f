"""SIGKILL the installed CLI at every write of each REST mode transition; recover restores all.

The sandbox server runs in this process behind a KillSwitch: at write k it kills the CLI
either before the write is made or after it is made but before the answer arrives. Then
`asyncgw recover API --yes` must leave the API as it was, read in full through boto3.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from asyncgw_sandbox.seed import (
    CLIENT_INVOCATION_TYPE,
    INVOCATION_TYPE_HEADER,
    PARAMETERS_VALIDATOR,
    Clients,
    MethodSpec,
    ValidatorSpec,
    clients,
    ensure_function,
    seed_rest_api,
)
from asyncgw_sandbox.server import Server

from asyncgw.core.journal_file import Journals, Lock
from tests.recovery.installed import differences, run
from tests.support.kill_switch import KillSwitch

VOLATILE = {"ResponseMetadata", "lastUpdatedDate", "LastModified"}
"""Timestamps a restore rewrites (pointing a stage back, putting a configuration back)."""


@dataclass(frozen=True)
class Transition:
    """A seeded API and the change command killed halfway."""

    name: str
    method: MethodSpec
    validators: tuple[ValidatorSpec, ...]
    command: tuple[str, ...]


SYNC = MethodSpec("/jobs", "POST", function="jobs")
SWITCHABLE = MethodSpec(
    "/jobs", "POST", function="jobs", validator=PARAMETERS_VALIDATOR,
    request_parameters={CLIENT_INVOCATION_TYPE: True},
    integration_request_parameters={INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE})
ASYNC = MethodSpec("/jobs", "POST", function="jobs",
                   integration_request_parameters={INVOCATION_TYPE_HEADER: "'Event'"})
PARAMETERS = (ValidatorSpec(PARAMETERS_VALIDATOR, False, True),)
METHOD = ("-m", "POST /jobs", "--stage", "prod", "--yes")

TRANSITIONS = [
    Transition("sync-to-async", SYNC, (), ("enable-async", *METHOD)),
    Transition("sync-to-switchable-creating-a-validator", SYNC, (),
               ("enable-switchable", *METHOD)),
    Transition("switchable-to-async", SWITCHABLE, PARAMETERS, ("enable-async", *METHOD)),
    Transition("async-to-sync", ASYNC, (), ("disable", *METHOD)),
    Transition("sync-to-async-with-on-failure", SYNC, (),
               ("enable-async", *METHOD, "--max-retries", "0", "--on-failure", "FAILED_ARN")),
]


def state(c: Clients, api_id: str) -> dict[str, Any]:
    """Everything a change may touch, as API Gateway and Lambda answer it."""
    gw = c.apigateway
    methods: dict[str, Any] = {}
    for resource in gw.get_resources(restApiId=api_id)["items"]:
        for verb in resource.get("resourceMethods", {}):
            where = {"restApiId": api_id, "resourceId": resource["id"], "httpMethod": verb}
            method = gw.get_method(**where)
            integration = gw.get_integration(**where)
            methods[f"{verb} {resource['path']}"] = {
                "method": method, "integration": integration,
                "methodResponses": {code: gw.get_method_response(**where, statusCode=code)
                                    for code in method.get("methodResponses", {})},
                "integrationResponses": {
                    code: gw.get_integration_response(**where, statusCode=code)
                    for code in integration.get("integrationResponses", {})}}
    configs = {}
    for function in c.lambda_.list_functions()["Functions"]:
        name = function["FunctionName"]
        try:
            configs[name] = c.lambda_.get_function_event_invoke_config(FunctionName=name)
        except c.lambda_.exceptions.ResourceNotFoundException:
            configs[name] = None
    return _stable({"methods": methods,
                    "validators": gw.get_request_validators(restApiId=api_id)["items"],
                    "stages": gw.get_stages(restApiId=api_id)["item"],
                    "asyncConfig": configs})


def _stable(value: Any) -> Any:
    # An empty map is the same as none: the seed puts `requestParameters={}`, and removing the
    # last entry by patch leaves the field out of the answer.
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE and v != {}}
    if isinstance(value, list):
        return sorted((_stable(v) for v in value), key=lambda v: json.dumps(v, default=str))
    return value


def seed(server: Server, transition: Transition) -> tuple[Clients, str, list[str]]:
    """A fresh account with the transition's API; the command with its ARNs filled in."""
    server.reset()
    c = clients("us-east-1", server.endpoint_url)
    failed = ensure_function(c, "jobs-failed")
    api = seed_rest_api(c, "jobs", [transition.method], transition.validators)
    return c, api.api_id, [a.replace("FAILED_ARN", failed) for a in transition.command]


def writes_of(sandbox: tuple[Server, KillSwitch], env: dict[str, str], tmp_path: Path,
              transition: Transition) -> list[str]:
    """The writes the command makes when nothing interrupts it."""
    server, switch = sandbox
    _, api_id, command = seed(server, transition)
    done = run(sandbox, env, tmp_path / "calibration", *command, api_id,
               kill=lambda pid: switch.arm(pid, 0, after=False))
    switch.disarm()
    assert done.returncode == 0, done.stderr
    return list(switch.writes)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_recover_restores_the_api_after_a_kill_at_every_write(
        sandbox: tuple[Server, KillSwitch], env: dict[str, str], tmp_path: Path,
        transition: Transition) -> None:
    server, switch = sandbox
    writes = writes_of(sandbox, env, tmp_path, transition)
    assert len(writes) >= 2, writes  # the method's writes and the deployment at least
    started = time.monotonic()
    for at in range(1, len(writes) + 1):
        for after in (False, True):
            case = f"killed {'after' if after else 'before'} write {at} ({writes[at - 1]})"
            c, api_id, command = seed(server, transition)
            before = state(c, api_id)
            journals = tmp_path / f"{at}-{after}"
            killed = run(sandbox, env, journals, *command, api_id,
                         kill=lambda pid, at=at, after=after: switch.arm(pid, at, after))
            assert killed.returncode == -9, (case, killed.stderr)
            if at == 1 and not after:
                listed = run(sandbox, env, journals, "recover", "--output", "json")
                assert [j["apiId"] for j in json.loads(listed.stdout)["journals"]] == [api_id]
            if after:  # the write landed: the same command may plan nothing, and still refuses
                refused = run(sandbox, env, journals, *command, api_id)
                assert refused.returncode == 2, (case, refused.stderr)
                assert f"asyncgw recover {api_id}" in refused.stderr, case
            recovered = run(sandbox, env, journals, "recover", api_id, "--yes")
            assert recovered.returncode == 0, (case, recovered.stdout, recovered.stderr)
            after_recover = state(c, api_id)
            assert after_recover == before, (case, differences(before, after_recover))
            assert not list(journals.glob("*.journal")), case
    again = run(sandbox, env, journals, "recover", api_id, "--yes")
    assert again.returncode == 0 and "Nothing to recover" in again.stdout, again.stdout
    print(f"{transition.name}: {len(writes)} writes, {time.monotonic() - started:.0f} s")


def test_a_second_apply_is_refused_and_a_dry_run_recover_changes_nothing(
        sandbox: tuple[Server, KillSwitch], env: dict[str, str], tmp_path: Path) -> None:
    server, switch = sandbox
    transition = TRANSITIONS[0]
    c, api_id, command = seed(server, transition)
    before = state(c, api_id)
    lock = tmp_path / (Journals(tmp_path, None, server.endpoint_url).stem(api_id, "us-east-1")
                       + ".lock")
    with Lock.taken(lock):  # another asyncgw applying to the same API now
        refused = run(sandbox, env, tmp_path, *command, api_id)
    assert refused.returncode == 2, refused.stderr
    assert f"pid {os.getpid()}" in refused.stderr
    assert state(c, api_id) == before

    killed = run(sandbox, env, tmp_path, *command, api_id,
                 kill=lambda pid: switch.arm(pid, 1, after=True))
    assert killed.returncode == -9
    changed = state(c, api_id)
    shown = run(sandbox, env, tmp_path, "recover", api_id, "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert "POST /jobs differs from before" in shown.stdout
    assert "Dry run: nothing was changed" in shown.stdout
    assert state(c, api_id) == changed != before
    assert list(tmp_path.glob("*.journal"))
    unconfirmed = run(sandbox, env, tmp_path, "recover", api_id)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    restored = run(sandbox, env, tmp_path, "recover", api_id, "--yes", "--output", "json")
    assert json.loads(restored.stdout)["restored"] is True
    assert state(c, api_id) == before
