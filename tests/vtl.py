"""A stand-in for API Gateway's mapping-template engine: airspeed with $input, $context, $util.

What it copies from AWS, and on what evidence (labels as in shared/reference/aws-apigw.md):
- `$input.body` is the body as the integration sees it, and "{}" when that is empty [REC, LocalStack
  snapshot test_input_body_formatting, 19-03-2025]. A binary media type arrives base64-encoded
  under CONVERT_TO_TEXT, other bodies as UTF-8 text [DOC api-gateway-payload-encodings-workflow].
- `$input.params()` is {path, querystring, header}; a repeated query key keeps its last value, as
  the proxy event's queryStringParameters do [REC test_lambda_aws_proxy_integration, 02-08-2024];
  a repeated header is assumed to do the same [UNVERIFIED; LocalStack keeps the first]. There is
  no Content-Length or Transfer-Encoding among the headers here unless a test passes one (LocalStack
  drops both before templates [LS]). Response templates see it too [REC
  test_mock_integration_response reads $input.params().path.id, 30-05-2024].
- There is no `$method` in templates: AWS documents `method.request.multivalueheader` and
  `.multivaluequerystring` as parameter-mapping sources only [DOC request-response-data-mappings],
  so a template sees one value per header and query key.
- A null reference prints as "" (AWS printed null identity fields as "" [REC
  test_sqs_amz_json_protocol, 20-05-2025]); `strict=True` prints its source text instead, as plain
  Velocity does, so a test can prove a template never prints a null at all.
- `$context.responseOverride` status and headers are captured, and setting one twice fails:
  "Overrides are final" [DOC apigateway-override-request-response-parameters].
- `$util.escapeJavaScript` follows Apache Commons Lang 2 `escapeJavaScript`, ' -> \\' included
  [DOC mapping-template reference]; which Commons Lang version AWS runs is [UNVERIFIED].

Importing this module registers Java's String methods (toLowerCase, trim, indexOf, ...) with
airspeed, and rendering makes {} literals Java maps. LocalStack's engine (airspeed with fewer
String methods, and a header map that is no dict) is not copied here: tests/localstack runs the
templates on it. Engine differences that stay: airspeed
evaluates both sides of && and ||, reads backslash escapes in string literals, and looks a map's
method names up as keys first (so the maps here refuse keys named like their methods when read as
properties: $m.get reads no entry "get", $m.get("get") does).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed

CONTEXT_DEFAULTS: dict[str, Any] = {
    "accountId": "123456789012",
    "apiId": "a1b2c3d4e5",
    "deploymentId": "dep123",
    "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    "domainPrefix": "a1b2c3d4e5",
    "extendedRequestId": "Kp3tXFdQoAMEb9A=",
    "protocol": "HTTP/1.1",
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "requestTime": "09/Apr/2015:12:34:56 +0000",
    "requestTimeEpoch": 1428582896000,
    "resourceId": "r3s0rc",
}
IDENTITY_KEYS = (
    "cognitoIdentityPoolId",
    "accountId",
    "cognitoIdentityId",
    "caller",
    "sourceIp",
    "principalOrgId",
    "accessKey",
    "cognitoAuthenticationType",
    "cognitoAuthenticationProvider",
    "userArn",
    "userAgent",
    "user",
)


class OverrideError(Exception):
    """A mapping template set the same override twice, which API Gateway answers with a 5XX."""


class JavaBoolean:
    """A java.lang.Boolean: prints as true/false, compares equal to Python's bool."""

    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (bool, JavaBoolean)) and bool(other) == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __str__(self) -> str:
        return "true" if self.value else "false"


class JavaList(list[Any]):
    """A java.util.List: size(), get(i), isEmpty(), contains(x); prints as [a, b]."""

    def size(self) -> int:
        return len(self)

    def get(self, index: int) -> Any:
        return self[index]

    def isEmpty(self) -> bool:
        return not self

    def contains(self, value: Any) -> bool:
        return value in self

    def __str__(self) -> str:
        return "[" + ", ".join(java_str(item) for item in self) + "]"


