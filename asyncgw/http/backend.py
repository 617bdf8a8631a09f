"""The HTTP API backend: status, plans and apply for one resolved HTTP API (forwarder Lambdas)."""

from __future__ import annotations

from asyncgw.core.backend import (
    ChangeRequest,
    Commands,
    Planned,
    Progress,
    Report,
    VerifyPlan,
    VerifyRequest,
    one_stage,
)
from asyncgw.core.canary import refuse_http
from asyncgw.core.errors import UsageError
from asyncgw.http import executor, intent, render
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import HttpPlan
from asyncgw.http.snapshot import HttpApiSnapshot

HttpPlanned = Planned[HttpApiSnapshot, HttpPlan]


class HttpBackend(Commands[HttpApiSnapshot, HttpPlan]):
    """An HTTP API: routes pointed at forwarder functions; auto-deploying stages need no deploy."""

    def __init__(self, gateway: HttpGateway, api_id: str) -> None:
        self.gateway = gateway
        self._api_id = api_id

    @property
    def api_id(self) -> str:
        """The HTTP API's id."""
        return self._api_id

    def read(self) -> HttpApiSnapshot:
        """All a plan needs of the HTTP API and its forwarders."""
        return intent.read(self.gateway, self._api_id, for_change=True)

    def status(self, stage: str | None) -> Report:
        """Each route's mode and forwarder, and the stages."""
        snapshot = intent.read(self.gateway, self._api_id)
        if stage is not None:
            snapshot = snapshot.model_copy(update={"stages": (one_stage(
                stage, self._api_id, {s.stage_name: s for s in snapshot.stages}),)})
        return Report(render.status(snapshot), render.status_json(snapshot))

    def plan_change(self, change: ChangeRequest) -> HttpPlanned:
        """The plan of enable-* or disable; the REST-only options are refused."""
        refuse_http(change.canary)
        if change.sets_functions:
            raise UsageError("--on-failure, --max-retries and --max-event-age work on REST "
                             "APIs only; for an HTTP API set them with: aws lambda "
                             "put-function-event-invoke-config")
        if change.convert_proxy or change.respond_202 is not None:
            raise UsageError("--convert-proxy and --respond-202 are for REST APIs; an HTTP "
                             "API's forwarder already answers 202 with a request id")
        wanted = intent.mode_change(
            self._api_id, change.mode, routes=change.methods, everything=change.all,
            stage=change.stage, no_deploy=change.no_deploy,
            refuse_managed=change.refuse_managed)
        snapshot = self.read()
        return Planned(snapshot, wanted.plan(snapshot), wanted.plan)

    def plan_redeploy(self, stage: str | None, description: str | None,
                      canary: float | None = None) -> HttpPlanned:
        """A deployment of a stage that does not deploy automatically."""
        refuse_http(canary)
        snapshot = self.read()
        plan = intent.redeploy(snapshot, stage=stage, description=description)
        return Planned(snapshot, plan, lambda _: plan)

    def show(self, plan: HttpPlan) -> Report:
        """The diff and the plan as JSON, every AWS call in the order it would be made."""
        return Report(render.plan(plan), render.plan_json(plan))

    def apply(self, planned: HttpPlanned, progress: Progress) -> Report:
        """Apply the plan; on failure everything is undone and the error raised."""
        plan = planned.plan
        done = executor.apply(plan, planned.snapshot, self.gateway, planned.replan, progress)
        return Report(render.outcome(plan, done), {
            "deploymentId": done.deployment_id,
            "createdForwarders": list(executor.created_forwarders(plan)),
            "removedForwarders": list(executor.removed_forwarders(plan)),
            "createdIntegrations": done.created,
        })

    def verifier(self, request: VerifyRequest) -> VerifyPlan:
        """Refused: TestInvokeMethod exists for REST APIs only."""
        raise UsageError(f"{self._api_id} is an HTTP API: verify proves REST API wiring; "
                         "call the route with the InvocationType header instead")
