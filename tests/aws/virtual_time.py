"""Virtual time shared by several threads: it moves on only once every thread is asleep."""

from __future__ import annotations

import heapq
import threading
import time as wall_time
from collections.abc import Callable, Sequence


class VirtualTime:
    """A clock and a sleep for `workers` threads, costing no wall time.

    The clock stands still while any thread runs; when every thread sleeps (or has finished),
    it jumps to the earliest wake-up and wakes the threads due then. What a thread reads from
    the clock between two sleeps is therefore the instant it acted, however the OS schedules it.
    """

    def __init__(self, workers: int) -> None:
        self.now = 0.0
        self._running = workers
        self._due: list[float] = []
        self._changed = threading.Condition()

    def clock(self) -> float:
        """The current virtual time; lets other threads run first, so races show."""
        with self._changed:
            now = self.now
        wall_time.sleep(0)  # gives up the GIL: whatever the caller does next may interleave
        return now

    def sleep(self, seconds: float) -> None:
        """Block the calling thread until the virtual clock has moved on `seconds`."""
        assert seconds >= 0
        with self._changed:
            wake = self.now + seconds
            heapq.heappush(self._due, wake)
            self._running -= 1
            self._advance_if_idle()
            self._changed.wait_for(lambda: self.now >= wake)

    def done(self) -> None:
        """The calling thread has finished: time no longer waits for it."""
        with self._changed:
            self._running -= 1
            self._advance_if_idle()

    def _advance_if_idle(self) -> None:
        if self._running > 0 or not self._due:
            return
        self.now = max(self.now, self._due[0])
        while self._due and self._due[0] <= self.now:
            heapq.heappop(self._due)
            self._running += 1
        self._changed.notify_all()


def run_threads(time: VirtualTime, work: Sequence[Callable[[], None]]) -> None:
    """Run each of `work` on a thread of its own under `time`, and wait for all of them."""
    failures: list[BaseException] = []

    def worker(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # re-raised on the test's thread below
            failures.append(error)
        finally:
            time.done()

    threads = [threading.Thread(target=worker, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a worker never finished"
    if failures:
        raise failures[0]
