"""The markers asyncgw leaves in the templates it writes, and what reading them back says.

What a conversion replaced is kept in the API itself, as a VTL comment on the first line of the
template asyncgw writes (`## asyncgw:converted {...}` in the request template,
`## asyncgw:accepted {...}` in the default integration response's), so that a later `disable`
from any machine can put the method back exactly. A comment changes nothing a template renders.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, Field

from asyncgw.core.model import Model
from asyncgw.rest import proxy_templates
from asyncgw.rest.snapshot import IntegrationResponse, Method

CONVERTED = "## asyncgw:converted "
ACCEPTED = "## asyncgw:accepted "
JSON = proxy_templates.RESPONSE_CONTENT_TYPE


class Converted(Model):
    """The proxy integration's fields a conversion replaced, and the method responses it added."""

    proxy: dict[str, object]
    """The OWNED fields of the original AWS_PROXY integration, as PutIntegration takes them."""
    method_responses: tuple[str, ...] = ()
    integration_responses: dict[str, dict[str, object]] = Field(default_factory=dict)
    """The proxy's integration responses, by status code, as PutIntegrationResponse takes them."""


class Accepted(Model):
    """The application/json template 202 Accepted wrapped, and the method responses it added."""

    template: str | None = Field(default=None)
    """The default response's application/json template before, None when it had none."""
    method_responses: tuple[str, ...] = ()


_M = TypeVar("_M", bound=BaseModel)


def _marker(text: str | None, prefix: str, kind: type[_M]) -> _M | None:
    if not text or not text.startswith(prefix):
        return None
    first = text.split("\n", 1)[0]
    try:
        return kind.model_validate_json(first.removeprefix(prefix))
    except ValueError:  # a hand-edited marker: damaged() says so, nothing is restored from it
        return None


def damaged(method: Method) -> str | None:
    """Why asyncgw cannot read its own marker on this method, or None."""
    integration = method.integration
    if integration is None:
        return None
    texts = [*integration.request_templates.values(),
             *(t for r in integration.integration_responses.values()
               for t in r.response_templates.values())]
    for text in texts:
        for prefix, kind in ((CONVERTED, Converted), (ACCEPTED, Accepted)):
            if text and text.startswith(prefix) and _marker(text, prefix, kind) is None:
                return (f"the first line of a template starts with {prefix.strip()!r} but cannot "
                        "be read: asyncgw will not restore from it; fix or remove that line")
    return None


def marker_line(prefix: str, payload: BaseModel) -> str:
    """The marker's first line: the prefix, then the payload as JSON."""
    return prefix + payload.model_dump_json(by_alias=True) + "\n"


def converted(method: Method) -> Converted | None:
    """What a conversion replaced, when the method is a converted proxy method."""
    integration = method.integration
    if integration is None or integration.type != "AWS":
        return None
    for text in integration.request_templates.values():
        found = _marker(text, CONVERTED, Converted)
        if found is not None:
            return found
    return None


def default_response(method: Method) -> IntegrationResponse | None:
    """The integration response a Lambda success picks: the one without a selection pattern."""
    if method.integration is None:
        return None
    return next((r for r in method.integration.integration_responses.values()
                 if not r.selection_pattern), None)


def accepted(method: Method) -> Accepted | None:
    """What 202 Accepted replaced on a non-proxy method, when it is set up."""
    response = default_response(method)
    if response is None:
        return None
    return _marker(response.response_templates.get(JSON), ACCEPTED, Accepted)


def answers_202(method: Method) -> bool:
    """Whether async calls of this method get 202 Accepted with a request id."""
    if accepted(method) is not None:
        return True
    response = default_response(method)
    return bool(converted(method) and response and "responseOverride.status = 202" in
                (response.response_templates.get(JSON) or ""))
