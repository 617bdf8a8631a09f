"""Network latency for the emulated account: every answer comes `milliseconds` late.

Real API Gateway control-plane calls take on the order of 100-300 ms [UNVERIFIED: the figure
issue #17 works from]; the emulated account answers in a few. The delay is added to each answer
on the thread serving that request, after moto has handled it and outside any lock, so calls
sent together stay together, as they do over a real network. One setting per process, like the
throttle: the in-process mock and a server thread share it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Sleep = Callable[[float], None]
_RESET_PATH = "/moto-api/"  # the sandbox's own controls (reset) are answered at once


class Latency:
    """How late every answer of the emulated account comes, in seconds."""

    def __init__(self, sleep: Sleep = time.sleep) -> None:
        self.seconds = 0.0
        self.sleep = sleep

    def wait(self) -> None:
        """Hold the calling thread (the one answering a request) for the latency."""
        if self.seconds > 0:
            self.sleep(self.seconds)


LATENCY = Latency()
_lock = threading.Lock()
_installed = False


def set_latency(milliseconds: float) -> None:
    """Delay every answer by `milliseconds` from now on (0: answer at once)."""
    if milliseconds < 0:
        raise ValueError(f"latency must be 0 or more milliseconds, not {milliseconds:g}")
    _install()
    LATENCY.seconds = milliseconds / 1000


@contextmanager
def latency(milliseconds: float) -> Iterator[Latency]:
    """Delay every answer by `milliseconds` for the duration of the block."""
    set_latency(milliseconds)
    try:
        yield LATENCY
    finally:
        LATENCY.seconds = 0.0


def _install() -> None:
    """Wrap the two places every request passes: the in-process mock and the HTTP server."""
    global _installed
    with _lock:
        if _installed:
            return
        from moto.core.botocore_stubber import BotocoreStubber
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication

        # Patched in place, as asyncgw_sandbox.install does.
        stubber: Any = BotocoreStubber
        stubber.process_request = _late(stubber.process_request)
        dispatcher: Any = DomainDispatcherApplication
        dispatcher.__call__ = _late_wsgi(dispatcher.__call__)
        _installed = True


def _late(process_request: Callable[..., Any]) -> Callable[..., Any]:
    def process_request_late(self: Any, request: Any) -> Any:
        answer = process_request(self, request)
        if answer is not None:  # None: a request the mock lets through, not its answer
            LATENCY.wait()
        return answer

    return process_request_late


def _late_wsgi(call: Callable[..., Any]) -> Callable[..., Any]:
    def call_late(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        answer = call(self, environ, start_response)
        # werkzeug sends the status line with the first bytes of the body, after this returns.
        if not str(environ.get("PATH_INFO", "")).startswith(_RESET_PATH):
            LATENCY.wait()
        return answer

    return call_late
