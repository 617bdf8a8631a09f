"""Failures injected at the provisioning writes of real apigatewayv2, Lambda and IAM clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.faults import error_response

WRITES_BY_SERVICE = {
    "iam": ("CreateRole", "DeleteRole", "PutRolePolicy", "DeleteRolePolicy"),
    "lambda": ("CreateFunction", "DeleteFunction", "AddPermission", "RemovePermission"),
    "apigatewayv2": ("CreateIntegration", "DeleteIntegration", "UpdateRoute",
                     "CreateDeployment", "UpdateStage"),
}
WRITES = frozenset(op for ops in WRITES_BY_SERVICE.values() for op in ops)
SERVICES = {"apigatewayv2": "apigatewayv2", "lambda_": "lambda", "iam": "iam"}


@dataclass
class WriteFaults:
    """Fails the writes whose 1-based positions (counted over every client) are in `fail_at`."""

    fail_at: set[int]
    fault: str = "server-error"
    writes: list[str] = field(default_factory=list)

    def __call__(self, model: Any, **_: Any) -> Any:
        if model.name not in WRITES:
            return None
        self.writes.append(model.name)
        if len(self.writes) not in self.fail_at:
            return None
        if self.fault == "interrupt":
            raise KeyboardInterrupt
        if self.fault == "connection":
            from botocore.exceptions import ConnectionClosedError

            raise ConnectionClosedError(endpoint_url="https://lambda.us-east-1.amazonaws.com")
        return {
            "server-error": error_response(500, "ServiceException", "injected failure"),
            "throttled": error_response(429, "TooManyRequestsException", "Rate exceeded"),
            "denied": error_response(403, "AccessDeniedException", "not authorized"),
        }[self.fault]

    def reset(self, fail_at: set[int]) -> None:
        self.writes.clear()
        self.fail_at = fail_at


def inject(clients: Any, faults: WriteFaults) -> WriteFaults:
    """Attach the injector ahead of every other handler of the three clients' writes."""
    # botocore calls handlers of the most specific event name first: register per operation,
    # so that the injector also precedes the test shims (which answer single operations).
    for attribute, service in SERVICES.items():
        for operation in WRITES_BY_SERVICE[service]:
            clients.listen(getattr(clients, attribute), f"before-call.{service}.{operation}",
                           faults, first=True)
    return faults


def call_log(clients: Any) -> list[str]:
    """A list that collects the name of every call the three clients make from now on."""
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    for attribute, service in SERVICES.items():
        clients.listen(getattr(clients, attribute), f"before-call.{service}", count)
    return calls
