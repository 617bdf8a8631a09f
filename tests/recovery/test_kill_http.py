"""SIGKILL the installed CLI at every forwarder write of an HTTP API change; recover restores it.

The writes are the forwarder's role, its policy, the function, its permission, the
integration, the route, the deployment and the clean-up of what the old deployment served.
"""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api
from asyncgw_sandbox.server import Server

import asyncgw
from tests.recovery.installed import differences, run
from tests.support.clients import HttpClients, http_clients
from tests.support.kill_switch import KillSwitch
from tests.support.state import account_state, without_ids

ROUTE = ("-m", "POST /jobs", "--stage", "prod", "--yes")
SCENARIOS = {
    "sync-to-async": (None, ("enable-async", *ROUTE)),
    "async-to-sync": ("async", ("disable", *ROUTE)),
}


def seed(server: Server, journals: Path, start: str | None) -> tuple[HttpClients, str]:
    """A fresh account with one Lambda route on a stage deployed by hand, in its first mode."""
    server.reset()
    http = http_clients(clients("us-east-1", server.endpoint_url), server.endpoint_url)
    api = seed_http_api(http, "jobs", (RouteSpec("POST /jobs", function="jobs"),),
                        stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    if start:  # in this process: quicker than one more run of the CLI
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                region_name="us-east-1")
        account = asyncgw.Account(session=session, endpoint_url=server.endpoint_url,
                                  journal_dir=str(journals))
        asyncgw.plan_change(api.api_id, start, methods=["POST /jobs"], stage="prod",
                            account=account).apply()
    return http, api.api_id


@pytest.mark.parametrize("name", SCENARIOS)
def test_recover_restores_the_http_api_after_a_kill_at_every_write(
        sandbox: tuple[Server, KillSwitch], env: dict[str, str], tmp_path: Path,
        name: str) -> None:
    server, switch = sandbox
    start, command = SCENARIOS[name]
    _, api_id = seed(server, tmp_path / "start", start)
    counted = run(sandbox, env, tmp_path / "count", *command, api_id,
                  kill=lambda pid: switch.arm(pid, 0, after=False))
    switch.disarm()
    assert counted.returncode == 0, counted.stderr
    writes = list(switch.writes)
    assert len(writes) >= 4, writes
    started = time.monotonic()
    for at in range(1, len(writes) + 1):
        for after in (False, True):
            case = f"killed {'after' if after else 'before'} write {at} ({writes[at - 1]})"
            journals = tmp_path / f"{at}-{after}"
            http, api_id = seed(server, journals, start)
            before = without_ids(account_state(http, api_id))
            killed = run(sandbox, env, journals, *command, api_id,
                         kill=lambda pid, at=at, after=after: switch.arm(pid, at, after))
            assert killed.returncode == -9, (case, killed.stderr)
            recovered = run(sandbox, env, journals, "recover", api_id, "--yes")
            assert recovered.returncode == 0, (case, recovered.stdout, recovered.stderr)
            now = without_ids(account_state(http, api_id))
            assert now == before, (case, differences(before, now))
            assert not list(journals.glob("*.journal")), case
    again = run(sandbox, env, journals, "recover", api_id, "--yes")
    assert again.returncode == 0 and "Nothing to recover" in again.stdout, again.stdout
    print(f"{name}: {len(writes)} writes, {time.monotonic() - started:.0f} s")
