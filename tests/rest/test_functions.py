"""Function references in integration URIs: qualifiers and stage variables."""

from __future__ import annotations

import pytest

from asyncgw.rest.functions import resolvable, resolve, split_qualifier, stage_variables

BASE = "arn:aws:lambda:us-east-1:123456789012:function:"


def test_an_alias_qualified_arn_splits_into_function_and_qualifier() -> None:
    assert split_qualifier(f"{BASE}orders:live") == (f"{BASE}orders", "live")
    assert split_qualifier(f"{BASE}orders") == (f"{BASE}orders", None)


@pytest.mark.parametrize(("variables", "resolved"), [
    ({"Fn": "orders"}, f"{BASE}orders"),
    ({"Fn": "orders:live"}, f"{BASE}orders:live"),
    ({"Other": "x"}, None),
    ({}, None),
])
def test_a_stage_variable_resolves_with_a_stages_variables(variables, resolved) -> None:
    function = BASE + "${stageVariables.Fn}"
    assert not resolvable(function)
    assert stage_variables(function) == ["Fn"]
    assert resolve(function, variables) == resolved


def test_every_stage_variable_of_an_expression_must_be_set() -> None:
    function = BASE + "${stageVariables.Prefix}-${stageVariables.Fn}"
    assert stage_variables(function) == ["Prefix", "Fn"]
    assert resolve(function, {"Fn": "orders"}) is None
    assert resolve(function, {"Fn": "orders", "Prefix": "prod"}) == f"{BASE}prod-orders"
