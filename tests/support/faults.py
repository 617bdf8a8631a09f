"""Failures injected into real boto3 clients through botocore's call events, for both kinds of API.

One injector counts the writes it watches and fails those at chosen positions: with an AWS error
(server error, throttle, access denied), a dropped connection, a lost answer or a Ctrl-C.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from tests.support.clients import HttpClients

FAULTS = ("server-error", "throttled", "denied", "connection", "lost-answer", "interrupt")


@dataclass(frozen=True)
class WriteSet:
    """The write calls a change of one kind of API makes, and how its services word a failure."""

    operations: frozenset[str]
    server_code: str
    throttle_message: str
    endpoint: str


REST_WRITES = WriteSet(
    frozenset({
        "CreateRequestValidator", "DeleteRequestValidator", "UpdateMethod", "UpdateIntegration",
        "UpdateIntegrationResponse", "PutIntegration", "PutMethodResponse",
        "PutIntegrationResponse", "DeleteMethodResponse", "DeleteIntegrationResponse",
        "CreateDeployment", "UpdateStage",
    }),
    server_code="InternalFailure", throttle_message="Too Many Requests",
    endpoint="https://apigateway.us-east-1.amazonaws.com")

HTTP_WRITES = WriteSet(
    frozenset({
        "CreateRole", "DeleteRole", "PutRolePolicy", "DeleteRolePolicy",  # iam
        "CreateFunction", "DeleteFunction", "AddPermission", "RemovePermission",  # lambda
        "CreateIntegration", "DeleteIntegration", "UpdateRoute", "CreateDeployment",
        "UpdateStage",  # apigatewayv2
    }),
    server_code="ServiceException", throttle_message="Rate exceeded",
    endpoint="https://lambda.us-east-1.amazonaws.com")


@dataclass
class _Response:
    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    text: str = ""


def error_response(status: int, code: str, message: str) -> tuple[_Response, dict[str, Any]]:
    """What botocore would have parsed from an AWS error, ready to short-circuit a call."""
    parsed = {"Error": {"Code": code, "Message": message},
              "ResponseMetadata": {"HTTPStatusCode": status}}
    return _Response(status), parsed


@dataclass
class FaultInjector:
    """Fails the watched writes whose 1-based positions are in `fail_at`, counting every one.

    A lost answer lets the write reach the account and change it, then loses the answer on the
    way back (inject() attaches that half); every other fault stops the write before it is sent.
    Writes sent from several threads at once are counted one at a time, in the order they
    reach the injector; a lost answer is lost on the thread of the write it chose.
    """

    fail_at: set[int]
    fault: str = "server-error"
    kind: WriteSet = REST_WRITES
    watched: frozenset[str] | None = None  # these writes only; every write of `kind` by default
    writes: list[str] = field(default_factory=list)
    losing: set[tuple[str, int]] = field(default_factory=set)
    """The writes (operation, thread) whose answers are to be lost."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        assert self.fault in FAULTS, self.fault

    @property
    def operations(self) -> frozenset[str]:
        """The write calls this injector counts."""
        return self.kind.operations if self.watched is None else self.watched

    def __call__(self, model: Any, **_: Any) -> tuple[_Response, dict[str, Any]] | None:
        """botocore's before-call handler: count the write and fail it when its turn comes."""
        if model.name not in self.operations:
            return None
        with self._lock:
            self.writes.append(model.name)
            position = len(self.writes)
        if position not in self.fail_at:
            return None
        if self.fault == "lost-answer":
            with self._lock:
                self.losing.add((model.name, threading.get_ident()))
            return None
        if self.fault == "interrupt":
            raise KeyboardInterrupt
        if self.fault == "connection":
            raise ConnectionClosedError(endpoint_url=self.kind.endpoint)
        return {
            "server-error": error_response(500, self.kind.server_code, "injected failure"),
            "throttled": error_response(429, "TooManyRequestsException",
                                        self.kind.throttle_message),
            "denied": error_response(403, "AccessDeniedException", "not authorized"),
        }[self.fault]

    def lose_answer(self, model: Any, **_: Any) -> None:
        """botocore's after-call handler: the write took effect, and now its answer is lost."""
        with self._lock:
            lost = (model.name, threading.get_ident()) in self.losing
            self.losing.discard((model.name, threading.get_ident()))
        if lost:
            raise ReadTimeoutError(endpoint_url=self.kind.endpoint)

    def reset(self, fail_at: set[int]) -> None:
        """Count from zero again and fail at these positions."""
        with self._lock:
            self.writes.clear()
            self.fail_at = fail_at


Listen = Callable[[Any, str, Callable[..., Any], bool], None]


def inject(target: Any, injector: FaultInjector) -> FaultInjector:
    """Attach the injector ahead of every other handler of the watched writes of these clients.

    `target` is one boto3 client, or HttpClients for its apigatewayv2, Lambda and IAM clients.
    """
    # botocore calls handlers of the most specific event name first: register per operation,
    # so that the injector also precedes any handler registered for a single operation.
    for client, listen in _listeners(target):
        service = _event_name(client)
        names = injector.operations & set(client.meta.service_model.operation_names)
        for operation in sorted(names):
            listen(client, f"before-call.{service}.{operation}", injector, True)
            listen(client, f"after-call.{service}.{operation}", injector.lose_answer, True)
    return injector


def call_log(target: Any) -> list[str]:
    """A list that collects the name of every call the client(s) make from now on."""
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    for client, listen in _listeners(target):
        listen(client, f"before-call.{_event_name(client)}", count, False)
    return calls


def _listeners(target: Any) -> list[tuple[Any, Listen]]:
    # HttpClients outlive a test, so their handlers go through listen() to be detached after it.
    if isinstance(target, HttpClients):
        return [(client, target.listen)
                for client in (target.apigatewayv2, target.lambda_, target.iam)]
    return [(target, _register)]


def _register(client: Any, event: str, handler: Callable[..., Any], first: bool) -> None:
    events = client.meta.events
    (events.register_first if first else events.register)(event, handler)


def _event_name(client: Any) -> str:
    """The service's part of botocore's event names: 'api-gateway', 'apigatewayv2', 'lambda'."""
    return str(client.meta.service_model.service_id.hyphenize())


@dataclass
class Refuse:
    """Answers the first `times` calls of `operation` with an error, as botocore parses it."""

    operation: str
    times: int
    status: int = 429
    code: str = "TooManyRequestsException"
    headers: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    """The error's message; 'injected CODE' when None."""
    seen: int = 0

    def __call__(self, model: Any, **_: Any) -> tuple[_Response, dict[str, Any]] | None:
        if model.name != self.operation or self.seen >= self.times:
            return None
        self.seen += 1
        message = self.message if self.message is not None else f"injected {self.code}"
        parsed = {"Error": {"Code": self.code, "Message": message},
                  "ResponseMetadata": {"HTTPStatusCode": self.status,
                                       "HTTPHeaders": self.headers}}
        return _Response(self.status, self.headers), parsed

