"""The planner: exact steps, patch operations and undo for every mode transition."""

from __future__ import annotations

import itertools

import pytest

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.selection import MethodPattern
from asyncgw.rest.modes import (
    EVENT,
    INVOCATION_TYPE_MAPPING,
    PARAMETERS_VALIDATOR_NAME,
    REQUEST_RESPONSE,
    SELECTOR_PARAMETER,
    assess,
)
from asyncgw.rest.plan import (
    CreateValidator,
    PatchIntegration,
    PatchMethod,
    PatchOp,
    Plan,
    new_validator_id,
)
from asyncgw.rest.planner import choose_stage, plan, plan_redeploy
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import IntegrationResponse, Method, Stage
from tests.support.rest_builders import (
    BODY,
    BOTH,
    PARAMS,
    apply_integration_ops,
    apply_method_ops,
    asynchronous,
    lambda_integration,
    method,
    snapshot,
    switchable,
)

HEADER_PATH = f"/requestParameters/{SELECTOR_PARAMETER}"
MAPPING_PATH = f"/requestParameters/{INVOCATION_TYPE_MAPPING}"


def plan_for(subject: Method, mode: Mode, **kwargs) -> Plan:
    snap = snapshot([subject], **kwargs)
    return plan(snap, select(snap, [], True), mode, "prod")


def test_sync_to_switchable_reuses_the_parameters_validator() -> None:
    result = plan_for(method(), Mode.SWITCHABLE)
    first, second = result.steps
    assert isinstance(first, PatchMethod) and isinstance(second, PatchIntegration)
    assert first.ops == (
        PatchOp(op="add", path=HEADER_PATH, value="true"),
        PatchOp(op="replace", path="/requestValidatorId", value="v-par"),
    )
    assert first.undo == (
        PatchOp(op="replace", path="/requestValidatorId", value=None),
        PatchOp(op="remove", path=HEADER_PATH),
    )
    assert second.ops == (PatchOp(op="add", path=MAPPING_PATH, value=SELECTOR_PARAMETER),)
    assert second.undo == (PatchOp(op="remove", path=MAPPING_PATH),)


def test_switchable_creates_the_console_validator_once_when_none_fits() -> None:
    snap = snapshot([method("POST /a"), method("POST /b")], validators=[BODY])
    snap = snap.model_copy(update={"methods": tuple(m.model_copy(
        update={"request_validator_id": None}) for m in snap.methods)})
    result = plan(snap, select(snap, [], True), Mode.SWITCHABLE, "prod")
    created = [s for s in result.steps if isinstance(s, CreateValidator)]
    assert created == [CreateValidator(name=PARAMETERS_VALIDATOR_NAME,
                                       validate_request_body=False,
                                       validate_request_parameters=True)]
    assert result.steps[0] == created[0]
    placeholder = new_validator_id(PARAMETERS_VALIDATOR_NAME)
    patched = [op.value for s in result.steps if isinstance(s, PatchMethod) for op in s.ops
               if op.path == "/requestValidatorId"]
    assert patched == [placeholder, placeholder]


def test_body_validator_is_replaced_by_one_that_checks_both() -> None:
    result = plan_for(method(validator="v-body"), Mode.SWITCHABLE,
                      validators=[PARAMS, BODY, BOTH])
    step = result.steps[0]
    assert isinstance(step, PatchMethod)
    assert PatchOp(op="replace", path="/requestValidatorId", value="v-both") in step.ops
    assert PatchOp(op="replace", path="/requestValidatorId", value="v-body") in step.undo


def test_body_validator_without_a_match_creates_body_and_parameters_validator() -> None:
    result = plan_for(method(validator="v-body"), Mode.SWITCHABLE, validators=[PARAMS, BODY])
    assert result.steps[0] == CreateValidator(
        name="Validate body, query string parameters, and headers",
        validate_request_body=True, validate_request_parameters=True)


def test_new_validator_name_avoids_an_existing_name() -> None:
    taken = PARAMS.model_copy(update={"validate_request_parameters": False})
    result = plan_for(method(), Mode.SWITCHABLE, validators=[taken])
    assert result.steps[0] == CreateValidator(
        name=f"{PARAMETERS_VALIDATOR_NAME} (2)", validate_request_body=False,
        validate_request_parameters=True)


