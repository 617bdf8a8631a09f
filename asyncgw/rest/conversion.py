"""Proxy conversion and 202 Accepted: the whole parts a method needs, and how they are undone.

What a conversion replaced is kept in the API itself, as a VTL comment on the first line of the
template asyncgw writes (`## asyncgw:converted {...}` in the request template,
`## asyncgw:accepted {...}` in the default integration response's), so that a later `disable`
from any machine can put the method back exactly. A comment changes nothing a template renders.

A proxy integration's own integration responses (an exported `default: statusCode: 200` is
common; AWS keeps them and ignores them for a proxy) are removed while the method is converted,
so that they cannot select responses of the converted integration, and recorded in the marker
to be put back exactly.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, Field

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange, Model
from asyncgw.core.modes import Mode
from asyncgw.rest import parts, proxy_templates
from asyncgw.rest.models import Integration, IntegrationResponse, Method, MethodResponse, SetPart
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, STREAMING_REASON, lambda_function, streams

CONVERTED = "## asyncgw:converted "
ACCEPTED = "## asyncgw:accepted "
ACCEPTED_STATUS = "202"
SUCCESS_STATUS = "200"
_JSON = proxy_templates.RESPONSE_CONTENT_TYPE


OWNED = ("type", "integrationHttpMethod", "requestTemplates", "passthroughBehavior",
         "contentHandling")
"""The integration fields a conversion replaces; every other field stays the user's."""


class Refused(UsageError):
    """A method a change cannot take: an error when named with -m, skipped under --all."""

    def __init__(self, method: Method, reason: str) -> None:
        super().__init__(f"{method.key}: {reason}")
        self.reason = reason


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


def _line(prefix: str, payload: BaseModel) -> str:
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
    return _marker(response.response_templates.get(_JSON), ACCEPTED, Accepted)