class JavaMap:
    """A java.util.LinkedHashMap: methods when called, entries when read as properties."""

    METHODS = frozenset(
        {
            "get",
            "put",
            "putAll",
            "keySet",
            "isEmpty",
            "containsKey",
            "size",
            "values",
            "keys",
            "toString",
        }
    )

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self.entries: dict[str, Any] = dict(items or {})

    def __getitem__(self, name: str) -> Any:
        if name in self.METHODS:
            raise KeyError(name)
        return self.entries[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self.entries[name] = value

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> Any:
        previous = self.entries.get(key)
        self[key] = value
        return previous

    def putAll(self, other: JavaMap) -> None:
        for key, value in other.entries.items():
            self.put(key, value)

    def keySet(self) -> JavaList:
        return JavaList(self.entries)

    def isEmpty(self) -> bool:
        return not self.entries

    def containsKey(self, key: str) -> bool:
        return key in self.entries

    def size(self) -> int:
        return len(self.entries)

    def values(self) -> JavaList:
        return JavaList(self.entries.values())

    def keys(self) -> Any:
        return self.entries.keys()

    def toString(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}={java_str(v)}" for k, v in self.entries.items()) + "}"


class Overrides(JavaMap):
    """A $context.*Override map that refuses a second value for the same name, in any case."""

    def __setitem__(self, name: str, value: Any) -> None:
        if any(name.lower() == known.lower() for known in self.entries):
            raise OverrideError(f"override {name!r} set twice")
        super().__setitem__(name, value)


def java_str(value: Any) -> str:
    """How Velocity prints a value: Java's toString, with null as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def java_value(value: Any) -> Any:
    """A parsed JSON value as Java objects (LinkedHashMap, ArrayList, Boolean ...)."""
    if isinstance(value, dict):
        return JavaMap({k: java_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return JavaList(java_value(v) for v in value)
    if isinstance(value, bool):
        return JavaBoolean(value)
    return value


def escape_javascript(value: Any) -> str:
    """Apache Commons Lang 2 StringEscapeUtils.escapeJavaScript, UTF-16 code unit by code unit."""
    text = java_str(value)
    units = text.encode("utf-16-be", "surrogatepass")
    out = []
    for i in range(0, len(units), 2):
        code = int.from_bytes(units[i : i + 2], "big")
        out.append(_escape_unit(code))
    return "".join(out)


_SHORT_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
_CHAR_ESCAPES = {"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}


def _escape_unit(code: int) -> str:
    if code > 0x7F or (code < 0x20 and code not in _SHORT_ESCAPES):
        return f"\\u{code:04X}"
    if code < 0x20:
        return _SHORT_ESCAPES[code]
    char = chr(code)
    return _CHAR_ESCAPES.get(char, char)


def _java_replace_all(text: str, pattern: str, replacement: str) -> str:
    """String.replaceAll: a Java regex, with $n and \\x read in the replacement."""

    def expand(match: re.Match[str]) -> str:
        out, i = [], 0
        while i < len(replacement):
            char = replacement[i]
            if char == "\\" and i + 1 < len(replacement):
                out.append(replacement[i + 1])
                i += 2
            elif char == "$" and i + 1 < len(replacement) and replacement[i + 1].isdigit():
                out.append(match.group(int(replacement[i + 1])) or "")
                i += 2
            else:
                out.append(char)
                i += 1
        return "".join(out)

    return re.sub(pattern, expand, text)


_STRING_METHODS = {
    "toLowerCase": lambda s: s.lower(),
    "toUpperCase": lambda s: s.upper(),
    "trim": lambda s: s.strip("".join(chr(c) for c in range(33))),
    "isEmpty": lambda s: not s,
    "equals": lambda s, other: s == other,
    "indexOf": lambda s, sub: s.find(sub),
    "substring": lambda s, start, end=None: s[start:end],
    "endsWith": lambda s, suffix: s.endswith(suffix),
    "matches": lambda s, pattern: re.fullmatch(pattern, s) is not None,
    "replaceAll": _java_replace_all,
}
airspeed.__additional_methods__[str].update(_STRING_METHODS)


class Util:
    """$util."""

    def escapeJavaScript(self, value: Any) -> str:
        return escape_javascript(value)

    def parseJson(self, text: str) -> Any:
        return java_value(json.loads(text))

    def base64Encode(self, value: Any) -> str:
        return base64.b64encode(java_str(value).encode()).decode()

    def base64Decode(self, value: Any) -> str:
        return base64.b64decode(java_str(value)).decode("utf-8", "replace")

    def urlEncode(self, value: Any) -> str:
        # java.net.URLEncoder keeps * and encodes ~, unlike Python's quote_plus.
        return quote_plus(java_str(value), safe="*").replace("~", "%7E")

    def urlDecode(self, value: Any) -> str:
        return unquote_plus(java_str(value))


_JSONPATH_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\[(\d+)\]")


def jsonpath(document: Any, path: str) -> Any:
    """The value at a simple JSONPath ($, $.a.b, $['a'], $.a[0]); None when absent."""
    if not path.startswith("$"):
        raise ValueError(f"unsupported JSONPath {path!r}")
    rest, value = path[1:], document
    while rest:
        step = _JSONPATH_STEP.match(rest)
        if step is None:
            raise ValueError(f"unsupported JSONPath {path!r}")
        name, quoted, index = step.groups()
        if index is not None:
            value = (
                value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
            )
        else:
            value = value.get(name or quoted) if isinstance(value, dict) else None
        rest = rest[step.end() :]
    return value


class Input:
    """$input over one body and the method request's parameters."""

    def __init__(self, text: str, params: JavaMap) -> None:
        self.text = text
        self.parameters = params

    @property
    def body(self) -> str:
        return self.text or "{}"

    def _document(self) -> Any:
        return json.loads(self.text) if self.text.strip() else {}

    def json(self, path: str = "$") -> str:
        return json.dumps(jsonpath(self._document(), path), ensure_ascii=False)

    def path(self, path: str) -> Any:
        return java_value(jsonpath(self._document(), path))

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return self.parameters
        for kind in ("path", "querystring", "header"):
            value = self.parameters.get(kind).get(name)
            if value is not None:
                return value
        return ""


