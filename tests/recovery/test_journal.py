"""The durable journal of an apply: where it lives, what it holds, the lock, and recover."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

from asyncgw import recovery
from asyncgw.core.errors import UndoFailed, UsageError
from asyncgw.core.journal_file import (
    VERSION,
    ApiBusy,
    JournalFile,
    Journals,
    Lock,
    UnfinishedChange,
    journal_dir,
    read,
)
from asyncgw.core.modes import Mode
from asyncgw.rest import async_config, intent
from asyncgw.rest.executor import RestWriter, apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.plan import Plan
from asyncgw.rest.snapshot import ApiSnapshot
from tests.support.faults import FaultInjector, inject
from tests.support.state import full_state

KEYS = ("GET /orders", "POST /orders", "PUT /orders/{id}", "POST /orders/{id}/refund",
        "POST /orders/{id}/ship")


def test_the_flag_wins_over_the_variable_which_wins_over_the_state_directory() -> None:
    env = {"ASYNCGW_JOURNAL_DIR": "/from/env", "XDG_STATE_HOME": "/state"}
    assert journal_dir("/from/flag", env) == Path("/from/flag")
    assert journal_dir(None, env) == Path("/from/env")
    assert journal_dir(None, {"XDG_STATE_HOME": "/state"}) == Path("/state/asyncgw/journals")
    assert journal_dir(None, {}) == Path.home() / ".local/state/asyncgw/journals"


def _planned(gateway: Gateway, api_id: str, mode: Mode, key: str,
             on_failure: str | None = None
             ) -> tuple[Plan, ApiSnapshot, Callable[[ApiSnapshot], Plan]]:
    want = async_config.wanted(on_failure, None if on_failure is None else 0, None,
                               gateway.region)
    wanted = intent.mode_change(api_id, mode, methods=(key,), stage="prod", want=want)
    snapshot = wanted.read(gateway, intent.read(gateway, api_id))
    return wanted.plan(snapshot), snapshot, wanted.plan


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC])
@pytest.mark.parametrize("key", KEYS)
def test_the_saved_plan_and_snapshot_rebuild_the_same_objects(
        gateway: Gateway, orders: SeededApi, mode: Mode, key: str) -> None:
    plan, snapshot, replan = _planned(gateway, orders.api_id, mode, key)
    saved = json.loads(json.dumps(RestWriter(plan, snapshot, gateway, replan, None).saved()))
    rebuilt = recovery.rest_writer(saved, gateway)
    assert rebuilt.plan == plan
    assert rebuilt.base == snapshot
    assert saved["kind"] == "rest" and saved["apiId"] == orders.api_id


def test_a_function_side_round_trips_too(gateway: Gateway, orders: SeededApi) -> None:
    failed = orders.functions["orders-api"]
    plan, snapshot, replan = _planned(gateway, orders.api_id, Mode.ASYNC, "GET /orders", failed)
    assert snapshot.functions
    saved = json.loads(json.dumps(RestWriter(plan, snapshot, gateway, replan, None).saved()))
    rebuilt = recovery.rest_writer(saved, gateway)
    assert (rebuilt.plan, rebuilt.base) == (plan, snapshot)


def test_an_apply_journals_durably_while_writing_and_removes_it_at_the_end(
        gateway: Gateway, orders: SeededApi, tmp_path: Path) -> None:
    journals = Journals(tmp_path, "default", "http://sandbox")
    plan, snapshot, replan = _planned(gateway, orders.api_id, Mode.SWITCHABLE, "GET /orders")
    seen: list[dict[str, object]] = []

    def look(_: str) -> None:
        for path in tmp_path.glob("*.journal"):
            recorded = read(path)
            seen.append({**recorded.header, "sent": recorded.sent,
                         "acknowledged": recorded.acknowledged})

    apply(plan, snapshot, gateway, replan, look, journals=journals)
    assert len(seen) > len(plan.steps)  # a progress line per write, then verify and deploy
    first, last = seen[0], seen[-1]
    assert (first["format"], first["version"], first["kind"]) == ("asyncgw-journal", VERSION,
                                                                  "rest")
    assert (first["apiId"], first["region"], first["profile"], first["endpointUrl"]) == (
        orders.api_id, "us-east-1", "default", "http://sandbox")
    assert first["pid"] == os.getpid() and first["plan"] == plan.model_dump(
        mode="json", by_alias=True)
    assert (first["sent"], first["acknowledged"]) == (0, 0)
    assert last["acknowledged"] == len(plan.steps)
    assert not list(tmp_path.glob("*.journal"))


def test_a_second_apply_is_refused_before_its_first_write_naming_the_process(
        gateway: Gateway, orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    journals = Journals(tmp_path)
    plan, snapshot, replan = _planned(gateway, orders.api_id, Mode.ASYNC, "GET /orders")
    before = full_state(account.apigateway, orders.api_id)
    counted = inject(account.apigateway, FaultInjector(set()))
    lock = tmp_path / (journals.stem(orders.api_id, "us-east-1") + ".lock")
    with Lock.taken(lock), pytest.raises(ApiBusy, match=f"pid {os.getpid()}") as caught:
        apply(plan, snapshot, gateway, replan, journals=journals)
    assert caught.value.exit_code == 2
    assert counted.writes == []
    assert full_state(account.apigateway, orders.api_id) == before


def test_undo_failed_keeps_the_journal_every_change_refuses_and_recover_finishes_the_job(
        gateway: Gateway, orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    journals = Journals(tmp_path)
    before = full_state(account.apigateway, orders.api_id)
    plan, snapshot, replan = _planned(gateway, orders.api_id, Mode.SWITCHABLE, "GET /orders")
    # Fail the last patch, then every write that tries to undo or repair it.
    injector = inject(account.apigateway, FaultInjector(set(range(len(plan.steps), 99))))
    with pytest.raises(UndoFailed):
        apply(plan, snapshot, gateway, replan, journals=journals)
    injector.fail_at = set()
    (kept,) = journals.found()
    assert kept.holder() is None and kept.acknowledged >= 1

    again, fresh, replan_again = _planned(gateway, orders.api_id, Mode.ASYNC, "PUT /orders/{id}")
    with pytest.raises(UnfinishedChange, match=f"asyncgw recover {orders.api_id}") as refused:
        apply(again, fresh, gateway, replan_again, journals=journals)
    assert refused.value.exit_code == 2

    restore = recovery.plan(kept, recovery.rest_writer(kept.header, gateway))
    assert restore.left and not restore.is_empty
    assert kept.path.exists()  # showing what differs changes nothing
    done = restore.apply()
    assert done.data["restored"] is True
    assert full_state(account.apigateway, orders.api_id) == before
    assert journals.found() == []
    assert recovery.plan(kept, recovery.rest_writer(kept.header, gateway)).is_empty


def test_a_torn_last_line_is_ignored_and_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a-us-east-1-x.journal"
    header = {"apiId": "a", "apiName": "", "region": "us-east-1", "kind": "rest"}
    journal = JournalFile(path, {"format": "asyncgw-journal", "version": VERSION, **header})
    journal.sending("updating GET /orders")
    journal.done("put it back")
    journal.sending("deploying prod")
    journal.close(keep=True)
    with path.open("a") as torn:
        torn.write('{"done": 2, "und')  # killed while appending
    recorded = read(path)
    assert (recorded.sent, recorded.acknowledged) == (2, 1)
    path.write_text(json.dumps({"format": "asyncgw-journal", "version": VERSION + 1}) + "\n")
    with pytest.raises(UsageError, match=f"version {VERSION + 1} journal"):
        read(path)


def test_a_journal_directory_that_cannot_be_written_refuses_before_any_write(
        gateway: Gateway, orders: SeededApi, account: Clients, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    plan, snapshot, replan = _planned(gateway, orders.api_id, Mode.ASYNC, "GET /orders")
    counted = inject(account.apigateway, FaultInjector(set()))
    with pytest.raises(UsageError, match="cannot keep the journal of the apply in"):
        apply(plan, snapshot, gateway, replan, journals=Journals(blocked / "journals"))
    assert counted.writes == []
