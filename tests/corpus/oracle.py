"""What `status` must report for each method, derived from the OpenAPI document alone.

The recipe ("Modes, as status reports them" in the design): a Lambda non-proxy integration
(type aws) mapping integration.request.header.X-Amz-Invocation-Type from 'Event' is async,
from method.request.header.InvocationType switchable, otherwise sync; a Lambda proxy, any
other integration, or none is not eligible. A proxy that streams is a Lambda method too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

VERBS = ("get", "put", "post", "delete", "patch", "head", "options")
ANY = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
MAPPING = "integration.request.header.X-Amz-Invocation-Type"
SELECTOR = "method.request.header.InvocationType"
ALLOW_HEADERS = "method.response.header.Access-Control-Allow-Headers"
# The Lambda integration URI forms AWS documents: Invoke and InvokeWithResponseStream.
LAMBDA_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/\d{4}-\d{2}-\d{2}/"
                        r"functions/(?P<function>.+)/(?P<action>invocations|"
                        r"response-streaming-invocations)$")


@dataclass(frozen=True)
class Expected:
    """One method as the document defines it."""

    key: str
    integration_type: str | None
    function: str | None
    mode: str
    why: str | None = None
    """For a not-eligible method: 'streaming', 'proxy', 'not-lambda' or 'no-integration'."""
    allow_headers: str | None = None
    """An OPTIONS method's static Access-Control-Allow-Headers mapping, if any."""

    @property
    def lambda_non_proxy(self) -> bool:
        """A method enable-* can take without --convert-proxy."""
        return self.mode in ("sync", "async", "switchable")

    @property
    def convertible(self) -> bool:
        """A Lambda proxy method --convert-proxy can take."""
        return self.why == "proxy"


def methods(document: dict[str, Any]) -> dict[str, Expected]:
    """Every method of the document, keyed 'VERB /path'."""
    found = {}
    for path, item in (document.get("paths") or {}).items():
        for name, operation in (item or {}).items():
            if name not in VERBS and name != ANY:
                continue
            verb = "ANY" if name == ANY else name.upper()
            found[f"{verb} {path}"] = expected(f"{verb} {path}", operation or {})
    return found


def expected(key: str, operation: dict[str, Any]) -> Expected:
    """The mode and function of one operation."""
    integration = operation.get(INTEGRATION)
    if not integration:
        return Expected(key, None, None, "not-eligible", "no-integration")
    kind = str(integration.get("type", "")).upper()
    match = LAMBDA_URI.match(str(integration.get("uri", "")))
    function = match.group("function") if match else None
    allow = _allow_headers(integration) if key.startswith("OPTIONS ") else None
    if function is None or kind not in ("AWS", "AWS_PROXY"):
        return Expected(key, kind, None, "not-eligible", "not-lambda", allow)
    if kind == "AWS_PROXY":
        streaming = (match is not None and match.group("action") != "invocations") or str(
            integration.get("responseTransferMode", "")).upper() == "STREAM"
        return Expected(key, kind, function, "not-eligible",
                        "streaming" if streaming else "proxy")
    mapping = (integration.get("requestParameters") or {}).get(MAPPING)
    mode = {"'Event'": "async", SELECTOR: "switchable"}.get(mapping, "sync")
    return Expected(key, kind, function, mode)


def _allow_headers(integration: dict[str, Any]) -> str | None:
    for response in (integration.get("responses") or {}).values():
        value = ((response or {}).get("responseParameters") or {}).get(ALLOW_HEADERS)
        if isinstance(value, str):
            return value
    return None


def preflights_to_change(found: dict[str, Expected], convert: bool) -> list[str]:
    """OPTIONS methods whose allowed headers switchable mode must add InvocationType to."""
    paths = {key.split(" ", 1)[1] for key, e in found.items()
             if e.lambda_non_proxy or (convert and e.convertible)}
    out = []
    for key, e in found.items():
        verb, path = key.split(" ", 1)
        value = e.allow_headers
        if verb != "OPTIONS" or path not in paths or value is None:
            continue
        names = [n.strip() for n in value.strip("'").split(",")]
        if value.startswith("'") and "*" not in names and "InvocationType" not in names:
            out.append(key)
    return sorted(out)
