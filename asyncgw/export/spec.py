"""What the selected methods look like in the wanted mode: the data every export format renders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode
from asyncgw.rest.modes import ineligibility, lambda_function
from asyncgw.rest.plan import (
    CreateValidator,
    PatchIntegration,
    PatchMethod,
    PatchOp,
    SetPart,
    new_validator_id,
)
from asyncgw.rest.planner import plan
from asyncgw.rest.selection import Selection
from asyncgw.rest.snapshot import ApiSnapshot, Method

_PARAMETERS = "/requestParameters/"
T = TypeVar("T")


@dataclass(frozen=True)
class ValidatorState:
    """A request validator a method uses after the change; `existing_id` is None for a new one."""

    name: str
    validate_request_body: bool
    validate_request_parameters: bool
    existing_id: str | None

    @property
    def is_new(self) -> bool:
        """True when the change creates this validator."""
        return self.existing_id is None


@dataclass(frozen=True)
class MethodState:
    """One method after the change: method request, validator and integration request."""

    path: str
    http_method: str
    authorization_type: str
    uri: str
    function: str
    request_parameters: Mapping[str, bool]
    validator: ValidatorState | None
    integration_request_parameters: Mapping[str, str]
    request_templates: Mapping[str, str]
    changes: tuple[FieldChange, ...]

    @property
    def key(self) -> str:
        """'POST /orders'."""
        return f"{self.http_method} {self.path}"

    def changed(self, field_prefix: str) -> bool:
        """True when a change touches a field starting with `field_prefix`."""
        return any(change.field.startswith(field_prefix) for change in self.changes)


@dataclass(frozen=True)
class ExportSpec:
    """The selected methods of one API in one mode, and the validators they use."""

    api_id: str
    api_name: str
    region: str
    mode: Mode
    methods: tuple[MethodState, ...]
    validators: tuple[ValidatorState, ...]
    stages: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """True when some method differs from what API Gateway has now."""
        return any(method.changes for method in self.methods)

    @property
    def resource_paths(self) -> tuple[str, ...]:
        """Every resource path the methods sit on or under, parents first, the root left out."""
        paths: set[str] = set()
        for method in self.methods:
            parts = [part for part in method.path.split("/") if part]
            paths.update("/" + "/".join(parts[:n]) for n in range(1, len(parts) + 1))
        return tuple(sorted(paths, key=lambda p: (p.count("/"), p)))


def build(snapshot: ApiSnapshot, methods: Sequence[Method], mode: Mode,
          optional_header: bool = False) -> ExportSpec:
    """Apply asyncgw's own plan for `mode` to the methods, on paper, and describe the result.

    `optional_header`: switchable with InvocationType declared optional (and no validator
    added for it), as enable-switchable --optional-header makes it.
    """
    _check(methods, mode, optional_header)
    # Every method counts as named: one the plan cannot take is an error, not a skip.
    planned = plan(snapshot, Selection(tuple(methods), (), frozenset(m.key for m in methods)),
                   mode, None, optional_header=optional_header)
    whole = sorted({f"{s.http_method} {s.path}" for s in planned.steps if isinstance(s, SetPart)})
    if whole:
        raise UsageError(f"{', '.join(whole)}: converted from a proxy integration or answering "
                         "202; export writes only the request mapping and validator, not whole "
                         "integrations and responses, so it would not match; export the other "
                         "methods")
    created = {
        new_validator_id(step.name): ValidatorState(
            step.name, step.validate_request_body, step.validate_request_parameters, None
        )
        for step in planned.steps
        if isinstance(step, CreateValidator)
    }
    existing = {
        v.id: ValidatorState(v.name or f"validator {v.id}", v.validate_request_body,
                             v.validate_request_parameters, v.id)
        for v in snapshot.validators
    }
    states = []
    unique = {m.key: m for m in methods}.values()
    for method in sorted(unique, key=lambda m: (m.path, m.http_method)):
        steps = [
            step for step in planned.steps
            if isinstance(step, PatchMethod | PatchIntegration)
            and (step.resource_id, step.http_method) == (method.resource_id, method.http_method)
        ]
        states.append(_after(method, steps, {**existing, **created}))
    used: dict[str, ValidatorState] = {}
    for state in states:
        if state.validator is not None:
            used.setdefault(state.validator.name, state.validator)
    return ExportSpec(
        api_id=snapshot.api.id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode=mode,
        methods=tuple(states),
        validators=tuple(used.values()),
        stages=tuple(stage.stage_name for stage in snapshot.stages),
    )


def _check(methods: Sequence[Method], mode: Mode, optional_header: bool) -> None:
    if mode is Mode.NOT_ELIGIBLE:
        raise UsageError("export needs a mode: async, switchable or sync")
    if optional_header and mode is not Mode.SWITCHABLE:
        raise UsageError("--optional-header is for --mode switchable only")
    if not methods:
        raise UsageError("no method to export")
    for method in methods:
        reason = ineligibility(method)
        if reason is not None:
            raise UsageError(f"{method.key} cannot be exported: {reason}")


def _after(
    method: Method,
    steps: Sequence[PatchMethod | PatchIntegration],
    validators: Mapping[str, ValidatorState],
) -> MethodState:
    integration = method.integration
    assert integration is not None and integration.uri is not None
    request: dict[str, bool] = dict(method.request_parameters)
    mapped: dict[str, str] = dict(integration.request_parameters)
    validator_id = method.request_validator_id
    changes: list[FieldChange] = []
    for step in steps:
        changes.extend(step.changes)
        for op in step.ops:
            if op.path == "/requestValidatorId":
                validator_id = op.value
            elif isinstance(step, PatchMethod):
                _apply(request, op, lambda text: text == "true")
            else:
                _apply(mapped, op, str)
    return MethodState(
        path=method.path,
        http_method=method.http_method,
        authorization_type=method.authorization_type,
        uri=integration.uri,
        function=lambda_function(integration) or integration.uri,
        request_parameters=dict(sorted(request.items())),
        validator=validators.get(validator_id) if validator_id else None,
        integration_request_parameters=dict(sorted(mapped.items())),
        request_templates={k: v or "" for k, v in integration.request_templates.items()},
        changes=tuple(changes),
    )


def _apply(target: dict[str, T], op: PatchOp, convert: Callable[[str], T]) -> None:
    key = op.path.removeprefix(_PARAMETERS)
    if op.op == "remove":
        target.pop(key, None)
    elif op.value is not None:
        target[key] = convert(op.value)
