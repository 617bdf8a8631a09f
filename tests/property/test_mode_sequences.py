"""Property, REST APIs: a Ctrl-C anywhere in an apply gives back the snapshot, any sequence of
mode commands lands in the commanded mode, and disable restores."""

from __future__ import annotations

from typing import Any

from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import MethodSpec, ValidatorSpec, clients, seed_rest_api
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from asyncgw.core.errors import Interrupted
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from tests.support.ctrl_c import CtrlCAt
from tests.support.state import full_state

NAMES = st.sampled_from(["q", "page", "X-Trace", "Accept", "id", "sort"])
VALIDATORS = {
    "params": ValidatorSpec("params", False, True),
    "body": ValidatorSpec("body", True, False),
    "both": ValidatorSpec("both", True, True),
}


@st.composite
def starting_methods(draw: Any) -> MethodSpec:
    """A sync Lambda non-proxy method with random other parameters, templates and validator."""
    method_params = {
        f"method.request.{draw(st.sampled_from(['querystring', 'header']))}.{name}":
            draw(st.booleans())
        for name in draw(st.sets(NAMES, max_size=3))
    }
    declared = [key for key in method_params]
    mapped = {
        f"integration.request.header.X-From-{index}": source
        for index, source in enumerate(draw(st.lists(st.sampled_from(declared), max_size=2)
                                            if declared else st.just([])))
    }
    if draw(st.booleans()):
        mapped["integration.request.header.X-Static"] = "'fixed'"
    templates = {"application/json": "$input.json('$')"} if draw(st.booleans()) else {}
    return MethodSpec("/things/{id}", draw(st.sampled_from(["POST", "PUT", "GET"])),
                      function="things", request_parameters=method_params,
                      integration_request_parameters=mapped, request_templates=templates,
                      validator=draw(st.sampled_from([None, *VALIDATORS])))


COMMANDS = st.lists(st.sampled_from([Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC]), min_size=1,
                    max_size=5)
STOPS = st.lists(st.integers(1, 6), min_size=6, max_size=6)
"""For each command, the progress line at which a first try is stopped (past the end: none)."""


def _without_validator(state: dict[str, Any]) -> dict[str, Any]:
    for method in state["methods"].values():
        method.pop("requestValidatorId", None)
    state.pop("validators")
    state.pop("stages")
    return state


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starting_methods(), commands=COMMANDS, stops=STOPS)
def test_interrupted_applies_undo_and_commands_reach_their_mode_and_disable_restores(
    start: MethodSpec, commands: list[Mode], stops: list[int]
) -> None:
    with emulated_account():
        account = clients()
        api = seed_rest_api(account, "things", [start], list(VALIDATORS.values()))
        gateway = Gateway(account.apigateway)
        original = full_state(account.apigateway, api.api_id)
        key = f"{start.verb} {start.path}"
        for mode, stop in zip([*commands, Mode.SYNC], stops, strict=False):
            wanted = intent.mode_change(api.api_id, mode, methods=(key,), stage="prod")
            before = full_state(account.apigateway, api.api_id)
            snapshot = intent.read(gateway, api.api_id)
            try:
                apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, CtrlCAt(stop))
            except Interrupted:
                event("interrupted mid-apply")
                assert full_state(account.apigateway, api.api_id) == before
                apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
            after = intent.read(gateway, api.api_id)
            method = next(m for m in after.methods if m.key == key)
            assert assess(method, after).mode is mode
        final = full_state(account.apigateway, api.api_id)
        assert _without_validator(final) == _without_validator(original)
