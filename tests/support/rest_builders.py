"""Small builders of REST API snapshots for the pure tests: plain values in, models out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from asyncgw.rest.modes import EVENT, INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.plan import PatchOp
from asyncgw.rest.snapshot import ApiSnapshot, Integration, Method, RestApi, Stage, Validator
from tests.support.account import REGION, arn

FUNCTION_ARN = arn("orders")
LAMBDA_URI = (
    f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations"
)
PARAMS = Validator(id="v-par", name="Validate query string parameters and headers",
                   validate_request_parameters=True)
BODY = Validator(id="v-body", name="Validate body", validate_request_body=True)
BOTH = Validator(id="v-both", name="everything", validate_request_body=True,
                 validate_request_parameters=True)


def lambda_integration(
    mapping: str | None = None, type_: str = "AWS", **extra: str
) -> Integration:
    """A Lambda integration, optionally mapping X-Amz-Invocation-Type."""
    params = dict(extra)
    if mapping is not None:
        params[INVOCATION_TYPE_MAPPING] = mapping
    return Integration(type=type_, uri=LAMBDA_URI, http_method="POST", request_parameters=params)


def method(
    key: str = "POST /orders",
    integration: Integration | None = None,
    params: Mapping[str, bool] | None = None,
    validator: str | None = None,
) -> Method:
    """A method from 'VERB /path'; a plain sync Lambda integration unless told otherwise."""
    verb, path = key.split()
    return Method(
        resource_id=f"r{abs(hash(path)) % 10**6}",
        path=path,
        http_method=verb,
        request_parameters=dict(params or {}),
        request_validator_id=validator,
        integration=integration if integration is not None else lambda_integration(),
    )


def switchable(key: str = "POST /orders", validator: str = "v-par") -> Method:
    """A fully switchable method."""
    return method(key, lambda_integration(SELECTOR_PARAMETER), {SELECTOR_PARAMETER: True},
                  validator)


def asynchronous(key: str = "POST /orders") -> Method:
    """An always-async method."""
    return method(key, lambda_integration(EVENT))


def snapshot(
    methods: Sequence[Method],
    validators: Sequence[Validator] = (PARAMS, BODY),
    stages: Sequence[Stage] = (Stage(stage_name="prod", deployment_id="d1"),),
    tags: Mapping[str, str] | None = None,
) -> ApiSnapshot:
    """A snapshot of an API named 'orders'."""
    return ApiSnapshot(
        api=RestApi(id="abcde12345", name="orders", tags=dict(tags or {})),
        region=REGION,
        methods=tuple(sorted(methods, key=lambda m: (m.path, m.http_method))),
        validators=tuple(validators),
        stages=tuple(stages),
    )


def _apply_map(current: dict[str, object], key: str, op: PatchOp, as_bool: bool) -> None:
    if op.op == "remove":
        assert key in current, f"remove of missing {key}"
        del current[key]
        return
    assert (key in current) == (op.op == "replace"), f"{op.op} of {key} in {current}"
    assert op.value is not None
    current[key] = (op.value == "true") if as_bool else op.value


def apply_method_ops(target: Method, ops: Sequence[PatchOp]) -> Method:
    """Apply the patch subset asyncgw emits to a method, as AWS would."""
    params: dict[str, object] = dict(target.request_parameters)
    validator = target.request_validator_id
    for op in ops:
        if op.path == "/requestValidatorId":
            assert op.op == "replace"
            validator = op.value
        else:
            _apply_map(params, op.path.removeprefix("/requestParameters/"), op, as_bool=True)
    return target.model_copy(update={"request_parameters": params,
                                     "request_validator_id": validator})


def apply_integration_ops(target: Method, ops: Sequence[PatchOp]) -> Method:
    """Apply the patch subset asyncgw emits to a method's integration."""
    assert target.integration is not None
    params: dict[str, object] = dict(target.integration.request_parameters)
    for op in ops:
        _apply_map(params, op.path.removeprefix("/requestParameters/"), op, as_bool=False)
    integration = target.integration.model_copy(update={"request_parameters": params})
    return target.model_copy(update={"integration": integration})
