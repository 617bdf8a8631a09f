"""A new forwarder is waited for after its deletion is journaled: stopping the wait undoes it."""

from __future__ import annotations

from typing import Any

import pytest
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.core.errors import ApplyFailed, ExitCode, Interrupted
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import apply
from asyncgw.http.gateway import HttpGateway
from tests.support.clients import HttpClients
from tests.support.state import account_state

ROUTES = (RouteSpec("POST /jobs", function="jobs", payload="2.0"),)


class StopWhileStarting:
    """Raises `failure` at the first GetFunctionConfiguration after a CreateFunction."""

    def __init__(self, failure: BaseException) -> None:
        self.failure = failure
        self.created = False
        self.raised = False

    def __call__(self, model: Any, **_: Any) -> None:
        if model.name == "CreateFunction":
            self.created = True
        elif model.name == "GetFunctionConfiguration" and self.created and not self.raised:
            self.raised = True
            raise self.failure


@pytest.mark.parametrize("failure", [
    KeyboardInterrupt(),
    ApplyFailed("function still not active"),
], ids=["ctrl-c", "timeout"])
def test_a_stop_while_a_new_forwarder_starts_deletes_it(
    http: HttpClients, gateway: HttpGateway, failure: BaseException
) -> None:
    api = seed_http_api(http, "starting", ROUTES, stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    before = account_state(http, api.api_id)
    stop = StopWhileStarting(failure)
    http.listen(http.lambda_, "before-call.lambda", stop, first=True)
    wanted = intent.mode_change(api.api_id, Mode.ASYNC, everything=True, stage="prod")
    snapshot = intent.read(gateway, api.api_id, for_change=True)
    expected = Interrupted if isinstance(failure, KeyboardInterrupt) else ApplyFailed
    with pytest.raises(expected) as caught:
        apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, sleep=lambda _: None)
    assert stop.raised
    assert caught.value.exit_code in (ExitCode.INTERRUPTED, ExitCode.APPLY_FAILED)
    assert "is as it was" in caught.value.message
    assert account_state(http, api.api_id) == before
