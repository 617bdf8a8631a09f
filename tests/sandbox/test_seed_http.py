"""The sample HTTP API "events" of the demo and of `asyncgw sandbox serve`."""

from __future__ import annotations

import json

from asyncgw_sandbox.seed_http import SAMPLE_ROUTES, http_api_clients, seed_sample_http_api


def test_the_sample_http_api_has_its_routes_functions_permissions_and_stage(c):
    v2 = http_api_clients(c)
    seeded = seed_sample_http_api(v2)
    client = v2.apigatewayv2
    assert client.get_api(ApiId=seeded.api_id)["Tags"] == {"team": "events"}
    routes = {r["RouteKey"]: r for r in client.get_routes(ApiId=seeded.api_id)["Items"]}
    assert sorted(routes) == sorted(spec.key for spec in SAMPLE_ROUTES)
    integrations = {i["IntegrationId"]: i
                    for i in client.get_integrations(ApiId=seeded.api_id)["Items"]}
    target = integrations[routes["POST /jobs"]["Target"].removeprefix("integrations/")]
    assert (target["IntegrationType"], target["IntegrationUri"]) == (
        "AWS_PROXY", seeded.functions["events-jobs"])
    legacy = integrations[routes["ANY /legacy/{proxy+}"]["Target"].removeprefix("integrations/")]
    assert legacy["IntegrationType"] == "HTTP_PROXY"
    assert sorted(seeded.functions) == ["events-api", "events-jobs"]
    for arn in seeded.functions.values():
        (statement,) = json.loads(c.lambda_.get_policy(FunctionName=arn)["Policy"])["Statement"]
        assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    (stage,) = client.get_stages(ApiId=seeded.api_id)["Items"]
    assert (stage["StageName"], stage["AutoDeploy"]) == ("$default", True)
    assert seeded.stages == ("$default",)
