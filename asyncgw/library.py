"""asyncgw as a library: each command is one function taking keyword arguments."""

from __future__ import annotations

import dataclasses
import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import boto3

from asyncgw import __version__, recovery
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.session import DEFAULT_IN_FLIGHT, in_flight
from asyncgw.core import listing
from asyncgw.core.backend import (
    ChangePlan,
    ChangeRequest,
    Report,
    Verified,
    VerifyPlan,
    VerifyRequest,
    prepare,
)
from asyncgw.core.errors import (
    AsyncgwError,
    AwsSetupError,
    NotARestApi,
    PlanOutdated,
    UsageError,
)
from asyncgw.core.journal_file import Journals, check_free, journal_dir
from asyncgw.core.listing import ApiSummary, RegionListing
from asyncgw.core.modes import Mode, mode_named
from asyncgw.core.saved_plan import RedeployRequest, Request, SavedPlan, check, load
from asyncgw.export import export, export_data
from asyncgw.http import gateway as http_gateway
from asyncgw.http import listing as http_listing
from asyncgw.http.backend import HttpBackend
from asyncgw.http.gateway import HttpGateway
from asyncgw.rest import advise_render, advisor, intent
from asyncgw.rest import gateway as rest_gateway
from asyncgw.rest import listing as rest_listing
from asyncgw.rest.backend import RestBackend
from asyncgw.rest.canary import Ending
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.selection import select

Connect = Callable[[str | None, str | None, str | None], Gateway]
"""(profile, region, endpoint_url) -> the REST API gateway; tests inject their own."""
ConnectHttp = Callable[[str | None, str | None, str | None], HttpGateway]
"""(profile, region, endpoint_url) -> the HTTP API gateway; tests inject their own."""


@dataclass(frozen=True, kw_only=True)
class Account:
    """Which AWS account and Region to talk to, as the AWS CLI's options or a boto3 session say."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    max_rps: float | None = None
    """At most this many of the account's 10 API Gateway requests per second."""
    max_in_flight: int = DEFAULT_IN_FLIGHT
    """At most this many AWS calls at once; 1 sends one at a time."""
    session: boto3.Session | None = None
    """A boto3 session of the caller's own to make every client from, instead of profile and
    region; endpoint_url and max_rps still apply."""
    connect: Connect | None = None
    """Makes the REST gateway instead of asyncgw.rest.gateway.connect (max_rps then unused)."""
    connect_http: ConnectHttp | None = None
    """Makes the HTTP gateway instead of asyncgw.http.gateway.connect (max_rps then unused)."""
    journal_dir: str | None = None
    """Where applies keep their durable journal (default: $ASYNCGW_JOURNAL_DIR, else
    $XDG_STATE_HOME/asyncgw/journals, else ~/.local/state/asyncgw/journals)."""

    def journals(self) -> Journals:
        """The journal directory of this account's applies, with what reconnects to it."""
        return Journals(journal_dir(self.journal_dir, os.environ), self.profile,
                        self.endpoint_url)

    def gateway(self) -> Gateway:
        """The REST API gateway for this account."""
        if self.connect is not None:
            return _limited(self.connect(self.profile, self.region, self.endpoint_url),
                            self.max_in_flight)
        return rest_gateway.connect(self.profile, self.region, self.endpoint_url, self.max_rps,
                                    self.session, self.max_in_flight)

    def http_gateway(self, pacer: Pacer | None = None) -> HttpGateway:
        """The HTTP API gateway for this account, sharing `pacer` if one is given."""
        if self.connect_http is not None:
            return _limited(self.connect_http(self.profile, self.region, self.endpoint_url),
                            self.max_in_flight)
        return http_gateway.connect(self.profile, self.region, self.endpoint_url, self.max_rps,
                                    self.session, pacer=pacer, max_in_flight=self.max_in_flight)


GatewayT = TypeVar("GatewayT", Gateway, HttpGateway)


