"""The only module of asyncgw.http that calls AWS: read an HTTP API and its forwarders."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from asyncgw.aws import session as aws_session
from asyncgw.aws.calls import Service
from asyncgw.aws.errors import NotFound
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.responses import parse, required, sequence
from asyncgw.aws.together import each, together_with
from asyncgw.core.errors import AwsCallFailed, AwsSetupError, UnexpectedResponse, UsageError
from asyncgw.http.modes import lambda_target
from asyncgw.http.plan import ApiCall
from asyncgw.http.recipe import (
    FORWARDER_MODES,
    INVOKE_POLICY,
    PREFIX,
    canonical,
    forwarder_name,
    function_arn,
    parse_function_arn,
    role_name,
)
from asyncgw.http.role_answers import AttachedPolicy, RoleAnswer, policy_document
from asyncgw.http.snapshot import (
    Account,
    Forwarder,
    ForwarderRole,
    HttpApi,
    HttpApiSnapshot,
    Integration,
    Route,
    Stage,
    Statement,
    policy_statements,
)

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_apigatewayv2 import ApiGatewayV2Client
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_sts import STSClient


def connect(
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    max_rps: float | None = None,
    session: boto3.Session | None = None,
    pacer: Pacer | None = None,
    max_in_flight: int = aws_session.DEFAULT_IN_FLIGHT,
) -> HttpGateway:
    """A paced HttpGateway for the account and region the AWS CLI conventions point at.

    `max_rps` lowers asyncgw's share of the account's 10 API Gateway requests per second;
    a `session` of the caller's own takes the place of `profile` and `region`. A `pacer`
    already pacing other calls to the account (the REST gateway's) is shared instead. At most
    `max_in_flight` calls are sent at once.
    """
    in_flight = aws_session.in_flight(max_in_flight)
    pacer = pacer or aws_session.pacer(max_rps)
    session = aws_session.open_session(profile, region, session)
    return HttpGateway(*(aws_session.client(session, service, endpoint_url, "AWS clients")
                         for service in ("apigatewayv2", "lambda", "iam", "sts")), pacer=pacer,
                       in_flight=in_flight)


class HttpGateway:
    """apigatewayv2, Lambda, IAM and STS calls, with botocore errors turned into asyncgw errors.

    Every call goes through asyncgw's one call wrapper (aws.calls): with a `pacer`, the
    apigatewayv2 calls are paced to API Gateway's quotas and all of them retried when
    throttled; the clients should then make one attempt per call (aws.session.CLIENT_CONFIG).
    """

    def __init__(
        self,
        apigatewayv2: ApiGatewayV2Client,
        lambda_: LambdaClient,
        iam: IAMClient,
        sts: STSClient | None = None,
        *,
        pacer: Pacer | None = None,
        in_flight: int = aws_session.DEFAULT_IN_FLIGHT,
    ) -> None:
        self.apigatewayv2 = apigatewayv2
        self.in_flight = in_flight
        """At most this many of this gateway's calls are in flight at once (1: one at a time)."""
        self.lambda_ = lambda_
        self.iam = iam
        self.sts = sts
        self.region: str = apigatewayv2.meta.region_name
        self._v2 = Service(apigatewayv2, pacer)
        self._lambda = Service(lambda_, pacer)
        self._iam = Service(iam, pacer)
        self._sts = Service(sts, pacer) if sts is not None else None
        self._services = {s.name: s for s in (self._v2, self._lambda, self._iam, self._sts)
                          if s is not None}

    @property
    def pacer(self) -> Pacer | None:
        """The pacer every call of this gateway goes through, if any."""
        return self._v2.pacer

    # Finding the API

    def find(self, ref: str) -> HttpApi | None:
        """The HTTP API with this id or (only) name; None if none; UsageError for WebSocket APIs."""
        api: HttpApi | None = None
        if ref and "/" not in ref:
            try:
                found = self._v2.call("GetApi", ApiId=ref)
                api = parse(HttpApi, {"ApiId": ref, **found}, "GetApi")
            except NotFound:
                api = None
            except AwsCallFailed as error:
                if error.code != "BadRequestException":
                    raise
        if api is None:
            named = [a for a in self._apis() if a.name == ref]
            if len(named) > 1:
                raise UsageError(f"{len(named)} HTTP or WebSocket APIs are named {ref!r} "
                                 f"({', '.join(a.api_id for a in named)}); pass the id instead")
            api = named[0] if named else None
        if api is not None and api.protocol_type.upper() != "HTTP":
            raise UsageError(
                f"{api.api_id} is a {api.protocol_type} API: asyncgw changes REST APIs and HTTP "
                "APIs only (WebSocket routes have no request to answer early)"
            )
        return api

    def resolve(self, ref: str) -> HttpApi:
        """The HTTP API with this id or name; UsageError when there is none."""
        api = self.find(ref)
        if api is None:
            raise UsageError(
                f"no HTTP API with id or name {ref!r} in {self.region}; list them with: "
                f"aws apigatewayv2 get-apis --region {self.region}"
            )
        return api

    # Reads

    def apis(self) -> list[HttpApi]:
        """Every HTTP and WebSocket API of the region (GetApis, 500 a page)."""
        return [parse(HttpApi, item, "GetApis", f"Items[{index}]")
                for index, item in enumerate(self._pages("GetApis", MaxResults="500"))]

    def read(self, api: HttpApi, for_change: bool = False) -> HttpApiSnapshot:
        """Routes, integrations, stages and forwarders; for a change also candidates and role.

        Independent reads are sent together, at most `in_flight` at once, in three rounds
        (what the API holds; its forwarders and the account; the candidates and the role),
        each read in the order it would be sent one at a time, so that a failure is the one
        sending them one by one would meet first.
        """
        api_id = api.api_id
        routes, integrations, stages = each(
            self.in_flight, lambda: self._items(Route, "GetRoutes", api_id),
            lambda: self._items(Integration, "GetIntegrations", api_id),
            lambda: self._items(Stage, "GetStages", api_id))
        found = _Functions()
        forwarders: list[str] = []
        for function in map(lambda_target, integrations):
            parts = parse_function_arn(function) if function else None
            # Forwarders live in the API's region; a Lambda client reads only its own region.
            if (function and parts and parts.name.startswith(PREFIX)
                    and parts.region == self.region and function not in forwarders):
                forwarders.append(function)
        account = self._read_functions([(f, None) for f in forwarders], found,
                                       self._account if for_change else None)
        candidates: list[tuple[str, tuple[str, str]]] = []
        if account is not None:
            targets = {f.target for f in found.forwarders.values()}
            forwarder_arns = {f.function_arn for f in found.forwarders.values()}
            targets.update(
                function for function in map(lambda_target, integrations)
                if function is not None and parse_function_arn(function) is not None
                and "${" not in function and function not in forwarder_arns
                and function not in found.missing
            )
            candidates = [
                (function_arn(account.partition, self.region, account.account_id,
                              forwarder_name(target, mode)), (target, str(mode)))
                for target in sorted(targets) for mode in FORWARDER_MODES
                if forwarder_name(target, mode) not in found.forwarders]
        role = self._read_functions(candidates, found, self._role
                                    if for_change or found.forwarders else None)
        return HttpApiSnapshot(
            api=api,
            region=self.region,
            routes=tuple(sorted(routes, key=lambda r: r.route_key)),
            integrations=tuple(sorted(integrations, key=lambda i: i.integration_id)),
            stages=tuple(sorted(stages, key=lambda s: s.stage_name)),
            forwarders=tuple(sorted(found.forwarders.values(), key=lambda f: f.function_name)),
            missing_functions=tuple(sorted(found.missing)),
            occupied=found.occupied,
            role=role,
            account=account,
            complete=for_change,
        )

    def stage(self, api_id: str, name: str) -> Stage:
        """One stage, read fresh."""
        found = self._v2.call("GetStage", ApiId=api_id, StageName=name)
        return parse(Stage, {"StageName": name, **found}, "GetStage")

    def function_state(self, name: str) -> tuple[str, str]:
        """(State, StateReason) of a function: Pending until Lambda can run it [DOC]."""
        config = self._lambda.call("GetFunctionConfiguration", FunctionName=name)
        return str(config.get("State", "Active")), str(config.get("StateReason", ""))

    def forwarder(self, name: str) -> Forwarder | None:
        """One forwarder function by name, with its permissions; None if none is there."""
        found = _Functions()
        self._read_functions([(name, None)], found, None)
        return next(iter(found.forwarders.values()), None)

    # Writes

    def send(self, call: ApiCall, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Make one planned call (with its placeholders already filled in `params`)."""
        return self._services[call.service].call(call.operation, **(params or call.params))

    def create_deployment(self, api_id: str, stage: str, description: str) -> str:
        """CreateDeployment onto a stage; returns the deployment id."""
        created = self._v2.call("CreateDeployment", ApiId=api_id, StageName=stage,
                                Description=description)
        return str(required(created, "DeploymentId", "CreateDeployment"))

    def point_stage(self, api_id: str, stage: str, deployment_id: str) -> None:
        """Make a stage serve an existing deployment (used to undo a deployment)."""
        self._v2.call("UpdateStage", ApiId=api_id, StageName=stage, DeploymentId=deployment_id)

    # Plumbing

    def _read_functions(self, refs: Sequence[tuple[str, tuple[str, str] | None]],
                        found: _Functions, last: Callable[[], _Last] | None) -> _Last | None:
        """Read each function of `refs` into `found`, together with `last`; its result."""
        found.seen.update(ref for ref, _ in refs)
        answers, result = together_with(
            self.in_flight, [functools.partial(self._function, ref) for ref, _ in refs], last)
        for (ref, candidate), (function, probe) in zip(refs, answers, strict=True):
            if function is None:
                if candidate is None:
                    found.missing.add(ref)
                continue
            name = str(function["Configuration"]["FunctionName"])  # from_function checked it
            if probe is None:
                if candidate is not None:
                    found.occupied[name] = "a function that is not an asyncgw forwarder"
                continue
            if candidate is not None and (probe.target, probe.mode) != candidate:
                found.occupied[name] = f"the forwarder of {probe.target} ({probe.mode})"
            found.forwarders[name] = probe
        return result

    def _function(self, ref: str) -> tuple[dict[str, Any] | None, Forwarder | None]:
        """GetFunction (None when there is none) and the forwarder it is, with its policy."""
        try:
            function = self._lambda.call("GetFunction", FunctionName=ref)
        except NotFound:
            return None, None
        probe = Forwarder.from_function(function, ())
        if probe is None:
            return function, None
        return function, probe.model_copy(
            update={"statements": self._statements(probe.function_arn)})

    def _statements(self, function: str) -> tuple[Statement, ...]:
        try:
            policy = self._lambda.call("GetPolicy", FunctionName=function)
        except NotFound:
            return ()
        return policy_statements(policy)

    def _account(self) -> Account:
        if self._sts is None:
            raise AwsSetupError("asyncgw needs an STS client to learn the account id")
        identity = self._sts.call("GetCallerIdentity")
        account = required(identity, "Account", "GetCallerIdentity")
        arn = str(identity.get("Arn") or "arn:aws:")
        if not arn.startswith("arn:") or arn.count(":") < 2:
            raise UnexpectedResponse("GetCallerIdentity", "Arn", "not an ARN", arn)
        return Account(account_id=str(account), partition=arn.split(":")[1])

    def _role(self) -> ForwarderRole | None:
        name = role_name(self.region)
        try:
            role = parse(RoleAnswer, self._iam.call("GetRole", RoleName=name),
                         "GetRole").role
        except NotFound:
            return None
        invoke, inline, attached = each(
            self.in_flight, lambda: self._invoke_policy(name),
            lambda: [p for page in self._iam_pages("ListRolePolicies", "PolicyNames",
                                                   RoleName=name) for p in page
                     if p != INVOKE_POLICY],
            lambda: [parse(AttachedPolicy, p, "ListAttachedRolePolicies",
                           f"AttachedPolicies[{i}]").label
                     for page in self._iam_pages("ListAttachedRolePolicies",
                                                 "AttachedPolicies", RoleName=name)
                     for i, p in enumerate(page)])
        trust = policy_document(role.assume_role_policy_document, "GetRole",
                                "Role.AssumeRolePolicyDocument")
        return ForwarderRole(
            role_name=name,
            arn=role.arn,
            path=role.path,
            description=role.description,
            max_session_duration=role.max_session_duration,
            trust_policy=canonical(trust),
            tags={t.key: t.value for t in role.tags},
            invoke_policy=canonical(policy_document(invoke, "GetRolePolicy", "PolicyDocument"))
            if invoke is not None else None,
            other_policies=tuple(sorted(str(p) for p in inline + attached)),
        )

    def _invoke_policy(self, role: str) -> Any:
        """The forwarders' invoke policy document as IAM answers it; None when there is none."""
        try:
            return required(self._iam.call("GetRolePolicy", RoleName=role,
                                           PolicyName=INVOKE_POLICY),
                            "PolicyDocument", "GetRolePolicy")
        except NotFound:
            return None

    def _apis(self) -> Iterator[HttpApi]:
        for index, item in enumerate(self._pages("GetApis")):
            yield parse(HttpApi, item, "GetApis", f"Items[{index}]")

    def _items(self, model: type[_Item], operation: str, api_id: str) -> list[_Item]:
        return [parse(model, item, operation, f"Items[{index}]")
                for index, item in enumerate(self._pages(operation, ApiId=api_id))]

    def _pages(self, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            page = self._v2.call(operation, **params, **({"NextToken": token} if token else {}))
            yield from sequence(page.get("Items") or [], operation, "Items")
            token = page.get("NextToken")
            if not token:
                return

    def _iam_pages(self, operation: str, key: str, **params: Any) -> Iterator[list[Any]]:
        marker: str | None = None
        while True:
            page = self._iam.call(operation, **params, **({"Marker": marker} if marker else {}))
            yield list(sequence(page.get(key) or [], operation, key))
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if not marker:
                return


class _Functions:
    """What reading the functions around an API found."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.missing: set[str] = set()
        self.forwarders: dict[str, Forwarder] = {}
        self.occupied: dict[str, str] = {}


_Item = TypeVar("_Item", Route, Integration, Stage)
_Last = TypeVar("_Last", Account, ForwarderRole | None)