@dataclass
class Request:
    """One client request, and the API stage it reaches, as API Gateway sees them."""

    method: str = "GET"
    resource: str = "/items"
    path: str = "/items"
    stage: str = "prod"
    headers: Sequence[tuple[str, str]] = ()
    query: Sequence[tuple[str, str]] = ()
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    stage_variables: Mapping[str, str] | None = None
    body: bytes = b""
    identity: Mapping[str, Any] = field(default_factory=dict)
    authorizer: Mapping[str, Any] = field(default_factory=dict)
    custom_domain: bool = False
    context: Mapping[str, Any] = field(default_factory=dict)

    def multi_headers(self) -> dict[str, list[str]]:
        """Every header's values, names merged case-insensitively under their first spelling."""
        merged: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for name, value in self.headers:
            merged.setdefault(names.setdefault(name.lower(), name), []).append(value)
        return merged

    def multi_query(self) -> dict[str, list[str]]:
        """Every query key's values, in order."""
        merged: dict[str, list[str]] = {}
        for name, value in self.query:
            merged.setdefault(name, []).append(value)
        return merged

    def header(self, name: str) -> str | None:
        """The last value of a header, any case."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None

    def context_path(self) -> str:
        """$context.path: the stage comes first on the execute-api host only."""
        return self.path if self.custom_domain else f"/{self.stage}{self.path}"


def matches_media_type(content_type: str | None, media_types: Sequence[str]) -> bool:
    """Whether a Content-Type falls under one of the API's binary media types."""
    mime = (content_type or "").split(";")[0].strip().lower()
    for media_type in (t.lower().replace("~1", "/") for t in media_types):
        kind, _, subtype = media_type.partition("/")
        if media_type == "*/*" or media_type == mime:
            return True
        if subtype == "*" and kind != "*" and mime.startswith(kind + "/"):
            return True
    return False


