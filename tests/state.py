"""Full read-backs of an API through plain boto3 calls, to prove what did and did not change."""

from __future__ import annotations

import copy
from typing import Any

from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER

VOLATILE_STAGE_FIELDS = ("deploymentId",)
# When a stage last changed is no setting of it: any write to the stage moves it, pointing the
# stage back at the deployment it served included [MODEL Stage lastUpdatedDate].
STAGE_TIMESTAMPS = ("lastUpdatedDate",)


def full_state(client: Any, api_id: str) -> dict[str, Any]:
    """Every method, integration, response, validator and stage of an API, one call each."""
    methods: dict[str, Any] = {}
    # GetResources pages (25 by default, moto 5.2 too): follow every page.
    pages = client.get_paginator("get_resources").paginate(
        restApiId=api_id, embed=["methods"], PaginationConfig={"PageSize": 500})
    for resource in (item for page in pages for item in page["items"]):
        for verb in resource.get("resourceMethods", {}):
            method = client.get_method(restApiId=api_id, resourceId=resource["id"],
                                       httpMethod=verb)
            method.pop("ResponseMetadata")
            methods[f"{verb} {resource['path']}"] = _without_empty_maps(method)
    validators = client.get_request_validators(restApiId=api_id)["items"]
    stages = [{k: v for k, v in stage.items() if k not in STAGE_TIMESTAMPS}
              for stage in client.get_stages(restApiId=api_id)["item"]]
    return {"methods": methods, "validators": sorted(validators, key=lambda v: v["id"]),
            "stages": sorted(stages, key=lambda s: s["stageName"])}


def _without_empty_maps(method: dict[str, Any]) -> dict[str, Any]:
    # AWS drops a map once it is empty [REC A3]; moto's PutIntegration stores empty maps.
    # Both mean "no entries", so compare them as one.
    for holder in (method, method.get("methodIntegration", {})):
        for key in ("requestParameters", "requestTemplates", "requestModels"):
            if holder.get(key) == {}:
                del holder[key]
    return method


def without_owned_fields(state: dict[str, Any], deployed_stage: str | None) -> dict[str, Any]:
    """The state minus what asyncgw owns: the mapping, the header, the validator id."""
    out = copy.deepcopy(state)
    for method in out["methods"].values():
        params = method.get("requestParameters", {})
        params.pop(SELECTOR_PARAMETER, None)
        if not params:
            method.pop("requestParameters", None)
        method.pop("requestValidatorId", None)
        integration = method.get("methodIntegration", {})
        mapping = integration.get("requestParameters", {})
        mapping.pop(INVOCATION_TYPE_MAPPING, None)
        if not mapping:
            integration.pop("requestParameters", None)
    for stage in out["stages"]:
        if stage["stageName"] == deployed_stage:
            for name in VOLATILE_STAGE_FIELDS:
                stage.pop(name, None)
    return out


def call_counter(client: Any) -> list[str]:
    """A list that collects the name of every API call the client makes from now on."""
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client.meta.events.register("before-call.api-gateway", count)
    return calls
