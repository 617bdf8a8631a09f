"""The HTTP APIs of a region for `asyncgw list`: route mode counts and stages, per API."""

from __future__ import annotations

from collections.abc import Iterator

from asyncgw.core.errors import AsyncgwError
from asyncgw.core.listing import ApiSummary, StageLag, counts
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.modes import assess
from asyncgw.http.snapshot import HttpApi, Stage

MANUAL_STAGE = ("deployed by hand: asyncgw does not compare what an HTTP API stage serves "
                "with the current routes")


def summaries(gateway: HttpGateway) -> Iterator[ApiSummary]:
    """Each HTTP API of the gateway's region (WebSocket APIs left out); unreadable ones unknown.

    Per API the reads status makes: GetRoutes, GetIntegrations, GetStages, and the forwarders'
    functions (and their role) when routes call one.
    """
    for api in gateway.apis():
        if api.protocol_type.upper() == "HTTP":
            yield summary(gateway, api)


def summary(gateway: HttpGateway, api: HttpApi) -> ApiSummary:
    """One HTTP API's route mode counts and its stages."""
    try:
        snapshot = gateway.read(api)
    except AsyncgwError as error:
        return ApiSummary("HTTP", api.api_id, api.name, error=error.message)
    modes = [assess(route, snapshot).mode for route in snapshot.routes]
    return ApiSummary("HTTP", api.api_id, api.name, counts(modes),
                      tuple(_lag(stage) for stage in snapshot.stages))


def _lag(stage: Stage) -> StageLag:
    # A stage that deploys automatically serves every change at once [DOC http-api-stages].
    if stage.auto_deploy:
        return StageLag(stage.stage_name, False)
    return StageLag(stage.stage_name, None, MANUAL_STAGE)
