"""The steps that take one REST method to a mode, with the validators switchable mode needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from asyncgw.core.modes import Mode
from asyncgw.rest import conversion, markers, proxy_templates
from asyncgw.rest.modes import (
    BOTH_VALIDATOR_NAME,
    EVENT,
    INVOCATION_TYPE_MAPPING,
    PARAMETERS_VALIDATOR_NAME,
    REQUEST_RESPONSE,
    SELECTOR_PARAMETER,
    proxy_lambda,
    validates_parameters,
)
from asyncgw.rest.patches import (
    attach_validator,
    integration_patch,
    method_patch,
    ordered,
    selector_parameter,
    validator_label,
)
from asyncgw.rest.plan import CreateValidator, PatchMethod, Step, new_validator_id
from asyncgw.rest.snapshot import ApiSnapshot, Method, Validator


@dataclass
class ValidatorPool:
    """Validators for switchable mode: reuse any with matching flags, create each at most once."""

    snapshot: ApiSnapshot
    respond_202: bool | None = None
    created: list[CreateValidator] = field(default_factory=list)

    def parameters_validator(self, current: Validator | None) -> tuple[str, str]:
        """(id or placeholder, display name) of a validator that checks parameters."""
        body = current.validate_request_body if current else False
        for validator in self.snapshot.validators:
            if validator.validate_request_parameters and validator.validate_request_body == body:
                return validator.id, f"{validator.name or '(unnamed)'} ({validator.id})"
        for step in self.created:
            if step.validate_request_body == body:
                return new_validator_id(step.name), f"{step.name} (new)"
        name = self._free_name(BOTH_VALIDATOR_NAME if body else PARAMETERS_VALIDATOR_NAME)
        self.created.append(
            CreateValidator(name=name, validate_request_body=body, validate_request_parameters=True)
        )
        return new_validator_id(name), f"{name} (new)"

    def _free_name(self, name: str) -> str:
        taken = {v.name for v in self.snapshot.validators} | {s.name for s in self.created}
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name} ({n})", n + 1
        return candidate


def method_steps(
    method: Method, mode: Mode, snapshot: ApiSnapshot, pool: ValidatorPool,
    header_required: bool = True,
) -> tuple[list[Step], list[str]]:
    """The steps taking `method` to `mode` and the notes they need; conversion.Refused if not.

    For switchable mode, `header_required` False declares InvocationType optional and needs
    no validator for it (enable-switchable --optional-header).
    """
    assert method.integration is not None
    broken = markers.damaged(method)
    if broken is not None:
        raise conversion.Refused(method, broken)
    validator = snapshot.validator(method.request_validator_id)
    if proxy_lambda(method):
        return _proxy_steps(method, mode, snapshot, pool, validator, header_required)
    mapping = method.integration.request_parameters.get(INVOCATION_TYPE_MAPPING)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    binary = snapshot.api.binary_media_types
    notes: list[str] = []
    if mode is Mode.SWITCHABLE:
        responses = conversion.respond(method, mode, pool.respond_202, binary)  # may refuse
        method_change = _switchable_method_patch(method, declared, validator, pool,
                                                 header_required)
        integration_change = integration_patch(method, mapping, SELECTOR_PARAMETER)
        if not header_required and declared and validator is not None:
            notes.append(f"{method.key}: validator {validator_label(validator)} stays "
                         "attached; it no longer rejects calls without InvocationType")
        return ordered(method_change, integration_change, method_first=True) + list(
            responses), notes
    converted = markers.converted(method)
    wanted_mapping = EVENT if mode is Mode.ASYNC else _sync_mapping(mapping)
    integration_change = None if converted and mode is Mode.SYNC else integration_patch(
        method, mapping, wanted_mapping)
    method_change = None
    if declared is not None:
        if _selector_used_elsewhere(method):
            notes.append(
                f"{method.key}: InvocationType header kept, another integration "
                "parameter maps it"
            )
        else:
            method_change = method_patch(method, [selector_parameter(declared, None)])
    if validator is not None and (method_change or integration_change or converted):
        notes.append(
            f"{method.key}: validator {validator_label(validator)} stays attached"
        )
    if mode is Mode.ASYNC:
        responses = conversion.respond(method, mode, pool.respond_202, binary)
    elif converted:
        responses = conversion.restore(method, converted)
    else:
        responses = conversion.undo_accepted(method)
    return ordered(method_change, integration_change, method_first=False, between=responses
                   ), notes


def _proxy_steps(method: Method, mode: Mode, snapshot: ApiSnapshot, pool: ValidatorPool,
                 validator: Validator | None, header_required: bool
                 ) -> tuple[list[Step], list[str]]:
    """A Lambda proxy method: converted for async or switchable, left alone for sync."""
    if mode is Mode.SYNC:
        return [], []  # synchronous already, and none of its fields are asyncgw's
    binary = snapshot.api.binary_media_types
    notes = [_conversion_note(method, binary)]
    if mode is Mode.ASYNC:
        return list(conversion.convert(method, mode, bool(pool.respond_202), EVENT,
                                       binary)), notes
    # Converted first: a method it refuses must not leave a validator in the pool.
    converted = conversion.convert(method, mode, bool(pool.respond_202), SELECTOR_PARAMETER,
                                   binary)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    method_change = _switchable_method_patch(method, declared, validator, pool,
                                             header_required)
    return ordered(method_change, None, method_first=True) + list(converted), notes


def _conversion_note(method: Method, binary: tuple[str, ...]) -> str:
    types = ", ".join(conversion.content_types(binary))
    return (f"{method.key}: converted, the function gets the same proxy event for requests "
            f"with Content-Type {types} (or none), except that "
            f"{proxy_templates.EVENT_DIFFERENCES}; other types are refused with 415, as the "
            "proxy integration did not")


def _switchable_method_patch(method: Method, declared: bool | None, validator: Validator | None,
                             pool: ValidatorPool, header_required: bool) -> PatchMethod | None:
    edits = [selector_parameter(declared, header_required)]
    # An optional header needs no validator; one already attached is left as it is.
    if header_required and not validates_parameters(validator):
        edits.append(attach_validator(validator, *pool.parameters_validator(validator)))
    return method_patch(method, edits)


def _sync_mapping(mapping: str | None) -> str | None:
    # 'RequestResponse' is already synchronous: leave a user's explicit mapping alone.
    return REQUEST_RESPONSE if mapping == REQUEST_RESPONSE else None


def _selector_used_elsewhere(method: Method) -> bool:
    assert method.integration is not None
    return any(
        value == SELECTOR_PARAMETER
        for key, value in method.integration.request_parameters.items()
        if key != INVOCATION_TYPE_MAPPING
    )
