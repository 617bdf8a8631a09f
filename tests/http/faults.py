"""Failures injected at the provisioning writes of real apigatewayv2, Lambda and IAM clients."""

from __future__ import annotations

from typing import Any

from tests.faults import FaultInjector

WRITES_BY_SERVICE = {
    "iam": ("CreateRole", "DeleteRole", "PutRolePolicy", "DeleteRolePolicy"),
    "lambda": ("CreateFunction", "DeleteFunction", "AddPermission", "RemovePermission"),
    "apigatewayv2": ("CreateIntegration", "DeleteIntegration", "UpdateRoute",
                     "CreateDeployment", "UpdateStage"),
}
WRITES = frozenset(op for ops in WRITES_BY_SERVICE.values() for op in ops)
SERVICES = {"apigatewayv2": "apigatewayv2", "lambda_": "lambda", "iam": "iam"}


def write_faults(fail_at: set[int], fault: str = "server-error") -> FaultInjector:
    """A FaultInjector over the provisioning writes of apigatewayv2, Lambda and IAM."""
    return FaultInjector(fail_at, fault, watched=WRITES, server_code="ServiceException",
                         throttle_message="Rate exceeded",
                         endpoint="https://lambda.us-east-1.amazonaws.com")


def inject(clients: Any, faults: FaultInjector) -> FaultInjector:
    """Attach the injector ahead of every other handler of the three clients' writes."""
    # botocore calls handlers of the most specific event name first: register per operation,
    # so that the injector also precedes any handler registered for a single operation.
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
