"""Pure snapshots whose paths, verbs and values stress the exporters' naming and quoting."""

from __future__ import annotations

from asyncgw.rest.snapshot import ApiSnapshot, Integration
from tests.support.rest_builders import LAMBDA_URI, asynchronous, method, snapshot, switchable

AWKWARD_TEMPLATE = '{"id": "$input.params(\'id\')", "note": "50% ${x} %{y}\\n"}'


def awkward() -> ApiSnapshot:
    """Root and ANY methods, colliding names, a digit-led path, quotes in a template."""
    templated = method(
        "PUT /2024/items-list",
        Integration(type="AWS", uri=LAMBDA_URI, http_method="POST",
                    request_templates={"application/json": AWKWARD_TEMPLATE}),
        params={"method.request.querystring.filter": False},
    )
    return snapshot([
        method("GET /"),
        asynchronous("ANY /items/{proxy+}"),
        switchable("POST /a/{b}"),
        method("POST /a/b"),
        templated,
    ])