def answers_202(method: Method) -> bool:
    """Whether async calls of this method get 202 Accepted with a request id."""
    if accepted(method) is not None:
        return True
    response = default_response(method)
    return bool(converted(method) and response and "responseOverride.status = 202" in
                (response.response_templates.get(_JSON) or ""))


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
    marker = _line(CONVERTED, Converted(proxy=owned, method_responses=added,
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
    steps = [_set(method, "integration-response", code, None, arguments,
                  [FieldChange(field="statusCode", before=code, after="kept for disable")])
             for code, arguments in kept.items()]
    steps.append(_set(method, "integration", None, new, original, _diff(original, new)))
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
        _set(method, "integration-response", code, None,
             parts.integration_response_arguments(response),
             [FieldChange(field="statusCode", before=code, after=None)])
        for code, response in sorted(integration.integration_responses.items())
    ]
    steps.append(_set(method, "integration", None, restored, current,
                      _diff(current, restored)))
    steps += [_set(method, "integration-response", code, arguments, None,
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
        return [] if step.before is not None and same(step.after or {}, step.before) else [step]
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
    templates = {k: v or "" for k, v in response.response_templates.items() if k != _JSON}
    if found.template is not None:
        templates[_JSON] = found.template
    after = {k: v for k, v in current.items() if k != "responseTemplates"}
    if templates:
        after["responseTemplates"] = templates
    steps = [_set(method, "integration-response", response.status_code, after, current,
                  [FieldChange(field="202 Accepted for async calls", before="yes", after=None)])]
    return steps + _remove_method_responses(method, found.method_responses)


def _accept(method: Method, mode: Mode) -> list[SetPart]:
    response = default_response(method)
    if response is None:
        raise Refused(method, "no default integration response to answer 202 from; add one, "
                      "or leave out --respond-202")
    found = accepted(method)
    templates = {k: v or "" for k, v in response.response_templates.items()}
    original = found.template if found else templates.get(_JSON)
    if templates and _JSON not in templates:
        raise Refused(method, f"its default response has templates only for "
                      f"{', '.join(templates)}; 202 Accepted needs an {_JSON} one")
    added = found.method_responses if found else tuple(
        code for code in (ACCEPTED_STATUS,) if code not in method.method_responses)
    marker = Accepted(template=original, method_responses=added)
    wrapped = proxy_templates.response_template(_template_mode(mode), True, False,
                                                existing=original or "")
    current = parts.integration_response_arguments(response)
    after = {**current, "responseTemplates": {**templates,
                                              _JSON: _line(ACCEPTED, marker) + wrapped}}
    steps = []
    if found is None:
        steps += [_add_method_response(method, code) for code in added]
    if not same(after, current):
        steps.append(_set(method, "integration-response", response.status_code, after, current,
                          [FieldChange(field="202 Accepted for async calls",
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
    after: dict[str, object] = {"responseTemplates": {_JSON: template}} if template else {}
    label = ("202 Accepted for async calls" if respond_202 else "empty 200 for async calls")
    return _set(method, "integration-response", SUCCESS_STATUS, after, before, [
        FieldChange(field="responseTemplates", before="previous" if before else None,
                    after=label + (", the function's proxy response for sync calls"
                                   if mode is Mode.SWITCHABLE else ""))])


def _remove_method_responses(method: Method, codes: tuple[str, ...]) -> list[SetPart]:
    return [_set(method, "method-response", code, None,
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
    return _set(method, "method-response", code, parts.method_response_arguments(response), None,
                [FieldChange(field="statusCode", before=None, after=code)])


def _set(method: Method, part: str, status_code: str | None, after: dict[str, object] | None,
         before: dict[str, object] | None, changes: list[FieldChange]) -> SetPart:
    return SetPart.model_validate({
        "resource_id": method.resource_id, "path": method.path,
        "http_method": method.http_method, "part": part, "status_code": status_code,
        "changes": tuple(c for c in changes if c.before != c.after),
        "after": after, "before": before,
    })


def same(left: dict[str, object], right: dict[str, object]) -> bool:
    """Equal as AWS stores them: an empty template, a null one and none are alike.

    That AWS reads an empty template back as null (or drops it) is [UNVERIFIED]; comparing
    this way keeps a re-plan from finding a change that is not there either way.
    """
    return _normal(left) == _normal(right)


def _normal(arguments: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in arguments.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v not in (None, "")}
        if value not in (None, "", {}, []):
            out[key] = value
    return out


def _diff(before: dict[str, object], after: dict[str, object]) -> list[FieldChange]:
    """Every field that differs, map entries one by one, templates summarised."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if isinstance(was, dict | None) and isinstance(now, dict | None) and (
                isinstance(was, dict) or isinstance(now, dict)):
            old_map, new_map = was or {}, now or {}
            for entry in sorted(old_map.keys() | new_map.keys()):
                if old_map.get(entry) != new_map.get(entry):
                    changes.append(FieldChange(field=f"{key}.{entry}",
                                               before=_shown(old_map.get(entry)),
                                               after=_shown(new_map.get(entry))))
        else:
            changes.append(FieldChange(field=key, before=_shown(was), after=_shown(now)))
    return changes


def _shown(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if text.startswith(CONVERTED):
        return "proxy event template (asyncgw)"
    return text if len(text) <= 80 else f"template of {len(text)} characters"


def repairs(original: Method, changed: Method) -> tuple[list[SetPart], bool]:
    """Whole-part steps that put `changed` back to `original`, and whether they include the
    integration (then no patch of its mapping is needed): used after a failed apply."""
    assert original.integration is not None and changed.integration is not None
    was, now = original.integration, changed.integration
    if lambda_function(was) is None:
        return [], False  # a CORS preflight: cors.restore_steps puts its headers back
    first: list[SetPart] = []
    last: list[SetPart] = []
    for code in sorted(now.integration_responses.keys() - was.integration_responses.keys()):
        first.append(_set(changed, "integration-response", code, None,
                          parts.integration_response_arguments(now.integration_responses[code]),
                          []))
    for code, declared in sorted(original.method_responses.items()):
        if changed.method_responses.get(code) != declared:
            current = changed.method_responses.get(code)
            first.append(_set(changed, "method-response", code,
                              parts.method_response_arguments(declared),
                              parts.method_response_arguments(current) if current else None, []))
    whole = _without_mapping(was) != _without_mapping(now)
    if whole:
        first.append(_set(changed, "integration", None, parts.integration_arguments(was),
                          parts.integration_arguments(now), []))
    for code, response in sorted(was.integration_responses.items()):
        if whole or now.integration_responses.get(code) != response:
            current_response = now.integration_responses.get(code)
            first.append(_set(changed, "integration-response", code,
                              parts.integration_response_arguments(response),
                              parts.integration_response_arguments(current_response)
                              if current_response else None, []))
    for code in sorted(changed.method_responses.keys() - original.method_responses.keys()):
        last.append(_set(changed, "method-response", code, None,
                         parts.method_response_arguments(changed.method_responses[code]), []))
    return first + last, whole


def _without_mapping(integration: Integration) -> dict[str, object]:
    arguments = parts.integration_arguments(integration.model_copy(update={
        "request_parameters": {k: v for k, v in integration.request_parameters.items()
                               if k != INVOCATION_TYPE_MAPPING}}))
    return arguments
