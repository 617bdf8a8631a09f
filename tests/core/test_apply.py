"""The apply loop on a fake API: order of writes, journal, verify placement, unwind, repair."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator

import pytest

from asyncgw.core.apply import apply
from asyncgw.core.bindings import placeholder
from asyncgw.core.errors import ApplyFailed, Interrupted, StaleSnapshot, UndoFailed
from tests.core.fake import KIND, FakeApi, FakeBackend, Put, Snapshot, failure

STEPS = (Put("a", "1", before="0"), Put("b", "2"), Put("c", "3", before="x"))
WIDTHS = (1, 4)
"""One write at a time, as before pipelining, and several in flight."""


def api() -> FakeApi:
    """A fake API with two fields set, serving deployment d0."""
    return FakeApi(fields={"a": "0", "c": "x"})


def rest_like(fake: FakeApi, steps: tuple[Put, ...] = STEPS) -> FakeBackend:
    """Verify before deploying and repair from the snapshot, as the REST backend does."""
    return FakeBackend(fake, steps, verifies_before_deploy=True, repairs=True)


def http_like(fake: FakeApi, steps: tuple[Put, ...] = STEPS[:2],
              cleanup: tuple[Put, ...] = STEPS[2:], deploys: bool = True) -> FakeBackend:
    """Deploy, then clean up and verify, and only list leftovers, as the HTTP backend does."""
    return FakeBackend(fake, steps, cleanup, verifies_before_deploy=False, repairs=False,
                       deploys=deploys)


def test_rest_like_writes_then_verifies_then_deploys() -> None:
    fake, lines = api(), list[str]()
    done = apply(rest_like(fake), lines.append)
    assert fake.log == ["read", "put a", "put b", "put c", "read", "deploy"]
    assert lines == ["[1/3] setting a", "[2/3] setting b", "[3/3] setting c",
                     "verifying: reading the API back", "deploying stage prod"]
    assert fake.fields == {"a": "1", "b": "2", "c": "3"}
    assert (done.steps_applied, done.deployment_id, done.created) == (3, "d1", {})


def test_http_like_deploys_then_cleans_up_then_verifies() -> None:
    fake, lines = api(), list[str]()
    done = apply(http_like(fake), lines.append)
    assert fake.log == ["read", "put a", "put b", "deploy", "put c", "read"]
    # The clean-up is numbered on from the writes before the deployment.
    assert lines == ["[1/3] setting a", "[2/3] setting b", "deploying stage prod",
                     "[3/3] setting c", "verifying: reading the API back"]
    assert done.deployment_id == "d1"


def test_a_redeploy_alone_reads_and_verifies_nothing() -> None:
    fake = api()
    done = apply(rest_like(fake, steps=()))
    assert fake.log == ["deploy"]
    assert (done.steps_applied, done.deployment_id) == (0, "d1")


def test_no_deployment_when_the_plan_has_none() -> None:
    fake = api()
    done = apply(http_like(fake, deploys=False))
    assert "deploy" not in fake.log and done.deployment_id is None
    assert fake.served == "d0"


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_stale_snapshot_is_refused_before_the_first_write(in_flight: int) -> None:
    fake = api()
    backend = rest_like(fake)
    fake.fields["a"] = "someone else"
    with pytest.raises(StaleSnapshot, match="API api1 changed since it was read"):
        apply(backend, in_flight=in_flight)
    assert fake.log == ["read"]
    assert fake.fields == {"a": "someone else", "c": "x"}


def test_a_failure_undoes_the_journal_newest_first() -> None:
    fake, lines = api(), list[str]()
    fake.fail["put c"] = failure("PutC")
    with pytest.raises(ApplyFailed) as caught:
        apply(rest_like(fake), lines.append)
    assert fake.log == ["read", "put a", "put b", "put c", "undo b", "undo a", "read"]
    assert lines[-2:] == ["undoing: put back b", "undoing: put back a"]
    assert caught.value.message == ("PutC failed: ServiceException: boom; 2 changes undone, "
                                    "API api1 is as it was")
    assert fake.fields == {"a": "0", "c": "x"} and fake.served == "d0"


def test_ctrl_c_mid_way_undoes_and_says_interrupted() -> None:
    fake = api()
    fake.fail["put b"] = KeyboardInterrupt()
    with pytest.raises(Interrupted) as caught:
        apply(http_like(fake))
    assert caught.value.message == "interrupted; 1 change undone, API api1 is as it was"
    assert fake.log[-2:] == ["undo a", "read"]
    assert fake.fields == {"a": "0", "c": "x"}


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_ctrl_c_at_a_progress_line_before_any_write_changes_nothing(in_flight: int) -> None:
    fake = api()

    def interrupt(_: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(Interrupted, match="interrupted; nothing changed"):
        apply(rest_like(fake), interrupt, in_flight=in_flight)
    assert fake.log == ["read"]


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_rest_like_verifies_before_deploying_so_nothing_goes_live(in_flight: int) -> None:
    fake = api()
    fake.ignored.add("b")
    with pytest.raises(ApplyFailed, match="read-back shows b still not set; 3 changes undone"):
        apply(rest_like(fake), in_flight=in_flight)
    assert "deploy" not in fake.log and fake.served == "d0"


def test_http_like_verifies_after_deploying_and_points_the_stage_back() -> None:
    fake = api()
    fake.ignored.add("c")  # a clean-up step: only a check after it can notice
    with pytest.raises(ApplyFailed, match="read-back shows c still not set; 4 changes undone"):
        apply(http_like(fake))
    assert fake.log[-5:] == ["undo c", "point stage at d0", "undo b", "undo a", "read"]
    assert fake.served == "d0" and fake.fields == {"a": "0", "c": "x"}


def test_a_failed_deployment_is_pointed_back_and_undone() -> None:
    fake = api()
    fake.fail["deploy"] = failure("CreateDeployment")
    with pytest.raises(ApplyFailed, match=r"CreateDeployment failed: .*; 4 changes undone"):
        apply(rest_like(fake))
    assert fake.log[-5:] == ["point stage at d0", "undo c", "undo b", "undo a", "read"]


def test_a_failed_undo_is_listed_when_nothing_repairs_it() -> None:
    fake = api()
    fake.fail["put c"] = failure("PutC")
    fake.fail["undo a"] = failure("UndoA")
    with pytest.raises(UndoFailed) as caught:
        apply(http_like(fake, steps=STEPS, cleanup=()))
    assert fake.log[-3:] == ["undo b", "undo a", "read"]
    assert caught.value.leftovers == ("put back a (failed: UndoA failed: ServiceException: boom)",
                                      "field a differs from before")
    assert caught.value.message.startswith(
        "PutC failed: ServiceException: boom; undoing failed too, fix by hand")


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_failed_undo_that_the_repair_fixes_leaves_the_api_as_it_was(in_flight: int) -> None:
    fake, lines = api(), list[str]()
    fake.fail["put c"] = failure("PutC")
    fake.fail["undo a"] = failure("UndoA")
    with pytest.raises(ApplyFailed, match="2 changes undone, API api1 is as it was"):
        apply(rest_like(fake), lines.append, in_flight=in_flight)
    assert fake.log[-4:] == ["undo a", "read", "restore", "read"]
    assert "restoring from the snapshot" in lines
    assert fake.fields == {"a": "0", "c": "x"}


def test_a_write_whose_answer_was_lost_is_found_by_the_read_back() -> None:
    # The journal never learnt of the write; the read-back shows it took effect.
    fake = api()
    fake.fail["put b"], fake.lost = failure("PutB"), {"put b"}
    with pytest.raises(UndoFailed) as caught:
        apply(http_like(fake))
    assert caught.value.leftovers == ("field b differs from before",)
    repaired = api()
    repaired.fail["put b"], repaired.lost = failure("PutB"), {"put b"}
    with pytest.raises(ApplyFailed, match="1 change undone, API api1 is as it was"):
        apply(rest_like(repaired))
    assert repaired.fields == {"a": "0", "c": "x"}


class _Unreadable(FakeBackend):
    """Reads fail once the undo began: the network is gone."""

    def read(self) -> Snapshot:
        if any(line.startswith("undo") for line in self.api.log):
            raise failure("GetThings")
        return super().read()


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_read_back_that_fails_is_listed(in_flight: int) -> None:
    fake = api()
    fake.fail["put b"] = failure("PutB")
    with pytest.raises(UndoFailed) as caught:
        apply(_Unreadable(fake, STEPS, repairs=True), in_flight=in_flight)
    assert caught.value.leftovers == (
        "could not read API api1 back to check it (GetThings failed: ServiceException: boom)",)


def test_a_created_id_fills_later_placeholders_and_the_undo() -> None:
    fake = api()
    steps = (Put("validator", "made", creates="v"),
             Put("a", "uses " + placeholder(KIND, "v"), before="0"))
    done = apply(rest_like(fake, steps=steps))
    created = done.created["v"]
    assert fake.fields["a"] == f"uses {created}" and created in fake.things

    again = api()
    again.fail["deploy"] = failure("CreateDeployment")
    with pytest.raises(ApplyFailed):
        apply(rest_like(again, steps=steps))
    assert again.things == set() and again.fields == {"a": "0", "c": "x"}


def _tick(ticks: Iterator[int]) -> float:
    return float(next(ticks))


def test_long_applies_say_how_long_is_left_on_both_kinds() -> None:
    steps = tuple(Put(f"f{n}", "v") for n in range(21))
    for backend in (rest_like(api(), steps=steps),
                    http_like(api(), steps=steps[:15], cleanup=steps[15:])):
        ticks, lines = itertools.count(), list[str]()
        apply(backend, lines.append, clock=functools.partial(_tick, ticks))
        writes = [line for line in lines if line.startswith("[")]
        assert "left)" not in writes[4]
        # Six clock readings for five finished writes; 16 to go.
        assert writes[5] == "[6/21] setting f5 (about 19 s left)"
        assert writes[15].startswith("[16/21] setting f15 (about")