def integration_text(request: Request, binary_media_types: Sequence[str]) -> str:
    """The body a CONVERT_TO_TEXT integration hands its template: base64 for binary types."""
    if matches_media_type(request.header("Content-Type"), binary_media_types):
        return base64.b64encode(request.body).decode()
    return request.body.decode("utf-8", "replace")


def params_of(request: Request) -> JavaMap:
    """$input.params(): path, querystring and header maps of single (last) values."""
    return JavaMap(
        {
            "path": JavaMap(request.path_parameters),
            "querystring": JavaMap({k: v[-1] for k, v in request.multi_query().items()}),
            "header": JavaMap({k: v[-1] for k, v in request.multi_headers().items()}),
        }
    )


def context_of(request: Request) -> JavaMap:
    """$context for the request, with empty override maps to capture what templates set."""
    identity: dict[str, Any] = dict.fromkeys(IDENTITY_KEYS)
    identity["sourceIp"] = "198.51.100.7"
    identity["userAgent"] = request.header("User-Agent")
    identity.update(request.identity)
    values: dict[str, Any] = {
        **CONTEXT_DEFAULTS,
        "httpMethod": request.method,
        "resourcePath": request.resource,
        "path": request.context_path(),
        "stage": request.stage,
        "identity": java_value(identity),
        "authorizer": java_value(dict(request.authorizer)),
        "requestOverride": JavaMap(
            {"header": Overrides(), "path": Overrides(), "querystring": Overrides()}
        ),
        "responseOverride": Overrides({"header": Overrides()}),
    }
    values.update(request.context)
    return JavaMap(values)


@dataclass
class Rendered:
    """A template's output and the overrides it set."""

    output: str
    status: Any = None
    headers: dict[str, Any] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.output)


@contextmanager
def _java_semantics(strict: bool) -> Iterator[None]:
    """Print nulls as '' (AWS) or as their source (strict), values Java-style; {} is a Java map."""
    reference, literal = airspeed.FormalReference, airspeed.DictionaryLiteral
    original, original_literal = reference.evaluate_raw, literal.calculate

    def calculate(self: Any, namespace: Any, loader: Any) -> JavaMap:
        return JavaMap(original_literal(self, namespace, loader))

    def evaluate_raw(self: Any, stream: Any, namespace: Any, loader: Any) -> None:
        value = None
        if self.expression is not None:
            value = self.expression.calculate(namespace, loader)
        if value is None and self.alternate is not None:
            value = self.alternate.calculate(namespace, loader)
        if value is None and ((strict and not self.silent) or self.expression is None):
            stream.write(self.my_text())
        else:
            stream.write(java_str(value))

    reference.evaluate_raw, literal.calculate = evaluate_raw, calculate
    try:
        yield
    finally:
        reference.evaluate_raw, literal.calculate = original, original_literal


def render(template: str, namespace: dict[str, Any], *, strict: bool = False) -> Rendered:
    """Merge a template and collect $context.responseOverride."""
    with _java_semantics(strict):
        output = airspeed.Template(template).merge(namespace)
    override = namespace["context"].get("responseOverride")
    headers = override.get("header").entries
    return Rendered(output, override.get("status"), dict(headers))


def render_request(
    template: str,
    request: Request,
    *,
    binary_media_types: Sequence[str] = (),
    strict: bool = False,
) -> Rendered:
    """Render an integration request template for `request`."""
    namespace: dict[str, Any] = {
        "input": Input(integration_text(request, binary_media_types), params_of(request)),
        "context": context_of(request),
        "util": Util(),
        "stageVariables": None
        if request.stage_variables is None
        else JavaMap(request.stage_variables),
    }
    return render(template, namespace, strict=strict)


def render_response(
    template: str, request: Request, payload: str, *, strict: bool = False
) -> Rendered:
    """Render an integration response template for the integration's `payload`."""
    namespace: dict[str, Any] = {
        "input": Input(payload, params_of(request)),
        "context": context_of(request),
        "util": Util(),
        "stageVariables": None
        if request.stage_variables is None
        else JavaMap(request.stage_variables),
    }
    return render(template, namespace, strict=strict)