def _limited(gateway: GatewayT, max_in_flight: int) -> GatewayT:
    """An injected gateway, sending at most `max_in_flight` calls at once like a connected one."""
    gateway.in_flight = in_flight(max_in_flight)
    return gateway


def find(api: str, account: Account | None = None) -> RestBackend | HttpBackend:
    """Connect and decide whether `api` (an id, or a unique name) is a REST or an HTTP API."""
    account = account or Account()
    gateway = account.gateway()
    try:
        rest = gateway.resolve(api)
    except NotARestApi as refused:
        if refused.protocol != "HTTP":
            raise
        # One pacer for the command: the REST lookup and the HTTP API's calls draw on the
        # same account quota in AWS.
        return HttpBackend(account.http_gateway(pacer=gateway.pacer), refused.api_id,
                           account.journals())
    return RestBackend(gateway, rest, account.journals())


def status(api: str, *, stage: str | None = None, account: Account | None = None) -> Report:
    """Each method's (or route's) mode and the stages; `stage` narrows the header to one."""
    return find(api, account).status(stage)


def plan_change(
    api: str,
    mode: Mode | str,
    *,
    methods: Sequence[str] = (),
    all: bool = False,
    stage: str | None = None,
    no_deploy: bool = False,
    refuse_managed: bool = False,
    on_failure: str | None = None,
    max_retries: int | None = None,
    max_event_age: int | None = None,
    convert_proxy: bool = False,
    respond_202: bool | None = None,
    optional_header: bool = False,
    canary: float | None = None,
    account: Account | None = None,
) -> ChangePlan:
    """The plan taking the chosen methods to `mode` ('async', 'switchable' or 'sync').

    Nothing changes until the plan's `apply()`. The argument checks come before any AWS call.
    `optional_header` (switchable, REST APIs) declares InvocationType optional.
    With `canary` (0.0-100.0, REST APIs), the change is deployed as the stage's canary.
    """
    change = ChangeRequest(
        mode=mode_named(mode), methods=patterns(methods), all=all, stage=stage,
        no_deploy=no_deploy, refuse_managed=refuse_managed, on_failure=on_failure,
        max_retries=max_retries, max_event_age=max_event_age, convert_proxy=convert_proxy,
        respond_202=respond_202, optional_header=optional_header, canary=canary)
    return plan_request(api, change, account=account)


def plan_request(api: str, change: ChangeRequest, *, account: Account | None = None
                 ) -> ChangePlan:
    """The plan of a change already checked (the CLI checks its flags before boto3 loads)."""
    return _changing(api, account).change_plan(change)


def plan_redeploy(api: str, *, stage: str | None = None, description: str | None = None,
                  canary: float | None = None, account: Account | None = None) -> ChangePlan:
    """The plan that only deploys a stage, so callers get the API's current configuration.

    With `canary` (0.0-100.0, REST APIs), the deployment is the stage's canary.
    """
    return _changing(api, account).redeploy_plan(stage, description, canary)


# Canary releases (REST APIs)

def plan_promote(api: str, *, stage: str, account: Account | None = None) -> ChangePlan:
    """The plan that gives all of a stage's traffic to its canary and removes the canary."""
    return _canary_ending(api, stage, "promote", account)


def plan_cancel_canary(api: str, *, stage: str, account: Account | None = None) -> ChangePlan:
    """The plan that removes a stage's canary, so all traffic stays on its own deployment."""
    return _canary_ending(api, stage, "cancel-canary", account)


def _canary_ending(api: str, stage: str | None, ending: Ending,
                   account: Account | None) -> ChangePlan:
    backend = _changing(api, account)
    if isinstance(backend, HttpBackend):
        raise UsageError(f"{backend.api_id} is an HTTP API: HTTP API stages have no canary "
                         f"releases, so there is nothing for {ending} to do")
    return prepare(backend, backend.plan_ending(stage, ending))


