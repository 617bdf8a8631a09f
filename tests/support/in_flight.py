"""Watching writes in flight through a real boto3 client: when each is sent and answered, and
how many are out at once; optionally holding some in flight a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.clients import HttpClients

KEY = "asyncgw-test-write"
"""Where a watched call's label waits in botocore's per-call context, from parameters to answer."""
SENT = "asyncgw-test-sent"


@dataclass
class Flight:
    """A log of ('sent' | 'answered', label) for the watched calls, and the most out at once.

    A label is the operation with the parameters named in `keys`, such as
    'UpdateMethod GET abc123'. Calls whose operation is in `slow` stay in flight that long.
    """

    operations: frozenset[str]
    keys: tuple[str, ...] = ()
    hold: float = 0.0
    """Seconds every watched call stays in flight (so that several overlap)."""
    slow: dict[str, float] = field(default_factory=dict)
    """Operation -> seconds its calls stay in flight, instead of `hold`."""
    log: list[tuple[str, str]] = field(default_factory=list)
    most: int = 0
    _out: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def label(self, model: Any, params: dict[str, Any], context: dict[str, Any],
              **_: Any) -> None:
        """before-parameter-build: name the call by its operation and parameters."""
        if model.name in self.operations:
            context[KEY] = " ".join([model.name, *(str(params.get(k)) for k in self.keys
                                                  if k in params)])

    def sent(self, context: dict[str, Any], model: Any, **_: Any) -> None:
        """before-call: the call goes out (after any fault injected ahead of it)."""
        if KEY not in context:
            return
        context[SENT] = True
        with self._lock:
            self._out += 1
            self.most = max(self.most, self._out)
            self.log.append(("sent", context[KEY]))
        time.sleep(self.slow.get(model.name, self.hold))

    def answered(self, context: dict[str, Any], **_: Any) -> None:
        """after-call: its answer is back (a fault answered in its place was never sent)."""
        if not context.get(SENT):
            return
        with self._lock:
            self._out -= 1
            self.log.append(("answered", context[KEY]))

    def order(self, what: str) -> list[str]:
        """The labels in the order they were sent (or answered)."""
        return [label for event, label in self.log if event == what]

    def index(self, what: str, label: str) -> int:
        """Where in the log a call was sent or answered."""
        return self.log.index((what, label))


def watch(client: Any, flight: Flight) -> Flight:
    """Attach the watcher to a client, after any handler already registered (faults first)."""
    _attach(client, flight, lambda c, event, handler: c.meta.events.register(event, handler))
    return flight


def watch_http(http: HttpClients, flight: Flight) -> Flight:
    """Attach the watcher to the apigatewayv2, Lambda and IAM clients, until the test ends."""
    for client in (http.apigatewayv2, http.lambda_, http.iam):
        _attach(client, flight, http.listen)
    return flight


def _attach(client: Any, flight: Flight, listen: Callable[[Any, str, Callable[..., Any]], None]
            ) -> None:
    service = str(client.meta.service_model.service_id.hyphenize())
    listen(client, f"before-parameter-build.{service}", flight.label)
    listen(client, f"before-call.{service}", flight.sent)
    listen(client, f"after-call.{service}", flight.answered)
