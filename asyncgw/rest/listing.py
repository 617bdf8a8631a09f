"""The REST APIs of a region for `asyncgw list`: mode counts and lagging stages, per API."""

from __future__ import annotations

from collections.abc import Iterator

from asyncgw.core.errors import AsyncgwError
from asyncgw.core.listing import ApiSummary, StageLag, counts
from asyncgw.rest import live
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from asyncgw.rest.snapshot import ApiSnapshot, RestApi


def summaries(gateway: Gateway) -> Iterator[ApiSummary]:
    """Each REST API of the gateway's region; one that cannot be read is unknown, with why.

    Per API the reads status makes, minus the functions' side: GetResources, GetRequestValidators,
    GetStages, then one GetExport per stage.
    """
    for api in gateway.rest_apis():
        yield summary(gateway, api)


def summary(gateway: Gateway, api: RestApi) -> ApiSummary:
    """One REST API's mode counts and which of its stages lag behind."""
    try:
        snapshot = gateway.read(api)
    except AsyncgwError as error:
        return ApiSummary("REST", api.id, api.name, error=error.message)
    modes = [assess(method, snapshot).mode for method in snapshot.methods]
    stages = tuple(_lag(gateway, snapshot, stage.stage_name) for stage in snapshot.stages)
    return ApiSummary("REST", api.id, api.name, counts(modes), stages)


def _lag(gateway: Gateway, snapshot: ApiSnapshot, stage: str) -> StageLag:
    try:
        served = live.served(stage, gateway.export(snapshot.api.id, stage), snapshot)
    except AsyncgwError as error:
        return StageLag(stage, None, f"cannot tell what it serves: {error.message}")
    return StageLag(stage, behind(snapshot, served))


def behind(snapshot: ApiSnapshot, served: live.Served) -> bool:
    """True when the stage serves some method in another mode or wiring, or not at all.

    The same comparison as status's ON-stage column (a '*' or 'not deployed'), plus methods
    the stage still serves that the API no longer has.
    """
    current = {method.key for method in snapshot.methods}
    return bool(set(served.modes) - current) or any(
        served.differs(method.key, assess(method, snapshot).mode) or served.older(method)
        for method in snapshot.methods)
