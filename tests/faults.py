"""Failures injected into a real boto3 client through botocore's before-call event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WRITES = frozenset({
    "CreateRequestValidator", "DeleteRequestValidator", "UpdateMethod", "UpdateIntegration",
    "UpdateIntegrationResponse", "PutIntegration", "PutMethodResponse", "PutIntegrationResponse",
    "DeleteMethodResponse", "DeleteIntegrationResponse",
    "CreateDeployment", "UpdateStage",
})


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
    """Fails the write calls whose 1-based positions are in `fail_at`, counting every write."""

    fail_at: set[int]
    fault: str = "server-error"
    writes: list[str] = field(default_factory=list)
    watched: frozenset[str] = WRITES
    server_code: str = "InternalFailure"
    throttle_message: str = "Too Many Requests"
    endpoint: str = "https://apigateway.us-east-1.amazonaws.com"

    def __call__(self, model: Any, **_: Any) -> tuple[_Response, dict[str, Any]] | None:
        if model.name not in self.watched:
            return None
        self.writes.append(model.name)
        if len(self.writes) not in self.fail_at:
            return None
        if self.fault == "interrupt":
            raise KeyboardInterrupt
        if self.fault == "connection":
            from botocore.exceptions import ConnectionClosedError

            raise ConnectionClosedError(endpoint_url=self.endpoint)
        return {
            "server-error": error_response(500, self.server_code, "injected failure"),
            "throttled": error_response(429, "TooManyRequestsException", self.throttle_message),
            "denied": error_response(403, "AccessDeniedException", "not authorized"),
        }[self.fault]

    def reset(self, fail_at: set[int]) -> None:
        """Count from zero again and fail at these positions."""
        self.writes.clear()
        self.fail_at = fail_at


def inject(client: Any, injector: FaultInjector) -> FaultInjector:
    """Attach the injector to every API Gateway call of this client."""
    client.meta.events.register_first("before-call.api-gateway", injector)
    return injector
