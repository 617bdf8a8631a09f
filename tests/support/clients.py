"""boto3 clients of the emulated account for every service an HTTP API change uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from asyncgw_sandbox.seed import Clients
from asyncgw_sandbox.seed_http import http_api_clients

from asyncgw.http.gateway import HttpGateway


@dataclass(frozen=True)
class HttpClients:
    """boto3 clients of the emulated account, as asyncgw's HTTP gateway uses them.

    They also serve asyncgw_sandbox.seed_http.seed_http_api (apigatewayv2 and base).
    """

    apigatewayv2: Any
    lambda_: Any
    iam: Any
    sts: Any
    base: Clients
    _detach: list[Callable[[], None]] = field(default_factory=list)

    def gateway(self) -> HttpGateway:
        """asyncgw's HTTP gateway on these (real, injectable) clients."""
        return HttpGateway(self.apigatewayv2, self.lambda_, self.iam, self.sts)

    def listen(self, client: Any, event: str, handler: Callable[..., Any],
               first: bool = False) -> None:
        """Register a botocore event handler until detach_all() (the clients outlive tests)."""
        events = client.meta.events
        (events.register_first if first else events.register)(event, handler)
        self._detach.append(lambda: events.unregister(event, handler))

    def detach_all(self) -> None:
        """Remove every handler listen() added."""
        while self._detach:
            self._detach.pop()()


def http_clients(base: Clients, endpoint_url: str | None = None) -> HttpClients:
    """Add apigatewayv2 and STS clients to the sandbox's clients (made with `endpoint_url`)."""
    session = boto3.session.Session(aws_access_key_id="testing",
                                    aws_secret_access_key="testing", region_name=base.region)
    return HttpClients(http_api_clients(base).apigatewayv2, base.lambda_, base.iam,
                       session.client("sts", endpoint_url=endpoint_url), base)
