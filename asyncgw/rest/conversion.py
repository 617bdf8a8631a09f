"""Proxy conversion and 202 Accepted: the whole parts a method needs, and how they are undone.

What a conversion replaced is kept in the API itself, in a marker (see rest/markers.py), so
that a later `disable` from any machine can put the method back exactly.

A proxy integration's own integration responses (an exported `default: statusCode: 200` is
common; AWS keeps them and ignores them for a proxy) are removed while the method is converted,
so that they cannot select responses of the converted integration, and recorded in the marker
to be put back exactly.
"""

from __future__ import annotations

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode
from asyncgw.rest import parts, proxy_templates
from asyncgw.rest.markers import (
    ACCEPTED,
    CONVERTED,
    JSON,
    Accepted,
    Converted,
    accepted,
    answers_202,
    converted,
    default_response,
    marker_line,
)
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, STREAMING_REASON, streams
from asyncgw.rest.parts import diff, same, set_part
from asyncgw.rest.plan import SetPart
from asyncgw.rest.snapshot import IntegrationResponse, Method, MethodResponse

ACCEPTED_STATUS = "202"
SUCCESS_STATUS = "200"


OWNED = ("type", "integrationHttpMethod", "requestTemplates", "passthroughBehavior",
         "contentHandling")
"""The integration fields a conversion replaces; every other field stays the user's."""


class Refused(UsageError):
    """A method a change cannot take: an error when named with -m, skipped under --all."""

    def __init__(self, method: Method, reason: str) -> None:
        super().__init__(f"{method.key}: {reason}")
        self.reason = reason


def content_types(binary_media_types: tuple[str, ...]) -> list[str]:
    """The request Content-Types a converted method has a template for."""
    return list(proxy_templates.request_templates(binary_media_types))


def convert(method: Method, mode: Mode, respond_202: bool, mapping: str,
            binary_media_types: tuple[str, ...]) -> list[SetPart]:
    """Replace a Lambda proxy integration by an AWS one that rebuilds the proxy event."""
    integration = method.integration
    assert integration is not None
    if streams(integration):
        raise Refused(method, STREAMING_REASON)
    added = tuple(code for code in (SUCCESS_STATUS, ACCEPTED_STATUS)
                  if code not in method.method_responses)
    original = parts.integration_arguments(integration)
    owned = {key: original[key] for key in OWNED if key in original}
    kept = {code: parts.integration_response_arguments(response)
            for code, response in sorted(integration.integration_responses.items())}
    marker = marker_line(CONVERTED, Converted(proxy=owned, method_responses=added,
                                        integration_responses=kept))
    templates = {content_type: marker + template for content_type, template in
                 proxy_templates.request_templates(binary_media_types).items()}
    new = {
        **original,
        "type": "AWS",
        "integrationHttpMethod": "POST",
        "requestParameters": {**integration.request_parameters, INVOCATION_TYPE_MAPPING: mapping},
        "requestTemplates": templates,
        "passthroughBehavior": proxy_templates.PASSTHROUGH_BEHAVIOR,
        "contentHandling": proxy_templates.CONTENT_HANDLING,
    }
    # The proxy's responses go first: PutIntegration may or may not keep them [UNVERIFIED].
    steps = [set_part(method, "integration-response", code, None, arguments,
                      [FieldChange(field="statusCode", before=code, after="kept for disable")])
             for code, arguments in kept.items()]
    steps.append(set_part(method, "integration", None, new, original, diff(original, new)))
    steps += [_add_method_response(method, code) for code in added]
    # The proxy's own 200 was deleted above: this one is a new response, not a replacement.
    steps.append(_response(method, mode, respond_202, None, binary_media_types))
    return steps


def restore(method: Method, found: Converted) -> list[SetPart]:
    """Put a converted method's proxy integration back and remove what conversion added.

    Only the fields the conversion owns come from the marker: a URI, role or timeout changed
    since (by hand or by a stack) is kept as it is now.
    """
    integration = method.integration
    assert integration is not None
    current = parts.integration_arguments(integration)
    kept = {key: value for key, value in current.items() if key not in OWNED}
    parameters = {k: v for k, v in integration.request_parameters.items()
                  if k != INVOCATION_TYPE_MAPPING}
    restored = {**kept, **found.proxy, "requestParameters": parameters}
    if not parameters:
        del restored["requestParameters"]
    steps = [
        set_part(method, "integration-response", code, None,
                 parts.integration_response_arguments(response),
                 [FieldChange(field="statusCode", before=code, after=None)])
        for code, response in sorted(integration.integration_responses.items())
    ]
    steps.append(set_part(method, "integration", None, restored, current,
                          diff(current, restored)))
    steps += [set_part(method, "integration-response", code, arguments, None,
                       [FieldChange(field="statusCode", before=None, after=code)])
              for code, arguments in sorted(found.integration_responses.items())]
    return steps + _remove_method_responses(method, found.method_responses)


