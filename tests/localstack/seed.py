"""The sample orders API on LocalStack, and a copy without ANY, which LocalStack cannot export."""

from __future__ import annotations

from dataclasses import replace

from asyncgw_sandbox.seed import (
    ORDERS_METHODS,
    ORDERS_VALIDATORS,
    SeededApi,
    clients,
    seed_orders_api,
    seed_rest_api,
)

from tests.localstack.runtime import LocalStack

# LocalStack 2026.3.0 answers GetExport of any API with an ANY method with 500 "One or more HTTP
# methods are invalid: any"; AWS exports it as x-amazon-apigateway-any-method [DOC]. Without ANY,
# LocalStack's export tells what each stage serves.
ORDERS_WITHOUT_ANY = tuple(replace(m, verb="POST") if m.verb == "ANY" else m
                           for m in ORDERS_METHODS)


def orders(localstack: LocalStack) -> SeededApi:
    """The sandbox's sample API, `orders`, created on LocalStack and deployed to dev and prod."""
    return seed_orders_api(clients("us-east-1", localstack.endpoint_url), figures=False)


def orders_without_any(localstack: LocalStack, name: str) -> SeededApi:
    """The same API with POST instead of ANY on /webhooks, so that GetExport works."""
    return seed_rest_api(clients("us-east-1", localstack.endpoint_url), name,
                         ORDERS_WITHOUT_ANY, ORDERS_VALIDATORS, stages=("dev", "prod"))