def test_switchable_to_async_unmaps_before_removing_the_header() -> None:
    result = plan_for(switchable(), Mode.ASYNC)
    first, second = result.steps
    assert isinstance(first, PatchIntegration)
    assert first.ops == (PatchOp(op="replace", path=MAPPING_PATH, value=EVENT),)
    assert first.undo == (PatchOp(op="replace", path=MAPPING_PATH, value=SELECTOR_PARAMETER),)
    assert isinstance(second, PatchMethod)
    assert second.ops == (PatchOp(op="remove", path=HEADER_PATH),)
    assert second.undo == (PatchOp(op="add", path=HEADER_PATH, value="true"),)
    assert any("stays attached" in note for note in result.notes)


def test_disable_removes_mapping_then_header_and_keeps_the_validator() -> None:
    result = plan_for(switchable(), Mode.SYNC)
    assert [type(s) for s in result.steps] == [PatchIntegration, PatchMethod]
    assert all(op.path != "/requestValidatorId" for s in result.steps
               for op in getattr(s, "ops", ()))
    assert result.steps[0].ops == (PatchOp(op="remove", path=MAPPING_PATH),)


def test_optional_header_is_made_required() -> None:
    half = method(integration=lambda_integration(SELECTOR_PARAMETER),
                  params={SELECTOR_PARAMETER: False}, validator="v-par")
    result = plan_for(half, Mode.SWITCHABLE)
    (step,) = result.steps
    assert isinstance(step, PatchMethod)
    assert step.ops == (PatchOp(op="replace", path=HEADER_PATH, value="true"),)
    assert step.undo == (PatchOp(op="replace", path=HEADER_PATH, value="false"),)


def test_request_response_mapping_counts_as_sync() -> None:
    result = plan_for(method(integration=lambda_integration(REQUEST_RESPONSE)), Mode.SYNC)
    assert result.is_empty


def test_header_mapped_elsewhere_is_kept() -> None:
    shared = method(integration=lambda_integration(
        SELECTOR_PARAMETER, **{"integration.request.querystring.mode": SELECTOR_PARAMETER}),
        params={SELECTOR_PARAMETER: True}, validator="v-par")
    result = plan_for(shared, Mode.ASYNC)
    assert [type(s) for s in result.steps] == [PatchIntegration]
    assert any("another integration parameter" in n for n in result.notes)


@pytest.mark.parametrize(
    ("subject", "mode"),
    [(method(), Mode.SYNC), (asynchronous(), Mode.ASYNC), (switchable(), Mode.SWITCHABLE)],
)
def test_method_already_in_the_mode_gives_an_empty_plan(subject, mode) -> None:
    result = plan_for(subject, mode)
    assert result.is_empty
    assert result.deployment is None
    assert [n.reason for n in result.unchanged] == [f"already {mode}"]


def test_other_parameters_and_templates_are_never_touched() -> None:
    busy = method(
        integration=lambda_integration(None, **{"integration.request.header.X-Trace":
                                                "method.request.header.X-Trace"}),
        params={"method.request.header.X-Trace": True, "method.request.querystring.q": False},
    )
    for mode in (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC):
        for step in plan_for(busy, mode).steps:
            for op in getattr(step, "ops", ()):
                assert op.path in (HEADER_PATH, MAPPING_PATH, "/requestValidatorId")


def test_deployment_names_the_change_and_the_stage_it_replaces() -> None:
    result = plan_for(method(), Mode.ASYNC)
    assert result.deployment is not None
    assert result.deployment.stage == "prod"
    assert result.deployment.previous_deployment_id == "d1"
    assert result.deployment.description == "asyncgw: POST /orders -> async"


def test_deployment_description_stays_short_for_many_methods() -> None:
    snap = snapshot([method(f"POST /m{i}") for i in range(7)])
    result = plan(snap, select(snap, [], True), Mode.ASYNC, "prod")
    assert result.deployment is not None
    assert result.deployment.description == (
        "asyncgw: POST /m0, POST /m1, POST /m2 and 4 more -> async")


def test_no_deploy_warns_that_nothing_is_live() -> None:
    snap = snapshot([method()])
    result = plan(snap, select(snap, [], True), Mode.ASYNC, None)
    assert result.deployment is None
    assert any("nothing is live" in w for w in result.warnings)


