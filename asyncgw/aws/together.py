"""Independent AWS reads sent together, a few at a time, answered as if sent one by one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar, cast, overload

T = TypeVar("T")


def together(reads: Sequence[Callable[[], T]], in_flight: int) -> list[T]:
    """Each of `reads`' results, in order, with at most `in_flight` of them running at once.

    The first read to fail, in the order given, is the one raised, as if they had run one
    after another; the others are awaited first, so that none is left running. With
    `in_flight` 1 (or one read) they do run one after another, on the calling thread.
    """
    if in_flight <= 1 or len(reads) <= 1:
        return [read() for read in reads]
    # Every read's calls still draw on the one pacer, which is what keeps them within the
    # quotas; the threads only let the network's latency overlap.
    pool = ThreadPoolExecutor(max_workers=min(in_flight, len(reads)),
                              thread_name_prefix="asyncgw-read")
    futures: list[Future[T]] = []
    try:
        futures = [pool.submit(read) for read in reads]
        wait(futures)
    finally:
        # On Ctrl-C the reads not started yet are dropped; those running are awaited.
        pool.shutdown(wait=True, cancel_futures=True)
    return [future.result() for future in futures]


A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


@overload
def each(in_flight: int, first: Callable[[], A], second: Callable[[], B], /) -> tuple[A, B]:
    ...


@overload
def each(in_flight: int, first: Callable[[], A], second: Callable[[], B],
         third: Callable[[], C], /) -> tuple[A, B, C]:
    ...


def each(in_flight: int, *reads: Callable[[], object]) -> tuple[object, ...]:
    """`together` for a few reads of different types: their results as a tuple, in order."""
    return tuple(together(reads, in_flight))


def together_with(in_flight: int, reads: Sequence[Callable[[], A]],
                  last: Callable[[], B] | None) -> tuple[list[A], B | None]:
    """`together` for `reads` and, after them in order, one `last` read of another type."""
    mixed: list[Callable[[], object]] = [*reads, *([last] if last is not None else [])]
    done = together(mixed, in_flight)
    # The first len(reads) results come from `reads`, the one after them from `last`.
    firsts = cast(list[A], done[:len(reads)])
    return firsts, (cast(B, done[-1]) if last is not None else None)
