"""Several writes in flight: lanes and phases kept, at most N at once, faults while in flight."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from asyncgw.core.apply import apply
from asyncgw.core.bindings import placeholder
from asyncgw.core.errors import ApplyFailed, Interrupted
from tests.core.fake import KIND, FakeApi, FakeBackend, Put, failure

WIDTHS = (1, 2, 4)

# Three methods' worth of writes: two in each of lanes m1 and m2, one in m3, after a validator.
STEPS = (
    Put("validator", "made", creates="v"),
    Put("m1-request", "uses " + placeholder(KIND, "v"), before="0", lane="m1"),
    Put("m1-integration", "1", lane="m1"),
    Put("m2-request", "2", lane="m2"),
    Put("m2-integration", "2", before="x", lane="m2"),
    Put("m3-request", "3", lane="m3"),
)


def api() -> FakeApi:
    """The fake API before the apply."""
    return FakeApi(fields={"m1-request": "0", "m2-integration": "x"})


def backend(fake: FakeApi, steps: tuple[Put, ...] = STEPS) -> FakeBackend:
    """Verify before deploying and repair from the snapshot, as the REST backend does."""
    return FakeBackend(fake, steps, verifies_before_deploy=True, repairs=True)


@pytest.fixture(autouse=True)
def no_worker_left() -> Iterator[None]:
    """After every test: no writer thread still running and Ctrl-C handled as before."""
    yield
    assert not [t for t in threading.enumerate() if t.name.startswith("asyncgw-write")]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def lane_order(log: list[str], lane: str) -> list[str]:
    """The writes of one lane, in the order they were sent."""
    return [entry for entry in log if entry.startswith(f"put {lane}-")]


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_lanes_keep_plan_order_and_at_most_n_are_in_flight(in_flight: int) -> None:
    fake = api()
    fake.delay = 0.02
    steps = tuple(Put(f"m{n % 5}-{n}", str(n), lane=f"m{n % 5}") for n in range(20))
    lines: list[str] = []
    apply(backend(fake, steps), lines.append, in_flight=in_flight)
    assert fake.most_in_flight == in_flight
    for lane in ("m0", "m1", "m2", "m3", "m4"):
        assert lane_order(fake.log, lane) == [f"put {s.field}" for s in steps
                                              if s.lane == lane]
    assert fake.log[-2:] == ["read", "deploy"]  # every write before verifying and deploying
    assert len([line for line in lines if line.startswith("[")]) == 20


def test_one_lane_is_one_write_at_a_time_whatever_the_width() -> None:
    fake = api()
    fake.delay = 0.01
    steps = tuple(Put(f"f{n}", str(n), lane="one") for n in range(6))
    apply(backend(fake, steps), in_flight=4)
    assert fake.most_in_flight == 1
    assert fake.log[1:7] == [f"put f{n}" for n in range(6)]


def test_a_phase_is_over_before_the_next_begins() -> None:
    # The methods use the validator's id: without the fence they would find no id to use.
    fake = api()
    fake.slow["put validator"] = gate = threading.Event()
    threading.Timer(0.2, gate.set).start()
    done = apply(backend(fake), in_flight=4)
    assert fake.log.index("put validator") == 1
    assert fake.fields["m1-request"] == f"uses {done.created['v']}"


def test_n_1_sends_in_plan_order_with_the_same_lines() -> None:
    fake, lines = api(), list[str]()
    apply(backend(fake), lines.append, in_flight=1)
    assert fake.log == ["read", *(f"put {s.field}" for s in STEPS), "read", "deploy"]
    assert lines[:6] == [f"[{n}/6] setting {s.field}" for n, s in enumerate(STEPS, 1)]


def _positions() -> Iterator[tuple[int, str, int]]:
    for position in range(1, len(STEPS) + 2):  # the deployment too (the fake loses no answer)
        for fault in ("error", "interrupt", "lost-answer")[:2 + (position <= len(STEPS))]:
            for in_flight in WIDTHS:
                yield position, fault, in_flight


@pytest.mark.parametrize(("position", "fault", "in_flight"), list(_positions()))
def test_a_fault_at_every_write_at_every_width_leaves_the_api_as_it_was(
    position: int, fault: str, in_flight: int
) -> None:
    fake = api()
    before = fake.snapshot()
    label = ([f"put {s.field}" for s in STEPS] + ["deploy"])[position - 1]
    fake.fail[label] = KeyboardInterrupt() if fault == "interrupt" else failure("Put")
    if fault == "lost-answer":
        fake.lost.add(label)
    expected = Interrupted if fault == "interrupt" else ApplyFailed
    with pytest.raises(expected, match="API api1 is as it was"):
        apply(backend(fake), in_flight=in_flight)
    assert fake.snapshot() == before, (position, fault, in_flight)


def test_two_writes_failing_at_once_are_both_undone_with_what_was_in_flight() -> None:
    fake = api()
    gates = {label: threading.Event() for label in ("put m1-request", "put m3-request")}
    fake.slow.update(gates)
    fake.fail["put m2-request"] = failure("PutM2")
    fake.lost.add("put m2-request")  # it took effect although it failed
    fake.fail["put m1-integration"] = failure("PutM1")  # never sent: its lane is behind m1
    for gate in gates.values():
        threading.Timer(0.2, gate.set).start()
    lines: list[str] = []
    with pytest.raises(ApplyFailed) as caught:
        apply(backend(fake), lines.append, in_flight=4)
    # The slow writes in flight were awaited, journaled and undone; nothing new was sent.
    assert caught.value.message.startswith("PutM2 failed")
    assert "put m1-integration" not in fake.log and "put m2-integration" not in fake.log
    assert {"undo m1-request", "undo m3-request", "undo validator"} <= set(fake.log)
    assert "restoring from the snapshot" in lines  # the lost answer, found by the read-back
    assert fake.snapshot() == api().snapshot()


def test_two_failures_in_flight_raise_the_first_and_undo_the_rest() -> None:
    fake = api()
    steps = tuple(Put(f"f{n}", str(n), lane=f"l{n}") for n in range(4))
    fake.slow["put f1"] = gate = threading.Event()
    fake.fail["put f0"] = failure("PutF0")
    fake.fail["put f1"] = failure("PutF1")  # takes effect once let through, then fails
    fake.lost.add("put f1")
    threading.Timer(0.2, gate.set).start()
    with pytest.raises(ApplyFailed) as caught:
        apply(backend(fake, steps), in_flight=4)
    assert caught.value.message.startswith("PutF0 failed")
    assert caught.value.message.endswith("2 changes undone, API api1 is as it was")
    assert fake.snapshot() == api().snapshot()


def test_ctrl_c_while_writes_are_in_flight_awaits_them_and_undoes_them() -> None:
    fake = api()
    steps = tuple(Put(f"f{n}", str(n), lane=f"l{n % 2}") for n in range(6))
    gates = {f"put f{n}": threading.Event() for n in (0, 1)}
    fake.slow.update(gates)
    threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT)).start()
    for gate in gates.values():
        threading.Timer(0.4, gate.set).start()
    with pytest.raises(Interrupted) as caught:
        apply(backend(fake, steps), in_flight=4)
    # The two writes sent before Ctrl-C finished, were journaled, and are undone; no more sent.
    assert caught.value.message == "interrupted; 2 changes undone, API api1 is as it was"
    assert [e for e in fake.log if e.startswith("put")] == ["put f0", "put f1"]
    assert fake.snapshot() == api().snapshot()


def test_a_failed_settle_finds_its_write_journaled() -> None:
    class SettleFails(FakeBackend):
        def settle(self, step: Put) -> None:
            if step.field == "f1":
                raise failure("WaitActive")

    fake = api()
    steps = tuple(Put(f"f{n}", str(n), lane=f"l{n}") for n in range(3))
    with pytest.raises(ApplyFailed, match="WaitActive failed") as caught:
        apply(SettleFails(fake, steps, repairs=False), in_flight=4)
    assert "undo f1" in fake.log
    assert caught.value.message.endswith("3 changes undone, API api1 is as it was")
    assert fake.snapshot() == api().snapshot()


def test_a_width_below_one_is_refused_before_any_call() -> None:
    fake = api()
    with pytest.raises(ValueError, match="at least 1"):
        apply(backend(fake), in_flight=0)
    assert fake.log == []
