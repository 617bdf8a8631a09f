"""Fixtures for the export tests: the sample orders API as a snapshot, and its eligible methods."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import SeededApi

from asyncgw.rest.gateway import Gateway
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import ApiSnapshot, Method


@pytest.fixture
def snapshot(gateway: Gateway, orders: SeededApi) -> ApiSnapshot:
    """The orders API as asyncgw reads it from the emulated account."""
    return gateway.read(gateway.resolve(orders.api_id))


@pytest.fixture
def eligible(snapshot: ApiSnapshot) -> tuple[Method, ...]:
    """Every method `--all` would take: one in each state asyncgw tells apart."""
    return select(snapshot, [], True).methods
