"""A failure at any provisioning write leaves the account as it was: every write is undone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.core.errors import ApplyFailed, ExitCode, Interrupted, UndoFailed
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import apply
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import HttpPlan
from asyncgw.http.snapshot import HttpApiSnapshot
from tests.support.clients import HttpClients
from tests.support.faults import HTTP_WRITES, FaultInjector, inject
from tests.support.state import account_state, without_ids

ROUTES = (RouteSpec("POST /jobs", function="jobs", payload="2.0"),
          RouteSpec("GET /jobs/{id}", function="reader", payload="1.0", timeout_ms=5000))


@dataclass(frozen=True)
class Scenario:
    """A starting mode (reached before the faults) and the mode the faulty run asks for."""

    start: Mode
    wanted: Mode


SCENARIOS = {
    "enable-async": Scenario(Mode.SYNC, Mode.ASYNC),
    "enable-switchable": Scenario(Mode.SYNC, Mode.SWITCHABLE),
    "async-to-switchable": Scenario(Mode.ASYNC, Mode.SWITCHABLE),
    "disable": Scenario(Mode.SWITCHABLE, Mode.SYNC),
}


@dataclass
class Bench:
    """An HTTP API on a stage deployed by hand, already in the scenario's starting mode."""

    http: HttpClients
    gateway: HttpGateway
    api_id: str

    def run(self, mode: Mode, ready: tuple[HttpApiSnapshot, HttpPlan] | None = None) -> None:
        """Plan and apply; or apply a plan made earlier (its freshness is checked anyway)."""
        wanted = intent.mode_change(self.api_id, mode, everything=True, stage="prod")
        snapshot, plan = ready or self.plan(mode)
        apply(plan, snapshot, self.gateway, wanted.plan, sleep=lambda _: None)

    def plan(self, mode: Mode) -> tuple[HttpApiSnapshot, HttpPlan]:
        wanted = intent.mode_change(self.api_id, mode, everything=True, stage="prod")
        snapshot = intent.read(self.gateway, self.api_id, for_change=True)
        return snapshot, wanted.plan(snapshot)


@pytest.fixture(params=(1, 4), ids=lambda n: f"in-flight-{n}")
def in_flight(request: pytest.FixtureRequest) -> int:
    """Writes in flight at once: one at a time, and the default of several."""
    return int(request.param)


@pytest.fixture
def bench(http: HttpClients, gateway: HttpGateway, in_flight: int) -> Callable[[Mode], Bench]:
    gateway.in_flight = in_flight

    def make(start: Mode) -> Bench:
        api = seed_http_api(http, "faulty", ROUTES, stages=(("prod", False),))
        http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
        made = Bench(http, gateway, api.api_id)
        if start is not Mode.SYNC:
            made.run(start)
        return made
    return make


def positions(plan: HttpPlan) -> Iterator[tuple[int, bool]]:
    """Each write's 1-based position, and whether a deletion ran before or at it."""
    first_deletion = len(plan.steps) + (plan.deployment is not None) + 1
    total = len(plan.steps) + (plan.deployment is not None) + len(plan.cleanup)
    for position in range(1, total + 1):
        yield position, bool(plan.cleanup) and position >= first_deletion


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_failure_at_every_write_is_undone_completely(
    bench: Callable[[Mode], Bench], name: str
) -> None:
    scenario = SCENARIOS[name]
    b = bench(scenario.start)
    ready = b.plan(scenario.wanted)
    plan = ready[1]
    assert plan.deployment is not None
    before = account_state(b.http, b.api_id)
    faults = inject(b.http, FaultInjector(set(), kind=HTTP_WRITES))
    for position, deleted in positions(plan):
        faults.reset({position})
        with pytest.raises(ApplyFailed) as caught:
            b.run(scenario.wanted, ready)
        assert f"API {b.api_id} is as it was" in caught.value.message
        after = account_state(b.http, b.api_id)
        # A deleted integration or role comes back with a new id; all else is identical.
        if deleted:
            assert without_ids(after) == without_ids(before), (name, position)
            ready = b.plan(scenario.wanted)  # the old plan names the old ids: it is stale now
        else:
            assert after == before, (name, position)
    faults.reset(set())
    b.run(scenario.wanted)  # and nothing stops the real run afterwards


def test_ctrl_c_at_every_write_undoes_and_reports_interrupted(
    bench: Callable[[Mode], Bench],
) -> None:
    b = bench(Mode.ASYNC)
    ready = b.plan(Mode.SYNC)
    before = without_ids(account_state(b.http, b.api_id))
    faults = inject(b.http, FaultInjector(set(), "interrupt", kind=HTTP_WRITES))
    for position, deleted in positions(ready[1]):
        faults.reset({position})
        with pytest.raises(Interrupted) as caught:
            b.run(Mode.SYNC, ready)
        assert caught.value.exit_code == ExitCode.INTERRUPTED
        assert without_ids(account_state(b.http, b.api_id)) == before, position
        if deleted:
            ready = b.plan(Mode.SYNC)


@pytest.mark.parametrize(("fault", "expected"), [
    ("denied", "access denied: IAM refused lambda:CreateFunction"),
    ("throttled", "TooManyRequestsException"),
    ("connection", "CreateFunction failed"),
])
def test_every_kind_of_failure_is_undone_and_named(
    bench: Callable[[Mode], Bench], fault: str, expected: str, in_flight: int
) -> None:
    b = bench(Mode.SYNC)
    before = account_state(b.http, b.api_id)
    # role, policy, then the first CreateFunction; with several in flight, the second
    # forwarder is created beside it, and undone too.
    inject(b.http, FaultInjector({3}, fault, kind=HTTP_WRITES))
    with pytest.raises(ApplyFailed) as caught:
        b.run(Mode.ASYNC)
    undone = 2 if in_flight == 1 else 3
    assert expected in caught.value.message
    assert f"{undone} changes undone" in caught.value.message
    assert caught.value.exit_code == ExitCode.APPLY_FAILED
    assert account_state(b.http, b.api_id) == before


def test_a_failing_undo_lists_what_is_left_to_fix(bench: Callable[[Mode], Bench]) -> None:
    b = bench(Mode.SYNC)
    _, plan = b.plan(Mode.ASYNC)
    writes = len(plan.steps) + 1
    # Fail the deployment, then every write that tries to undo what came before it.
    inject(b.http, FaultInjector(set(range(writes, writes + 50)), kind=HTTP_WRITES))
    with pytest.raises(UndoFailed) as caught:
        b.run(Mode.ASYNC)
    assert caught.value.exit_code == ExitCode.UNDO_FAILED
    assert caught.value.leftovers
    assert any("route" in item or "failed" in item for item in caught.value.leftovers)


def test_the_undo_lines_name_integrations_by_id(bench: Callable[[Mode], Bench]) -> None:
    b = bench(Mode.ASYNC)  # disabling points routes back at integrations it may re-create
    snapshot, plan = b.plan(Mode.SYNC)
    wanted = intent.mode_change(b.api_id, Mode.SYNC, everything=True, stage="prod")
    inject(b.http, FaultInjector({len(plan.steps) + 1}, kind=HTTP_WRITES))  # the deployment
    lines: list[str] = []
    with pytest.raises(ApplyFailed):
        apply(plan, snapshot, b.gateway, wanted.plan, lines.append, sleep=lambda _: None)
    undone = [line for line in lines if line.startswith("undoing: point route")]
    assert undone, lines
    assert not [line for line in lines if "${" in line], lines