def _changing(api: str, account: Account | None) -> RestBackend | HttpBackend:
    """The API found, once no other asyncgw is changing it and no journal is unfinished."""
    account = account or Account()
    backend = find(api, account)
    check_free(account.journals(), backend.api_id, backend.gateway.region, api)
    return backend


def save_plan(path: str | os.PathLike[str], api: str, request: Request, *,
              account: Account | None = None) -> ChangePlan:
    """Plan `request` (a ChangeRequest or RedeployRequest), write it to `path` for
    `plan_from_file`, and return it to show; nothing changes (`apply()` it or not)."""
    backend = _changing(api, account)
    plan = _planned(backend, request)
    SavedPlan.of(plan, request, kind=_kind(backend), version=__version__).write(path)
    return plan


def plan_from_file(path: str | os.PathLike[str], *, canary: float | None = None,
                   account: Account | None = None) -> ChangePlan:
    """The plan saved in `path`, planned again against the API as it is now.

    Raises PlanFileError for a file that is not a plan, and PlanOutdated, before any write,
    when the API changed since (naming what) or planning again gives another plan. The
    Region is the file's; an account naming another one is refused. `canary` deploys the
    same steps as the stage's canary at that share of traffic instead of as saved.
    """
    saved = load(path, __version__)
    backend = _changing(saved.api_id, _in_region(account or Account(), saved.region))
    if _kind(backend) != saved.kind:
        raise PlanOutdated(f"the plan is for a {saved.kind.upper()} API but {saved.api_id} "
                           f"is now a {_kind(backend).upper()} API; nothing was changed")
    request = saved.request if canary is None else dataclasses.replace(saved.request,
                                                                       canary=canary)
    plan = _planned(backend, request)
    check(saved, plan, __version__, share_differs=canary is not None)
    return plan


def _planned(backend: RestBackend | HttpBackend, request: Request) -> ChangePlan:
    if isinstance(request, RedeployRequest):
        return backend.redeploy_plan(request.stage, request.description, request.canary)
    return backend.change_plan(request)


def _kind(backend: RestBackend | HttpBackend) -> str:
    return "http" if isinstance(backend, HttpBackend) else "rest"


def _in_region(account: Account, region: str) -> Account:
    """The account in the plan's Region; refused when it names another Region."""
    named = account.session.region_name if account.session is not None else account.region
    if named is not None and named != region:
        raise UsageError(f"the plan is for Region {region}, not {named}: apply it without "
                         "another Region (the plan file names its own), or plan again there")
    return account if account.session is not None else dataclasses.replace(account,
                                                                            region=region)


def plan_verify(api: str, *, methods: Sequence[str] = (), all: bool = False,
                stage: str | None = None, invoke: bool = False, body: str = "{}",
                account: Account | None = None) -> VerifyPlan:
    """What verify will check and which functions it would invoke for real (REST APIs)."""
    request = VerifyRequest(methods=patterns(methods), all=all, stage=stage, invoke=invoke,
                            body=body)
    return verify_request(api, request, account=account)


def verify_request(api: str, request: VerifyRequest, *, account: Account | None = None
                   ) -> VerifyPlan:
    """What verify will check, for a request already checked (as the CLI does first)."""
    return find(api, account).verifier(request)


def patterns(methods: Sequence[str]) -> tuple[str, ...]:
    """The -m patterns as a tuple; one string (not a list of them) is refused, not split."""
    if isinstance(methods, str):
        raise UsageError(f"methods takes a list of 'VERB /path' patterns, such as "
                         f"[{methods!r}], not one string")
    return tuple(methods)


def verify(api: str, *, methods: Sequence[str] = (), all: bool = False,
           stage: str | None = None, invoke: bool = False, body: str = "{}",
           account: Account | None = None) -> Verified:
    """Prove with TestInvokeMethod that methods invoke their functions as their mode says."""
    return plan_verify(api, methods=methods, all=all, stage=stage, invoke=invoke, body=body,
                       account=account).run()


