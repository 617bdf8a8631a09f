"""The REST API backend: status, plans, apply and verify for one resolved REST API."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from asyncgw.aws.together import together
from asyncgw.core.backend import (
    ChangeRequest,
    Commands,
    Planned,
    Progress,
    Report,
    Verified,
    VerifyPlan,
    VerifyRequest,
    one_stage,
)
from asyncgw.core.errors import AsyncgwError
from asyncgw.core.journal_file import Journals
from asyncgw.core.selection import MethodPattern
from asyncgw.rest import (
    async_config,
    canary,
    canary_status,
    executor,
    function_report,
    intent,
    live,
    planner,
    render,
    verify_report,
)
from asyncgw.rest import verify as checks
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.plan import Plan
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import ApiSnapshot, Method, RestApi

RestPlanned = Planned[ApiSnapshot, Plan]


class RestBackend(Commands[ApiSnapshot, Plan]):
    """A REST API: methods edited in place, then a new deployment of one stage."""

    def __init__(self, gateway: Gateway, api: RestApi, journals: Journals | None = None) -> None:
        self.gateway = gateway
        self.api = api
        self.journals = journals

    @property
    def api_id(self) -> str:
        """The REST API's id."""
        return self.api.id

    def read(self) -> ApiSnapshot:
        """The REST API's snapshot, without resolving its id or name again."""
        return self.gateway.read(self.api)

    def status(self, stage: str | None) -> Report:
        """Each method's mode, what each stage serves, and the target functions' side."""
        snapshot = self.read()
        if stage is not None:
            snapshot = snapshot.model_copy(update={"stages": (one_stage(
                stage, snapshot.api.id, {s.stage_name: s for s in snapshot.stages}),)})
        snapshot = self._with_functions(snapshot)
        served = self._served(snapshot)
        canaries = canary_status.read(self.gateway, snapshot)
        return Report(render.status(snapshot, served, canaries),
                      render.status_json(snapshot, served, canaries))

    def plan_change(self, change: ChangeRequest) -> RestPlanned:
        """The plan of enable-* or disable, with the functions' async configuration if asked."""
        want = async_config.wanted(change.on_failure, change.max_retries, change.max_event_age,
                                   self.gateway.region)
        wanted = intent.mode_change(
            self.api.id, change.mode, methods=change.methods, everything=change.all,
            stage=change.stage, no_deploy=change.no_deploy,
            refuse_managed=change.refuse_managed, want=want,
            convert_proxy=change.convert_proxy, respond_202=change.respond_202,
            optional_header=change.optional_header, canary=change.canary)
        snapshot = wanted.read(self.gateway, self.read())
        return Planned(snapshot, wanted.plan(snapshot), wanted.plan)

    def plan_redeploy(self, stage: str | None, description: str | None,
                      canary: float | None = None) -> RestPlanned:
        """A new deployment of the chosen stage (or of its canary) and nothing else."""
        snapshot = self.read()
        chosen = planner.choose_stage(snapshot, stage, no_deploy=False, offer_no_deploy=False)
        assert chosen is not None  # no_deploy=False always chooses a stage or raises
        plan = planner.plan_redeploy(snapshot, chosen, description, canary)
        return Planned(snapshot, plan, lambda _: plan)

    def plan_ending(self, stage: str | None, ending: canary.Ending) -> RestPlanned:
        """The plan of promote or cancel-canary on one stage's canary release."""
        snapshot = self.read()
        plan = canary.plan_ending(snapshot, stage, ending)
        return Planned(snapshot, plan, lambda fresh: canary.remaining(plan, fresh))

    def show(self, plan: Plan) -> Report:
        """The diff and the plan as JSON, patch operations exactly as they would be sent."""
        return Report(render.plan(plan), render.plan_json(plan))

    def apply(self, planned: RestPlanned, progress: Progress) -> Report:
        """Apply the plan; on failure everything is undone and the error raised."""
        plan = planned.plan
        done = executor.apply(plan, planned.snapshot, self.gateway, planned.replan, progress,
                              journals=self.journals)
        return Report(render.outcome(plan, done), {"deploymentId": done.deployment_id,
                                                   "createdValidators": done.created})

    def verifier(self, request: VerifyRequest) -> VerifyPlan:
        """The methods verify checks, the real invocations it would make, and the run."""
        snapshot = self.read()
        if request.stage is not None:
            snapshot = snapshot.model_copy(update={"stages": (one_stage(
                request.stage, snapshot.api.id,
                {s.stage_name: s for s in snapshot.stages}),)})
        patterns = tuple(MethodPattern.parse(text) for text in request.methods)
        # Proxy methods are listed as not tried rather than refused with a hint verify lacks.
        methods = select(snapshot, patterns, request.all, convert_proxy=True).methods
        real = checks.real_invocations(snapshot, methods, request.invoke)
        return VerifyPlan(tuple(real), lambda: self._verify(snapshot, methods, request))

    def _verify(self, snapshot: ApiSnapshot, methods: Sequence[Method],
                request: VerifyRequest) -> Verified:
        variables = snapshot.stages[0].variables if len(snapshot.stages) == 1 else {}
        results = checks.run(self.gateway, snapshot, methods, request.invoke, variables,
                             request.body)
        served = self._served(snapshot)
        return Verified(verify_report.text(snapshot, results, served),
                        verify_report.data(snapshot, results, served),
                        any(r.proven is False for r in results))

    def _served(self, snapshot: ApiSnapshot) -> list[live.Served]:
        """What each stage of the snapshot serves; a stage that cannot be exported says why.

        The stages' exports are independent reads, sent together (at most `in_flight` at once).
        """
        def served(stage: str) -> live.Served:
            try:
                return live.served(stage, self.gateway.export(snapshot.api.id, stage), snapshot)
            except AsyncgwError as error:
                return live.Served(stage, error=error.message)

        return together([functools.partial(served, stage.stage_name)
                         for stage in snapshot.stages], self.gateway.in_flight)

    def _with_functions(self, snapshot: ApiSnapshot) -> ApiSnapshot:
        """The snapshot with the function side of its async and switchable methods.

        A function named by a stage variable is resolved with the variables of each stage.
        """
        functions = self.gateway.functions()
        refs = function_report.targets(snapshot, planner.assessments(snapshot))
        if functions is None or not refs:
            return snapshot
        return snapshot.model_copy(update={"functions": functions.read_all(refs,
                                                                           snapshot.stages)})
