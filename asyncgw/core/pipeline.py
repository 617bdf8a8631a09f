"""Up to N writes in flight on worker threads, lanes and phases kept, journaled on this thread."""

from __future__ import annotations

import heapq
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from types import FrameType
from typing import Generic

from asyncgw.core.bindings import Bindings
from asyncgw.core.journal import Journal
from asyncgw.core.writer import Lane, Progress, SnapshotT, StepT, Writer

POLL_SECONDS = 0.1
"""How long the calling thread waits for an answer at a time, so that it sees Ctrl-C soon."""


@dataclass(frozen=True)
class _Answer(Generic[StepT]):
    """What a worker reports of one write: its acknowledgment, a failure, or that it is over."""

    lane: str
    step: StepT
    created: Mapping[str, str] | None = None
    """The ids the write created, once AWS acknowledged it; None for the other reports."""
    failure: BaseException | None = None
    over: bool = False
    """The write (and its settling) is done: its lane and its place in flight are free."""


class _Lanes(Generic[StepT]):
    """The writes of one phase by lane; the next to send is the earliest whose lane is free."""

    def __init__(self, steps: Sequence[tuple[Lane, StepT]]) -> None:
        self._queues: dict[str, deque[tuple[int, StepT]]] = {}
        for index, (lane, step) in enumerate(steps):
            self._queues.setdefault(lane.name, deque()).append((index, step))
        self._free = [(waiting[0][0], name) for name, waiting in self._queues.items()]
        heapq.heapify(self._free)
        self.left = len(steps)

    def take(self) -> tuple[str, StepT] | None:
        """The next write to send, its lane now busy; None while every lane left is busy."""
        if not self._free:
            return None
        _, name = heapq.heappop(self._free)
        _, step = self._queues[name].popleft()
        self.left -= 1
        return name, step

    def release(self, name: str) -> None:
        """A write of this lane is over: its next write may be sent."""
        waiting = self._queues.get(name)
        if waiting:
            heapq.heappush(self._free, (waiting[0][0], name))


class _Interrupts:
    """Ctrl-C pressed while writes are in flight, held until this thread can act on it."""

    def __init__(self) -> None:
        self.pressed = False

    def hold(self, _signum: int, _frame: FrameType | None) -> None:
        """The SIGINT handler: remember the press."""
        self.pressed = True

    def check(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C was pressed since the writes began."""
        if self.pressed:
            self.pressed = False
            raise KeyboardInterrupt


@contextmanager
def _held_interrupts() -> Iterator[_Interrupts]:
    """Hold Ctrl-C while writes are in flight, so that no answer taken is left unjournaled.

    Only Python's own handler is replaced, and only on the main thread (where signals arrive);
    a press not yet acted on when the writes end is raised then.
    """
    held = _Interrupts()
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield held
        return
    signal.signal(signal.SIGINT, held.hold)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    held.check()


class Pipeline(Generic[StepT, SnapshotT]):
    """Sends a backend's writes, up to `in_flight` at once, and journals each acknowledgment.

    Progress lines, the journal and the bindings are written on the calling thread only; the
    workers make the calls (`run`, then `settle`) and report back through one queue, in the
    order the answers arrive.
    """

    def __init__(self, backend: Writer[StepT, SnapshotT], journal: Journal, bindings: Bindings,
                 line: Callable[[str], str], progress: Progress, in_flight: int) -> None:
        if in_flight < 1:
            raise ValueError(f"in_flight must be at least 1, not {in_flight}")
        self._backend, self._journal, self._bindings = backend, journal, bindings
        self._line, self._progress, self._limit = line, progress, in_flight
        self._answers: queue.SimpleQueue[_Answer[StepT]] = queue.SimpleQueue()
        self._sent = 0
        """Writes sent and not over yet."""

    def write(self, steps: Sequence[StepT]) -> None:
        """Make the writes, phase by phase; on the first failure or Ctrl-C stop sending, await
        the writes in flight (journaling those acknowledged), and raise it."""
        if not steps:
            return
        lanes = [(self._backend.lane(step), step) for step in steps]
        with _held_interrupts() as interrupts, ThreadPoolExecutor(
                max_workers=min(self._limit, len(steps)),
                thread_name_prefix="asyncgw-write") as pool:
            try:
                for _, phase in groupby(lanes, key=lambda pair: pair[0].phase):
                    self._write_phase(_Lanes(list(phase)), pool, interrupts)
            except BaseException:
                self._drain()
                raise

    def _write_phase(self, lanes: _Lanes[StepT], pool: ThreadPoolExecutor,
                     interrupts: _Interrupts) -> None:
        """Send the phase's writes as lanes and the limit allow; return once all are over."""
        while lanes.left or self._sent:
            while self._sent < self._limit and (ready := lanes.take()) is not None:
                interrupts.check()
                self._send(*ready, pool)
            answer = self._next_answer(interrupts)
            self._take(answer)
            if answer.over:
                lanes.release(answer.lane)
            if answer.failure is not None:
                raise answer.failure

    def _send(self, lane: str, step: StepT, pool: ThreadPoolExecutor) -> None:
        self._progress(self._line(self._backend.describe(step)))
        self._journal.wrote = True
        self._sent += 1
        pool.submit(self._work, lane, step)

    def _work(self, lane: str, step: StepT) -> None:
        """On a worker: make the write, hand its answer over, then settle it."""
        try:
            created = self._backend.run(step, self._bindings)
        except BaseException as failure:  # handed to the calling thread, which unwinds
            self._answers.put(_Answer(lane, step, failure=failure, over=True))
            return
        self._answers.put(_Answer(lane, step, created=created))
        try:
            self._backend.settle(step)
        except BaseException as failure:
            self._answers.put(_Answer(lane, step, failure=failure, over=True))
            return
        self._answers.put(_Answer(lane, step, over=True))

    def _next_answer(self, interrupts: _Interrupts) -> _Answer[StepT]:
        while True:
            interrupts.check()
            try:
                return self._answers.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue

    def _take(self, answer: _Answer[StepT]) -> None:
        """Journal an acknowledged write's undo; count a write that is over."""
        if answer.over:
            self._sent -= 1
        if answer.created is None:
            return
        backend, bindings, step = self._backend, self._bindings, answer.step
        bindings.create(answer.created)

        def undo() -> None:
            bindings.rebind(backend.undo(step, bindings))

        self._journal.record(backend.undo_text(step, bindings), undo)

    def _drain(self) -> None:
        """Await every write in flight, journaling each acknowledgment; later failures are
        dropped (the first one is raised, and the read-back after the undo finds the rest)."""
        while self._sent:
            try:
                self._take(self._answers.get())
            except BaseException:  # Ctrl-C where it is not held, or a failed record: keep
                continue  # awaiting; the read-back after the undo finds what was missed
