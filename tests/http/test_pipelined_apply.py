"""Several HTTP API writes in flight through the real clients: phases kept, faults while out."""

from __future__ import annotations

import itertools

import pytest
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.core.errors import ApplyFailed
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import apply
from asyncgw.http.gateway import HttpGateway
from tests.support.clients import HttpClients
from tests.support.faults import HTTP_WRITES, FaultInjector, inject
from tests.support.in_flight import Flight, watch_http
from tests.support.state import account_state

ROUTES = tuple(RouteSpec(f"POST /jobs{n}", function=f"jobs{n}", payload="2.0") for n in range(3))
ADDING = ("CreateRole", "PutRolePolicy", "CreateFunction", "AddPermission", "CreateIntegration",
          "UpdateRoute", "CreateDeployment")
REMOVING = ("UpdateRoute", "CreateDeployment", "DeleteIntegration", "RemovePermission",
            "DeleteFunction", "DeleteRolePolicy", "DeleteRole")


def change(http: HttpClients, gateway: HttpGateway, api_id: str, mode: Mode) -> None:
    """Plan every route into `mode` and apply it, deploying prod."""
    wanted = intent.mode_change(api_id, mode, everything=True, stage="prod")
    snapshot = intent.read(gateway, api_id, for_change=True)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, sleep=lambda _: None)


def seeded(http: HttpClients) -> str:
    """Three Lambda routes, each on its own function, on a stage deployed by hand."""
    api = seed_http_api(http, "pipelined", ROUTES, stages=(("prod", False),))
    http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    return api.api_id


def assert_phases(watched: Flight, phases: tuple[str, ...]) -> None:
    """Every call of a phase is answered before any call of the next phase is sent."""
    for earlier, later in itertools.pairwise(phases):
        answered = [i for i, (event, label) in enumerate(watched.log)
                    if event == "answered" and label.split()[0] == earlier]
        sent = [i for i, (event, label) in enumerate(watched.log)
                if event == "sent" and label.split()[0] == later]
        assert answered and sent, (earlier, later)
        assert max(answered) < min(sent), (earlier, later)


def test_each_kind_of_write_is_a_phase_and_a_phase_overlaps_its_writes(
    http: HttpClients, gateway: HttpGateway
) -> None:
    gateway.in_flight = 4
    api_id = seeded(http)
    adding = watch_http(http, Flight(HTTP_WRITES.operations, ("FunctionName", "RouteId"),
                                     hold=0.05))
    change(http, gateway, api_id, Mode.ASYNC)
    assert_phases(adding, ADDING)
    assert adding.most == 3  # the three forwarders (and so on) are created side by side
    http.detach_all()

    removing = watch_http(http, Flight(HTTP_WRITES.operations, ("FunctionName", "RouteId"),
                                       hold=0.05))
    change(http, gateway, api_id, Mode.SYNC)
    assert_phases(removing, REMOVING)


@pytest.mark.parametrize("pair", [(3, 4), (4, 5), (10, 11)])
def test_two_writes_failing_at_once_leave_the_account_as_it_was(
    http: HttpClients, gateway: HttpGateway, pair: tuple[int, int]
) -> None:
    gateway.in_flight = 4
    api_id = seeded(http)
    before = account_state(http, api_id)
    inject(http, FaultInjector(set(pair), kind=HTTP_WRITES))
    watch_http(http, Flight(HTTP_WRITES.operations, hold=0.02))
    with pytest.raises(ApplyFailed, match=f"API {api_id} is as it was"):
        change(http, gateway, api_id, Mode.ASYNC)
    assert account_state(http, api_id) == before


def test_a_forwarder_failing_while_the_others_are_slow_awaits_and_undoes_them(
    http: HttpClients, gateway: HttpGateway
) -> None:
    gateway.in_flight = 4
    api_id = seeded(http)
    before = account_state(http, api_id)
    # role, policy, then the first CreateFunction fails at once; the other two take their time.
    inject(http, FaultInjector({3}, kind=HTTP_WRITES))
    watched = watch_http(http, Flight(HTTP_WRITES.operations, ("FunctionName",),
                                      slow={"CreateFunction": 0.3}))
    with pytest.raises(ApplyFailed) as caught:
        change(http, gateway, api_id, Mode.ASYNC)
    created = [label for label in watched.order("answered") if label.startswith("CreateFunc")]
    assert len(created) == 2
    assert caught.value.message.endswith(f"4 changes undone, API {api_id} is as it was")
    assert not [label for label in watched.order("sent") if label.startswith("AddPermission")]
    assert account_state(http, api_id) == before
