"""Restoring an HTTP API from its before-snapshot after a run stopped at any write."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.core.errors import AsyncgwError
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import HttpWriter, apply
from asyncgw.http.forwarder.package import handler_source
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import HttpPlan
from asyncgw.http.restore import restore
from asyncgw.http.snapshot import HttpApiSnapshot
from tests.support.clients import HttpClients
from tests.support.faults import HTTP_WRITES, FaultInjector, inject
from tests.support.state import account_state, without_ids

ROUTES = (RouteSpec("POST /jobs", function="jobs", payload="2.0"),
          RouteSpec("POST /reports", function="jobs", payload="2.0"),
          RouteSpec("GET /jobs/{id}", function="reader", payload="1.0", timeout_ms=5000))

TRANSITIONS = [(Mode.SYNC, Mode.ASYNC), (Mode.SYNC, Mode.SWITCHABLE),
               (Mode.ASYNC, Mode.SYNC), (Mode.SWITCHABLE, Mode.SYNC),
               (Mode.ASYNC, Mode.SWITCHABLE), (Mode.SWITCHABLE, Mode.ASYNC)]


@dataclass
class Api:
    """An HTTP API on a stage deployed by hand, in some mode."""

    http: HttpClients
    gateway: HttpGateway
    api_id: str
    stage: str | None = "prod"

    def writer(self, mode: Mode) -> HttpWriter:
        """A writer for a plan to `mode` made from a fresh read."""
        wanted = intent.mode_change(self.api_id, mode, everything=True, stage=self.stage)
        snapshot = intent.read(self.gateway, self.api_id, for_change=True)
        return HttpWriter(wanted.plan(snapshot), snapshot, self.gateway, wanted.plan,
                          sleep=lambda _: None)

    def reach(self, mode: Mode) -> None:
        """Apply a whole plan to `mode`."""
        writer = self.writer(mode)
        apply(writer.plan, writer.base, self.gateway, writer.replan, sleep=lambda _: None)


@pytest.fixture
def api(http: HttpClients, gateway: HttpGateway) -> Callable[[Mode], Api]:
    def make(start: Mode) -> Api:
        seeded = seed_http_api(http, "restored", ROUTES, stages=(("prod", False),))
        http.apigatewayv2.create_deployment(ApiId=seeded.api_id, StageName="prod")
        made = Api(http, gateway, seeded.api_id)
        if start is not Mode.SYNC:
            made.reach(start)
        return made
    return make


def write_count(plan: HttpPlan) -> int:
    """The writes of a plan, the deployment counted as one."""
    return len(plan.steps) + (plan.deployment is not None) + len(plan.cleanup)


def stop_after(writer: HttpWriter, position: int) -> None:
    """Make the plan's first `position` writes as the apply loop does, then stop (as if killed).

    A write that raises (its answer lost) stops the run there too.
    """
    plan, bindings = writer.plan, writer.bindings()
    writes = [*plan.steps, None, *plan.cleanup] if plan.deployment else [*plan.writes]
    for step in writes[:position]:
        if step is None:
            assert plan.deployment is not None
            writer.gateway.create_deployment(plan.api_id, plan.deployment.stage,
                                             plan.deployment.description)
            continue
        bindings.create(writer.run(step, bindings))
        writer.settle(step)


def crashed(writer: HttpWriter) -> HttpWriter:
    """The writer a recovery makes after the process died: plan and snapshot from their JSON."""
    return HttpWriter(HttpPlan.model_validate_json(writer.plan.model_dump_json()),
                      HttpApiSnapshot.model_validate_json(writer.base.model_dump_json()),
                      writer.gateway, writer.replan, writer.sleep)


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
@pytest.mark.parametrize(("start", "wanted"), TRANSITIONS,
                         ids=[f"{a}-to-{b}" for a, b in TRANSITIONS])
def test_a_run_stopped_after_any_write_is_restored_to_before(
    api: Callable[[Mode], Api], start: Mode, wanted: Mode, lost: bool
) -> None:
    a = api(start)
    total = write_count(a.writer(wanted).plan)
    assert total >= 3
    faults = inject(a.http, FaultInjector(set(), "lost-answer", kind=HTTP_WRITES))
    for position in range(1, total + 1):
        writer = a.writer(wanted)  # ids of re-created integrations change: plan again
        assert write_count(writer.plan) == total, position
        before = account_state(a.http, a.api_id)
        faults.reset({position} if lost else set())
        if lost:  # the write lands, its answer does not: the run stops unknowing
            with pytest.raises(AsyncgwError):
                stop_after(writer, position)
        else:
            stop_after(writer, position)
        faults.reset(set())
        now = writer.read()
        left = writer.left_over(now)
        assert left, (position, "the stopped run changed nothing")
        lines: list[str] = []
        assert crashed(writer).repair(now, left, lines.append) == [], (position, lines)
        after = account_state(a.http, a.api_id)
        assert without_ids(after) == without_ids(before), (position, lines)
        if position <= len(writer.plan.steps):  # nothing that was there is deleted yet
            assert after == before, (position, lines)
        assert restore(writer.base, a.writer(wanted).base).is_empty, position
    a.reach(wanted)  # and nothing stops a real run afterwards


def test_restore_of_an_unchanged_api_writes_nothing(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.ASYNC)
    writer = a.writer(Mode.SYNC)
    assert restore(writer.base, writer.read()).is_empty


def test_the_restore_steps_put_back_before_they_remove(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.SWITCHABLE)
    writer = a.writer(Mode.SYNC)
    stop_after(writer, write_count(writer.plan))  # everything, the role's deletion included
    restoration = restore(writer.base, writer.read())
    kinds = [s.kind for s in restoration.steps]
    assert kinds[:2] == ["create-role", "put-role-policy"]
    assert kinds.index("create-forwarder") < kinds.index("add-permission")
    assert kinds.index("add-permission") < kinds.index("create-integration")
    assert kinds[-1] == "retarget-route"
    assert not restoration.cleanup  # disabling went back to the integrations that were there


def test_the_restore_removes_users_before_what_they_use(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.SYNC)
    writer = a.writer(Mode.ASYNC)
    stop_after(writer, write_count(writer.plan))
    restoration = restore(writer.base, writer.read())
    assert {s.kind for s in restoration.steps} == {"retarget-route"}
    kinds = [s.kind for s in restoration.cleanup]
    assert kinds == sorted(kinds, key=["delete-integration", "remove-permission",
                                       "delete-forwarder", "delete-role-policy",
                                       "delete-role"].index)
    assert set(kinds) == {"delete-integration", "remove-permission", "delete-forwarder",
                          "delete-role-policy", "delete-role"}


def test_a_stray_forwarder_another_api_may_invoke_is_kept_and_named(
    api: Callable[[Mode], Api]
) -> None:
    a = api(Mode.SYNC)
    writer = a.writer(Mode.ASYNC)
    create = next(i for i, s in enumerate(writer.plan.steps) if s.kind == "create-forwarder")
    stop_after(writer, create + 1)
    name = str(writer.plan.steps[create].call.params["FunctionName"])
    a.http.lambda_.add_permission(FunctionName=name, StatementId="someone-else",
                                  Action="lambda:InvokeFunction",
                                  Principal="apigateway.amazonaws.com")
    now = writer.read()
    left = writer.repair(now, writer.left_over(now), lambda _: None)
    assert f"forwarder {name} kept: it also lets someone-else invoke it" in left
    assert a.http.lambda_.get_function(FunctionName=name)


def test_the_restore_says_what_it_does(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.SYNC)
    writer = a.writer(Mode.ASYNC)
    stop_after(writer, len(writer.plan.steps) + 1)  # up to the deployment
    now = writer.read()
    lines: list[str] = []
    assert writer.repair(now, writer.left_over(now), lines.append) == []
    assert lines[0] == "read-back differs from before: restoring from the snapshot"
    assert any(line.startswith("restoring: updating route POST /jobs") for line in lines)
    assert any(line.startswith("restoring: pointing stage prod back at deployment")
               for line in lines)
    assert any(line.startswith("restoring: deleting Lambda function asyncgw-async-")
               for line in lines)
    assert any(line == f"restoring: deleting IAM role asyncgw-forwarder-{a.gateway.region}"
               for line in lines)
    assert not [line for line in lines if "${" in line]



def test_a_restore_write_whose_answer_is_lost_is_made_good_by_a_second_pass(
    api: Callable[[Mode], Api]
) -> None:
    a = api(Mode.SWITCHABLE)
    writer = a.writer(Mode.SYNC)
    before = without_ids(account_state(a.http, a.api_id))
    stop_after(writer, write_count(writer.plan))  # the role deleted: the restore creates it
    now = writer.read()
    assert restore(writer.base, now).steps[0].kind == "create-role"
    inject(a.http, FaultInjector({1}, "lost-answer", kind=HTTP_WRITES))
    lines: list[str] = []
    assert writer.repair(now, writer.left_over(now), lines.append) == [], lines
    assert len([line for line in lines if "creating IAM role" in line]) == 1, lines
    assert without_ids(account_state(a.http, a.api_id)) == before


def test_what_the_restore_cannot_put_back_is_listed(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.SWITCHABLE)
    writer = a.writer(Mode.SYNC)
    stop_after(writer, write_count(writer.plan))
    # A restore that fails at every write leaves the differences, and says why.
    inject(a.http, FaultInjector(set(range(1, 100)), kind=HTTP_WRITES))
    now = writer.read()
    left = writer.repair(now, writer.left_over(now), lambda _: None)
    assert left[-1].startswith("restoring from the snapshot failed too (CreateRole")
    assert any(item.startswith("route ") for item in left)


def test_a_deleted_forwarder_that_ran_other_code_is_re_created_and_listed(
    api: Callable[[Mode], Api]
) -> None:
    a = api(Mode.ASYNC)
    name = a.writer(Mode.SYNC).base.forwarders[0].function_name
    a.http.lambda_.update_function_code(FunctionName=name, ZipFile=older_forwarder())
    writer = a.writer(Mode.SYNC)
    stop_after(writer, write_count(writer.plan))
    now = writer.read()
    left = writer.repair(now, writer.left_over(now), lambda _: None)
    assert f"forwarder {name} differs from before" in left
    assert any(item.startswith(f"forwarder {name} was re-created with this asyncgw's code")
               for item in left), left
    assert all(name in item for item in left), left  # routes, integrations, stage: as before


def older_forwarder() -> bytes:
    """A forwarder package of another version: the same handler with one more line."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("lambda_function.py", handler_source() + "\n# an older version\n")
    return archive.getvalue()


def test_a_restore_on_a_stage_that_deploys_automatically_says_it_is_live(
    http: HttpClients, gateway: HttpGateway
) -> None:
    seeded = seed_http_api(http, "auto", ROUTES, stages=(("$default", True),))
    a = Api(http, gateway, seeded.api_id, stage=None)
    writer = a.writer(Mode.ASYNC)
    assert writer.plan.deployment is None
    before = account_state(http, a.api_id)
    stop_after(writer, len(writer.plan.steps))
    now = writer.read()
    lines: list[str] = []
    assert writer.repair(now, writer.left_over(now), lines.append) == []
    assert ("restoring: stage(s) $default deploy automatically: the restored routes are live "
            "there at once") in lines
    assert account_state(http, a.api_id) == before


def test_the_gateway_reads_one_forwarder_by_name(api: Callable[[Mode], Api]) -> None:
    a = api(Mode.ASYNC)
    known = a.writer(Mode.SYNC).base.forwarders[0]
    assert a.gateway.forwarder(known.function_name) == known
    assert a.gateway.forwarder("asyncgw-async-nothing-0000") is None
    assert a.gateway.forwarder("jobs") is None  # a function, but no forwarder
