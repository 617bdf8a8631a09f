"""The CDK exports parse (Python by ast, TypeScript structurally) and carry the exact values."""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest

from asyncgw.core.modes import Mode
from asyncgw.export import export
from asyncgw.rest.modes import EVENT, INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.snapshot import ApiSnapshot, Method
from tests.export.edge_cases import awkward

MODES = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)
PAIRS = {")": "(", "]": "[", "}": "{"}
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == name]


def keyword(call: ast.Call, name: str) -> Any:
    return next(ast.literal_eval(k.value) for k in call.keywords if k.arg == name)


def typescript_statements(text: str) -> list[str]:
    """Top-level statements of generated TypeScript, after checking brackets balance."""
    code = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    bare = STRING.sub('""', code)
    stack: list[str] = []
    statements, start = [], 0
    for index, char in enumerate(bare):
        if char in "([{":
            stack.append(char)
        elif char in PAIRS:
            assert stack and stack.pop() == PAIRS[char], f"unbalanced {char!r} at {index}"
        elif char == ";" and not stack:
            statements.append(bare[start:index].strip())
            start = index + 1
    assert not stack and not bare[start:].strip(), "unterminated statement"
    return statements


@pytest.mark.parametrize("mode", MODES)
def test_python_parses_and_every_integration_is_non_proxy(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...], mode: Mode
) -> None:
    tree = ast.parse(export(snapshot, eligible, mode, "cdk-python"))
    integrations = calls(tree, "LambdaIntegration")
    assert len(integrations) == len(eligible)
    assert {keyword(c, "proxy") for c in integrations} == {False}
    assert len(calls(tree, "add_method")) == len(eligible)


def test_python_switchable_values(snapshot: ApiSnapshot, eligible: tuple[Method, ...]) -> None:
    tree = ast.parse(export(snapshot, eligible, Mode.SWITCHABLE, "cdk-python"))
    for integration in calls(tree, "LambdaIntegration"):
        assert keyword(integration, "request_parameters")[INVOCATION_TYPE_MAPPING] == (
            SELECTOR_PARAMETER)
    for method in calls(tree, "add_method"):
        assert keyword(method, "request_parameters")[SELECTOR_PARAMETER] is True
        validator = next(k.value for k in method.keywords if k.arg == "request_validator")
        assert isinstance(validator, ast.Name)
    validators = calls(tree, "add_request_validator")
    assert {keyword(v, "request_validator_name") for v in validators} == {
        "Validate query string parameters and headers",
        "Validate body, query string parameters, and headers"}
    assert {keyword(v, "validate_request_parameters") for v in validators} == {True}


def test_python_async_maps_the_quoted_event() -> None:
    api = awkward()
    tree = ast.parse(export(api, api.methods, Mode.ASYNC, "cdk-python"))
    for integration in calls(tree, "LambdaIntegration"):
        assert keyword(integration, "request_parameters")[INVOCATION_TYPE_MAPPING] == EVENT


@pytest.mark.parametrize("mode", MODES)
def test_typescript_is_balanced_and_shaped_like_cdk(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...], mode: Mode
) -> None:
    text = export(snapshot, eligible, mode, "cdk-typescript")
    statements = typescript_statements(text)
    assert statements[:2] == ['import * as apigateway from ""', 'import * as lambda from ""']
    adds = [s for s in statements if ".addMethod(" in s]
    assert len(adds) == len(eligible)
    assert all("new apigateway.LambdaIntegration(" in s and "proxy: false" in s for s in adds)


def test_typescript_exact_values(snapshot: ApiSnapshot, eligible: tuple[Method, ...]) -> None:
    switchable = export(snapshot, eligible, Mode.SWITCHABLE, "cdk-typescript")
    assert f'"{INVOCATION_TYPE_MAPPING}": "{SELECTOR_PARAMETER}"' in switchable
    assert f'"{SELECTOR_PARAMETER}": true' in switchable
    assert "requestValidator: validateQueryStringParametersAndHeadersValidator" in switchable
    assert "validateRequestParameters: true" in switchable
    asynchronous = export(snapshot, eligible, Mode.ASYNC, "cdk-typescript")
    assert f'"{INVOCATION_TYPE_MAPPING}": "{EVENT}"' in asynchronous
    code = "\n".join(line for line in asynchronous.splitlines() if not line.startswith("//"))
    refund = code.split('resourceForPath("/orders/{id}/refund")')[1].split(";\n")[0]
    assert '"method.request.path.id": true' in refund
    assert SELECTOR_PARAMETER not in refund