CANARY = Stage(stage_name="prod", deployment_id="d1",
               canary_settings={"deploymentId": "d2", "percentTraffic": 5.0,
                                "useStageCache": False})


def test_a_stage_with_a_canary_is_refused_before_any_step() -> None:
    # AWS answers 400 to a full deployment onto it [DOC canary-release]: refuse in the plan.
    with pytest.raises(UsageError) as refused:
        plan_for(method(), Mode.ASYNC, stages=[CANARY])
    message = refused.value.message
    assert "stage prod has a canary release (deployment d2, 5% of traffic)" in message
    assert "pass --canary PERCENT to deploy into the canary" in message
    assert "'asyncgw promote abcde12345 --stage prod'" in message
    assert "'asyncgw cancel-canary abcde12345 --stage prod'" in message
    assert "--no-deploy" in message
    assert message.endswith("nothing was changed")
    assert "\n" not in message


def test_a_canary_stage_does_not_stop_no_deploy_or_an_empty_plan() -> None:
    snap = snapshot([method()], stages=[CANARY])
    no_deploy = plan(snap, select(snap, [], True), Mode.ASYNC, None)
    assert no_deploy.steps and no_deploy.deployment is None
    done = snapshot([asynchronous()], stages=[CANARY])
    assert plan(done, select(done, [], True), Mode.ASYNC, "prod").is_empty


def test_redeploy_refuses_a_stage_with_a_canary_without_offering_no_deploy() -> None:
    with pytest.raises(UsageError) as refused:
        plan_redeploy(snapshot([method()], stages=[CANARY]), "prod", None)
    assert "canary release" in refused.value.message
    assert "--no-deploy" not in refused.value.message


def test_stack_ownership_is_warned_about() -> None:
    result = plan_for(method(), Mode.ASYNC, tags={"aws:cloudformation:stack-name": "orders-stack"})
    assert any("orders-stack" in w for w in result.warnings)


def test_redeploy_plan_has_only_a_deployment() -> None:
    result = plan_redeploy(snapshot([method()]), "prod", None)
    assert result.steps == ()
    assert result.deployment is not None and result.deployment.previous_deployment_id == "d1"


STAGES = [Stage(stage_name="dev"), Stage(stage_name="prod")]


@pytest.mark.parametrize(
    ("stages", "requested", "no_deploy", "expected"),
    [
        ([Stage(stage_name="prod")], None, False, "prod"),
        (STAGES, "dev", False, "dev"),
        (STAGES, None, True, None),
        ([], None, True, None),
    ],
)
def test_choose_stage(stages, requested, no_deploy, expected) -> None:
    assert choose_stage(snapshot([method()], stages=stages), requested, no_deploy) == expected


@pytest.mark.parametrize(
    ("stages", "requested", "no_deploy", "fragment"),
    [
        (STAGES, None, False, "has 2 stages \\(dev, prod\\); choose one with --stage"),
        (STAGES, "qa", False, "no stage 'qa'.*stages: dev, prod"),
        ([], None, False, "has no stage to redeploy"),
        (STAGES, "dev", True, "contradict"),
    ],
)
def test_choose_stage_errors(stages, requested, no_deploy, fragment) -> None:
    with pytest.raises(UsageError, match=fragment):
        choose_stage(snapshot([method()], stages=stages), requested, no_deploy)


STARTS = {
    "sync": method(),
    "sync-request-response": method(integration=lambda_integration(REQUEST_RESPONSE)),
    "async": asynchronous(),
    "switchable": switchable(),
    "switchable-optional": method(integration=lambda_integration(SELECTOR_PARAMETER),
                                  params={SELECTOR_PARAMETER: False}, validator="v-par"),
    "switchable-no-validator": method(integration=lambda_integration(SELECTOR_PARAMETER),
                                      params={SELECTOR_PARAMETER: True}),
    "switchable-body-validator": method(integration=lambda_integration(SELECTOR_PARAMETER),
                                        params={SELECTOR_PARAMETER: True}, validator="v-body"),
    "leftover-header": method(params={SELECTOR_PARAMETER: False}, validator="v-body"),
    "async-with-header": method(integration=lambda_integration(EVENT),
                                params={SELECTOR_PARAMETER: True}),
}


