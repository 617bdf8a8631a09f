"""Every field asyncgw reads from an AWS answer takes whatever botocore's model lets AWS send
there, under the name AWS sends it."""

from __future__ import annotations

import types
from datetime import datetime
from typing import Any, Union, get_args, get_origin

import botocore.session
import pytest
from botocore.model import Shape
from pydantic import BaseModel

from asyncgw.http import role_answers
from asyncgw.http import snapshot as http_models
from asyncgw.rest import functions
from asyncgw.rest import snapshot as models

_SERVICES = botocore.session.get_session()


def _shape(service: str, name: str) -> Shape:
    return _SERVICES.get_service_model(service).shape_for(name)


READ_MODELS: list[tuple[type[BaseModel], str, str]] = [
    (models.RestApi, "apigateway", "RestApi"),
    (models.Method, "apigateway", "Method"),
    (models.Integration, "apigateway", "Integration"),
    (models.IntegrationResponse, "apigateway", "IntegrationResponse"),
    (models.MethodResponse, "apigateway", "MethodResponse"),
    (models.Validator, "apigateway", "RequestValidator"),
    (models.Stage, "apigateway", "Stage"),
    (http_models.HttpApi, "apigatewayv2", "GetApiResponse"),
    (http_models.Route, "apigatewayv2", "Route"),
    (http_models.Integration, "apigatewayv2", "Integration"),
    (http_models.Stage, "apigatewayv2", "Stage"),
    (http_models._FunctionAnswer, "lambda", "GetFunctionResponse"),
    (functions._Settings, "lambda", "FunctionConfiguration"),
    (functions._Concurrency, "lambda", "GetFunctionConcurrencyResponse"),
    (functions._EventInvokeConfig, "lambda", "FunctionEventInvokeConfig"),
    (role_answers.RoleAnswer, "iam", "GetRoleResponse"),
    (role_answers.AttachedPolicy, "iam", "AttachedPolicy"),
]
"""Each model asyncgw validates AWS answers with, and the botocore shape of those answers."""

FROM_ELSEWHERE = {(models.Method, "resourceId"), (models.Method, "path")}
"""Fields filled from around the shape: a method's resource id and path come from its Resource."""

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "long": (int,), "boolean": (bool,),
    "double": (float,), "float": (float,), "timestamp": (datetime,), "blob": (bytes,),
}


def narrower(annotation: Any, shape: Shape, seen: set[str]) -> str | None:
    """Why `annotation` refuses some value botocore allows for `shape`, or None if it does not."""
    if annotation in (Any, object):
        return None
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        reasons = [narrower(arm, shape, seen) for arm in get_args(annotation)
                   if arm is not type(None)]
        return None if any(r is None for r in reasons) else " and ".join(
            r for r in reasons if r)
    kind = shape.type_name
    if kind in _SCALARS:
        return None if annotation in _SCALARS[kind] else f"{annotation} for botocore type {kind}"
    return _container(annotation, shape, seen)


def _container(annotation: Any, shape: Shape, seen: set[str]) -> str | None:
    kind, origin, args = shape.type_name, get_origin(annotation), get_args(annotation)
    if kind == "list":
        if origin not in (list, tuple) or not args:
            return f"{annotation} for botocore type list"
        return narrower(args[0], shape.member, seen)
    if kind == "map":
        if origin is not dict:
            return f"{annotation} for botocore type map"
        return narrower(args[0], shape.key, seen) or narrower(args[1], shape.value, seen)
    if kind == "structure":
        if origin is dict:
            return None if args[1] in (Any, object) else (
                f"{annotation} for botocore type structure")
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return "; ".join(model_problems(annotation, shape, seen)) or None
        return f"{annotation} for botocore type structure"
    return f"no rule for botocore type {kind}"


def model_problems(model: type[BaseModel], shape: Shape, seen: set[str]) -> list[str]:
    """Fields of `model` narrower than `shape`'s members, or named as no member of it."""
    if model.__name__ in seen:
        return []
    seen = seen | {model.__name__}
    problems = []
    for name, field in model.model_fields.items():
        wire = field.alias or name
        if (model, wire) in FROM_ELSEWHERE:
            continue
        member = shape.members.get(wire)
        if member is None:
            problems.append(f"{model.__name__}.{name}: AWS sends no {wire} in {shape.name}")
            continue
        reason = narrower(field.annotation, member, seen)
        if reason:
            problems.append(f"{model.__name__}.{name} ({wire}): {reason}")
    return problems


@pytest.mark.parametrize(("model", "service", "shape"), READ_MODELS,
                         ids=[f"{m.__name__}-{s}" for m, _, s in READ_MODELS])
def test_fields_take_every_value_botocore_allows(model: type[BaseModel], service: str,
                                                 shape: str) -> None:
    assert model_problems(model, _shape(service, shape), set()) == []


def test_a_narrowed_field_is_caught() -> None:
    class Narrow(BaseModel):
        endpointConfiguration: dict[str, list[str]]

    assert model_problems(Narrow, _shape("apigateway", "RestApi"), set()) == [
        "Narrow.endpointConfiguration (endpointConfiguration): "
        "dict[str, list[str]] for botocore type structure"]


def test_a_misspelt_field_is_caught() -> None:
    class Misspelt(BaseModel):
        ipAdressType: str

    assert model_problems(Misspelt, _shape("apigateway", "EndpointConfiguration"), set()) == [
        "Misspelt.ipAdressType: AWS sends no ipAdressType in EndpointConfiguration"]
