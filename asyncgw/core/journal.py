"""The undo journal the apply loop keeps, deploying with it, and unwinding it after a failure."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NoReturn, Protocol

from asyncgw.core.errors import ApplyFailed, AsyncgwError, Interrupted, UndoFailed
from asyncgw.core.journal_file import JournalFile


@dataclass
class Journal:
    """Undo actions of the writes done so far, newest last, kept on disk too when `file` is."""

    file: JournalFile | None = None
    """The durable journal `asyncgw recover` reads if this process dies before the end."""
    entries: list[tuple[str, Callable[[], None]]] = field(default_factory=list)
    wrote: bool = False
    """True once any write was sent: a failed call may still have taken effect."""

    def sending(self, what: str) -> None:
        """Note a write about to be sent: from now on the API may differ from before."""
        self.wrote = True
        if self.file is not None:
            self.file.sending(what)

    def record(self, what: str, undo: Callable[[], None]) -> None:
        """Remember how to undo a write that succeeded (or may have)."""
        self.entries.append((what, undo))
        if self.file is not None:
            self.file.done(what)


class _Served(Protocol):
    @property
    def deployment_id(self) -> str | None: ...


class Deployer(Protocol):
    """What deploying needs of a gateway (REST and HTTP gateways both have it)."""

    def create_deployment(self, api_id: str, stage: str, description: str) -> str: ...

    def point_stage(self, api_id: str, stage: str, deployment_id: str) -> None: ...

    def stage(self, api_id: str, name: str) -> _Served: ...


def deploy(
    journal: Journal,
    gateway: Deployer,
    api_id: str,
    stage: str,
    previous: str | None,
    description: str,
) -> str:
    """Deploy a stage, journal pointing it back, and check it serves the new deployment."""

    def point_back() -> None:
        if previous:
            journal.record(f"point stage {stage} back at deployment {previous}",
                           lambda: gateway.point_stage(api_id, stage, previous))

    journal.sending(f"deploy stage {stage}")
    try:
        new_id = gateway.create_deployment(api_id, stage, description)
    except BaseException as failure:
        # A deployment whose answer was lost may still have moved the stage; one AWS refused
        # (a 4xx, such as a stage with a canary release) deployed nothing to point back from.
        if not (isinstance(failure, AsyncgwError) and failure.refused):
            point_back()
        raise
    point_back()
    served = gateway.stage(api_id, stage).deployment_id
    if served != new_id:
        raise ApplyFailed(f"stage {stage} serves deployment {served}, not the new {new_id}")
    return new_id


def unwind(
    journal: Journal,
    api_id: str,
    failure: BaseException,
    left_over: Callable[[], list[str]],
    progress: Callable[[str], None],
) -> NoReturn:
    """Undo every journaled write in reverse, check the read-back, and raise what happened.

    `left_over` reads the API back and lists what still differs from before (empty: as it was).
    """
    failed: list[str] = []
    with ignoring_interrupts():
        for what, undo in reversed(journal.entries):
            progress(f"undoing: {what}")
            try:
                undo()
            except AsyncgwError as error:
                failed.append(f"{what} (failed: {error.message})")
        left = left_over() if journal.wrote else []
    if failed and not left:
        failed = []  # The read-back shows the API as it was: the failed undo had nothing to do.
    cause = _cause(failure)
    if failed or left:
        raise UndoFailed(
            f"{cause}; undoing failed too, fix by hand: " + "; ".join(failed + left),
            failed + left,
        ) from failure
    count = len(journal.entries)
    undone = f"{count} change{'s' * (count != 1)} undone" if count else "nothing changed"
    if isinstance(failure, KeyboardInterrupt):
        raise Interrupted(f"interrupted; {undone}, API {api_id} is as it was") from None
    raise ApplyFailed(f"{cause}; {undone}, API {api_id} is as it was") from failure


def _cause(failure: BaseException) -> str:
    if isinstance(failure, KeyboardInterrupt):
        return "interrupted"
    if isinstance(failure, AsyncgwError):
        return failure.message
    return f"unexpected {type(failure).__name__}: {failure}"


@contextmanager
def ignoring_interrupts() -> Iterator[None]:
    """Let the undo finish even if Ctrl-C is pressed again."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