def _run(start: Method, steps, ops_of) -> Method:
    current = start
    for step in steps:
        if isinstance(step, CreateValidator):
            continue
        ops = [op.model_copy(update={"value": "v-new"}) if op.value and
               op.value.startswith("${new-validator") else op for op in ops_of(step)]
        if isinstance(step, PatchMethod):
            current = apply_method_ops(current, ops)
        elif isinstance(step, PatchIntegration):
            current = apply_integration_ops(current, ops)
    return current


@pytest.mark.parametrize(("start", "mode"), list(itertools.product(STARTS, list(Mode)[:3])))
def test_applying_reaches_the_mode_and_undo_restores_the_start(start, mode) -> None:
    original = STARTS[start]
    result = plan_for(original, mode)
    changed = _run(original, result.steps, lambda s: s.ops)
    snap = snapshot([changed]).model_copy(update={"validators": (
        PARAMS, BODY, BOTH.model_copy(update={"id": "v-new"}))})
    found = assess(changed, snap)
    assert found.mode is mode
    assert found.warnings == ()
    assert plan(snap, select(snap, [], True), mode, "prod").is_empty
    restored = _run(changed, list(reversed(result.steps)), lambda s: s.undo)
    assert restored == original


def test_refuse_managed_refuses_a_stack_owned_api() -> None:
    from asyncgw.rest.planner import refuse_managed

    refuse_managed(snapshot([method()]))  # not managed: no error
    with pytest.raises(UsageError, match="managed by CloudFormation stack 'orders-stack'"):
        refuse_managed(snapshot([method()], tags={"aws:cloudformation:stack-name":
                                                  "orders-stack"}))


@pytest.mark.parametrize(("was", "now"), list(itertools.permutations(STARTS, 2)))
def test_restore_puts_owned_fields_back(was: str, now: str) -> None:
    from asyncgw.rest.planner import restore

    base = snapshot([STARTS[was]], validators=[PARAMS, BODY, BOTH])
    current = snapshot([STARTS[now]], validators=[PARAMS, BODY, BOTH])
    repaired = _run(STARTS[now], restore(base, current), lambda s: s.ops)
    assert repaired == STARTS[was]


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SWITCHABLE])
def test_async_plans_carry_payload_and_duplicate_advice(mode: Mode) -> None:
    advice = plan_for(method(), mode).advice
    assert any("1 MB" in a and "6 MB" in a for a in advice)
    assert any("more than once" in a for a in advice)
    assert not any("29 s" in a for a in advice)


def test_regional_apis_hear_about_the_timeout_quota() -> None:
    snap = snapshot([method()])
    regional = snap.model_copy(update={"api": snap.api.model_copy(
        update={"endpoint_configuration": {"types": ["REGIONAL"]}})})
    result = plan(regional, select(regional, [], True), Mode.ASYNC, "prod")
    assert any("29 s integration timeout" in a for a in result.advice)


def test_disable_and_empty_plans_carry_no_advice() -> None:
    assert plan_for(switchable(), Mode.SYNC).advice == ()
    assert plan_for(asynchronous(), Mode.ASYNC).advice == ()


def test_under_all_a_method_the_change_cannot_take_is_skipped_with_the_reason() -> None:
    # --respond-202 needs a default integration response, which a plain method lacks.
    with_default = method("POST /jobs", integration=lambda_integration().model_copy(update={
        "integration_responses": {"200": IntegrationResponse(status_code="200")}}))
    without = method("POST /orders")
    api = snapshot([with_default, without])

    made = plan(api, select(api, [], True), Mode.SWITCHABLE, "prod", respond_202=True)
    assert made.changed_methods == ("POST /jobs",)
    assert [(n.method, n.reason) for n in made.skipped] == [(
        "POST /orders", "no default integration response to answer 202 from; add one, "
        "or leave out --respond-202")]
    assert [s for s in made.steps if isinstance(s, CreateValidator)] == []  # reused v-par

    named = select(api, [MethodPattern.parse("POST /orders")], False)
    with pytest.raises(UsageError, match=r"^POST /orders: no default integration response"):
        plan(api, named, Mode.SWITCHABLE, "prod", respond_202=True)