def export_code(api: str, mode: Mode | str, *, format: str, methods: Sequence[str] = (),
           all: bool = False, optional_header: bool = False,
           account: Account | None = None) -> Report:
    """The change as infrastructure code in `format` (see asyncgw.export.FORMAT_NAMES).

    `optional_header` writes switchable's optional-header form (enable-switchable
    --optional-header)."""
    wanted = intent.mode_change(api, mode_named(mode), methods=patterns(methods), everything=all,
                                no_deploy=True)
    snapshot = intent.read((account or Account()).gateway(), api)
    chosen = select(snapshot, wanted.patterns, wanted.everything).methods
    return Report(export(snapshot, chosen, mode_named(mode), format, optional_header),
                  export_data(snapshot, chosen, mode_named(mode), format, optional_header))


def advise(api: str, *, stage: str | None = None, days: int = 7,
           account: Account | None = None) -> Report:
    """Which Lambda methods should be async, ranked by the last `days` days of CloudWatch
    metrics, each with its reason and the asyncgw command (REST APIs; reads only)."""
    advisor.check_days(days)
    gateway = (account or Account()).gateway()
    try:
        rest = gateway.resolve(api)
    except NotARestApi as refused:
        if refused.protocol != "HTTP":
            raise
        raise UsageError(f"{refused.api_id} is an HTTP API: advise ranks REST API methods "
                         "only; read an HTTP API's figures in CloudWatch (AWS/ApiGateway, "
                         "dimensions ApiId and Stage)") from None
    metrics = gateway.metrics()
    if metrics is None:
        raise AwsSetupError("advise needs CloudWatch: the gateway was made without a session")
    given = account or Account()
    # The commands printed reach the same account and Region as this run did.
    flags = "".join(f" {flag} {shlex.quote(value)}" for flag, value in (
        ("--region", given.region), ("--profile", given.profile),
        ("--endpoint-url", given.endpoint_url)) if value)
    advised = advisor.advise(gateway, metrics, rest, stage, days, flags=flags)
    return Report(advise_render.text(advised), advise_render.data(advised))


def list_apis(*, account: Account | None = None) -> Report:
    """Every REST and HTTP API of the Region: its methods' (routes') modes and lagging stages.

    An API that cannot be read is listed as unknown with the reason; so is a whole kind of API
    whose list cannot be read. Reads only.
    """
    given = account or Account()
    gateway = given.gateway()
    apis: list[ApiSummary] = []
    failures: list[str] = []
    try:
        apis.extend(rest_listing.summaries(gateway))
    except AsyncgwError as error:  # GetRestApis itself refused: the HTTP APIs are still listed
        failures.append(f"REST APIs: {error.message}")
    try:
        # One pacer: both kinds of call draw on the same account quota.
        apis.extend(http_listing.summaries(given.http_gateway(pacer=gateway.pacer)))
    except AsyncgwError as error:
        failures.append(f"HTTP APIs: {error.message}")
    listed = RegionListing(gateway.region, tuple(apis), tuple(failures))
    return Report(listing.text(listed), listing.data(listed))


def unfinished(*, account: Account | None = None) -> Report:
    """The journals of applies that did not finish, and of those running now."""
    return recovery.listing((account or Account()).journals())


def plan_recover(api: str, *, account: Account | None = None) -> recovery.RecoverPlan | None:
    """What differs on `api` (an id, or the name its journal recorded) from before its
    unfinished apply, and the restore; None when `api` has no unfinished journal.

    The account's profile, Region and endpoint default to those the journal recorded.
    """
    account = account or Account()
    recorded = recovery.find(account.journals(), api, account.region)
    if recorded is None:
        return None
    header = recorded.header
    if account.session is None:
        account = replace(account, profile=account.profile or header.get("profile"),
                          region=account.region or header["region"],
                          endpoint_url=account.endpoint_url or header.get("endpointUrl"))
    if header["kind"] == "rest":
        return recovery.plan(recorded, recovery.rest_writer(header, account.gateway()))
    return recovery.plan(recorded, recovery.http_writer(header, account.http_gateway()))