def respond(method: Method, mode: Mode, respond_202: bool | None,
            binary_media_types: tuple[str, ...]) -> list[SetPart]:
    """The response steps of a method that stays (or becomes) async or switchable.

    `respond_202` None keeps whatever the method answers now; a converted method's template
    still follows the mode.
    """
    wanted = answers_202(method) if respond_202 is None else respond_202
    if converted(method) is not None:
        current = (method.integration.integration_responses.get(SUCCESS_STATUS)
                   if method.integration else None)
        step = _response(method, mode, wanted, current, binary_media_types)
        unchanged = step.before is not None and same(step.after or {}, step.before)
        return [] if unchanged else [step]
    if wanted:
        return _accept(method, mode)
    return undo_accepted(method)


def undo_accepted(method: Method) -> list[SetPart]:
    """Put a non-proxy method's default response template back as it was before 202."""
    found = accepted(method)
    response = default_response(method)
    if found is None or response is None:
        return []
    current = parts.integration_response_arguments(response)
    templates = {k: v or "" for k, v in response.response_templates.items() if k != JSON}
    if found.template is not None:
        templates[JSON] = found.template
    after = {k: v for k, v in current.items() if k != "responseTemplates"}
    if templates:
        after["responseTemplates"] = templates
    steps = [set_part(method, "integration-response", response.status_code, after, current,
                      [FieldChange(field="202 Accepted for async calls", before="yes",
                                   after=None)])]
    return steps + _remove_method_responses(method, found.method_responses)


def _accept(method: Method, mode: Mode) -> list[SetPart]:
    response = default_response(method)
    if response is None:
        raise Refused(method, "no default integration response to answer 202 from; add one, "
                      "or leave out --respond-202")
    found = accepted(method)
    templates = {k: v or "" for k, v in response.response_templates.items()}
    original = found.template if found else templates.get(JSON)
    if templates and JSON not in templates:
        raise Refused(method, f"its default response has templates only for "
                      f"{', '.join(templates)}; 202 Accepted needs an {JSON} one")
    added = found.method_responses if found else tuple(
        code for code in (ACCEPTED_STATUS,) if code not in method.method_responses)
    marker = Accepted(template=original, method_responses=added)
    wrapped = proxy_templates.response_template(_template_mode(mode), True, False,
                                                existing=original or "")
    current = parts.integration_response_arguments(response)
    after = {**current, "responseTemplates": {**templates,
                                              JSON: marker_line(ACCEPTED, marker) + wrapped}}
    steps = []
    if found is None:
        steps += [_add_method_response(method, code) for code in added]
    if not same(after, current):
        steps.append(set_part(method, "integration-response", response.status_code, after,
                              current, [FieldChange(field="202 Accepted for async calls",
                                                    before="yes" if found else None,
                                                    after=f"yes ({mode})")]))
    return steps


def _response(method: Method, mode: Mode, respond_202: bool,
              current: IntegrationResponse | None,
              binary_media_types: tuple[str, ...]) -> SetPart:
    """A converted method's 200 integration response, replacing `current` (None: a new one)."""
    template = proxy_templates.response_template(
        _template_mode(mode), respond_202, True, binary_media_types=binary_media_types)
    before = parts.integration_response_arguments(current) if current else None
    # No selectionPattern: the default response, which a Lambda success picks [MODEL]. No
    # template at all when there is nothing to render: Lambda's empty payload passes through.
    after: dict[str, object] = {"responseTemplates": {JSON: template}} if template else {}
    label = ("202 Accepted for async calls" if respond_202 else "empty 200 for async calls")
    return set_part(method, "integration-response", SUCCESS_STATUS, after, before, [
        FieldChange(field="responseTemplates", before="previous" if before else None,
                    after=label + (", the function's proxy response for sync calls"
                                   if mode is Mode.SWITCHABLE else ""))])


def _remove_method_responses(method: Method, codes: tuple[str, ...]) -> list[SetPart]:
    return [set_part(method, "method-response", code, None,
                     parts.method_response_arguments(method.method_responses[code]),
                     [FieldChange(field="statusCode", before=code, after=None)])
            for code in codes if code in method.method_responses]


def _template_mode(mode: Mode) -> proxy_templates.Mode:
    return "switchable" if mode is Mode.SWITCHABLE else "async"


def _add_method_response(method: Method, code: str) -> SetPart:
    # A 202 declares the headers the 200 does (CORS ones included); their values come from
    # the same integration response.
    copied = method.method_responses.get(SUCCESS_STATUS) if code != SUCCESS_STATUS else None
    response = MethodResponse(status_code=code,
                              response_parameters=copied.response_parameters if copied else {})
    return set_part(method, "method-response", code, parts.method_response_arguments(response),
                    None, [FieldChange(field="statusCode", before=None, after=code)])
