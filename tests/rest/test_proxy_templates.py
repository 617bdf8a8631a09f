"""The proxy templates rebuild the AWS_PROXY event and turn proxy results back into responses."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asyncgw.rest.proxy_templates import (
    BODYLESS_METHODS,
    DEFAULT_CONTENT_TYPES,
    EVENT_DIFFERENCES,
    REQUEST_CONTENT_TYPE,
    request_template,
    request_templates,
    response_template,
)
from tests.vtl import (
    CONTEXT_DEFAULTS,
    IDENTITY_KEYS,
    Request,
    matches_media_type,
    render_request,
    render_response,
)

REQUEST_ID = CONTEXT_DEFAULTS["requestId"]


def proxy_event(request: Request, binary_media_types: Sequence[str] = ()) -> dict[str, Any]:
    """The event an AWS_PROXY integration hands the function for `request`.

    Shape from "Input format of a Lambda function for proxy integration" (docs.aws.amazon.com/
    apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
    #api-gateway-simple-proxy-for-lambda-input-format) and the events recorded on AWS in
    LocalStack's test_lambda_aws_proxy_integration snapshot (02-08-2024): null for absent maps and
    body, the last value of a repeated query key, a path without the stage, requestContext made of
    $context properties, identity keys present with null values, no Content-Length header [REC
    test_lambda_aws_proxy_integration: POST events carry none].
    """
    headers = {
        name: values
        for name, values in request.multi_headers().items()
        if name.lower() != "content-length"
    }
    query = request.multi_query()
    binary = bool(request.body) and matches_media_type(
        request.header("Content-Type"), binary_media_types
    )
    if not request.body:
        body = None
    elif binary:
        body = base64.b64encode(request.body).decode()
    else:
        # What AWS_PROXY does with bytes that are not UTF-8 outside the binary types is unknown.
        body = request.body.decode("utf-8", "replace")
    identity: dict[str, Any] = dict.fromkeys(IDENTITY_KEYS)
    identity.update(sourceIp="198.51.100.7", userAgent=request.header("User-Agent"))
    identity.update(request.identity)
    context: dict[str, Any] = {
        **CONTEXT_DEFAULTS,
        "httpMethod": request.method,
        "resourcePath": request.resource,
        "path": request.context_path(),
        "stage": request.stage,
        "identity": identity,
        **request.context,
    }
    if request.authorizer:
        context["authorizer"] = dict(request.authorizer)
    return {
        "resource": request.resource,
        "path": re.sub("^/+", "/", request.path),
        "httpMethod": request.method,
        "headers": {k: v[-1] for k, v in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": dict(request.path_parameters) or None,
        "stageVariables": dict(request.stage_variables or {}) or None,
        "requestContext": {
            k: v for k, v in context.items() if not (k == "deploymentId" and v is None)
        },
        "body": body,
        "isBase64Encoded": binary,
    }


def converted_event(request: Request, binary_media_types: Sequence[str] = ()) -> dict[str, Any]:
    """The proxy event with the differences EVENT_DIFFERENCES states, and no others."""
    event = proxy_event(request, binary_media_types)
    for single, multi in (
        ("headers", "multiValueHeaders"),
        ("queryStringParameters", "multiValueQueryStringParameters"),
    ):
        if event[single] is not None:
            event[multi] = {name: [value] for name, value in event[single].items()}
    length_known = any(
        request.header(name) is not None for name in ("Content-Length", "Transfer-Encoding")
    )
    if not length_known and not event["isBase64Encoded"]:
        has_type = request.header("Content-Type") is not None
        bodyless = request.method in BODYLESS_METHODS
        binary_type = matches_media_type(request.header("Content-Type"), binary_media_types)
        if event["body"] is None and has_type and not bodyless and not binary_type:
            event["body"] = "{}"
        elif event["body"] == "{}" and (bodyless or not has_type):
            event["body"] = None
    return event


def rendered_event(
    request: Request, binary_media_types: Sequence[str] = (), **options: Any
) -> dict[str, Any]:
    template = request_template(binary_media_types)
    output = render_request(template, request, binary_media_types=binary_media_types, **options)
    event: dict[str, Any] = output.json()
    return event


def assert_same_event(event: dict[str, Any], expected: dict[str, Any]) -> None:
    assert sorted(event) == sorted(expected)
    for key, value in expected.items():
        assert event[key] == value, key


JSON_BODY = json.dumps(
    {"quote": 'say "hi"', "single": "it's", "nl": "a\nb\r\tc", "uni": "café Ω 😀", "slash": "\\/"},
    ensure_ascii=False,
)
CASES = {
    "get-query-and-multivalue-headers": Request(
        headers=[
            ("Accept", "*/*"),
            ("User-Agent", "curl/8.5"),
            ("X-Tag", "one"),
            ("x-tag", "two, three"),
            ("Cookie", "a=1; b='2'"),
        ],
        query=[("name", "me"), ("multivalueName", "you"), ("multivalueName", "me"), ("e", "")],
    ),
    "post-json-with-awkward-text": Request(
        method="POST",
        headers=[("Content-Type", "application/json; charset=utf-8"), ("X-Note", 'it\'s "x"')],
        body=JSON_BODY.encode(),
    ),
    "post-binary": Request(
        method="PUT",
        headers=[("Content-Type", "Image/PNG")],
        body=bytes(range(256)),
    ),
    "path-parameters": Request(
        resource="/users/{id}/files/{proxy+}",
        path="/users/42/files/a/b%2Bc.txt",
        path_parameters={"id": "42", "proxy": "a/b%2Bc.txt"},
    ),
    "stage-variables": Request(stage_variables={"env": "prod", "quote": 'it\'s "x"'}),
    "empty-stage-variables": Request(stage_variables={}),
    "no-body-no-headers": Request(method="DELETE"),
    "authorizer-and-iam-identity": Request(
        identity={
            "accountId": "123456789012",
            "caller": "AIDAEXAMPLE",
            "accessKey": "ASIAEXAMPLE",
            "userArn": "arn:aws:iam::123456789012:user/alice",
            "user": "AIDAEXAMPLE",
            "apiKey": "key-value",
            "apiKeyId": "k3y1d",
        },
        authorizer={"principalId": "user|a1", "tier": "gold", "note": "it's"},
    ),
    "no-deployment-id": Request(context={"deploymentId": None}),
}


@pytest.mark.parametrize("strict", [False, True], ids=["aws-nulls", "strict-nulls"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_request_template_renders_the_proxy_event(name: str, strict: bool) -> None:
    request = CASES[name]
    binary_types = ["image/png"]
    event = rendered_event(request, binary_types, strict=strict)
    assert_same_event(event, converted_event(request, binary_types))
    if name != "get-query-and-multivalue-headers":
        assert_same_event(event, proxy_event(request, binary_types))


def test_repeated_headers_and_query_keys_keep_one_value_as_documented() -> None:
    request = CASES["get-query-and-multivalue-headers"]
    event = rendered_event(request)
    proxy = proxy_event(request)
    assert proxy["multiValueHeaders"]["X-Tag"] == ["one", "two, three"]
    assert event["multiValueHeaders"]["X-Tag"] == [event["headers"]["X-Tag"]] == ["two, three"]
    assert proxy["multiValueQueryStringParameters"]["multivalueName"] == ["you", "me"]
    assert event["multiValueQueryStringParameters"]["multivalueName"] == ["me"]
    assert {k: v for k, v in event.items() if not k.startswith("multiValue")} == {
        k: v for k, v in proxy.items() if not k.startswith("multiValue")
    }
    assert "multiValueHeaders and multiValueQueryStringParameters hold one value" in (
        EVENT_DIFFERENCES
    )


@pytest.mark.parametrize(
    ("binary_media_types", "content_type", "binary"),
    [
        (["image/png"], "image/png", True),
        (["image/*"], "image/jpeg", True),
        (["*/*"], "application/json", True),
        (["image~1png"], "image/png", True),
        (["*/png"], "image/png", False),
        (["image/png"], "application/json", False),
        ([], "image/png", False),
    ],
)
def test_binary_bodies_arrive_base64_encoded(
    binary_media_types: list[str], content_type: str, binary: bool
) -> None:
    request = Request(method="POST", headers=[("content-type", content_type)], body=b"\xff\x00{")
    event = rendered_event(request, binary_media_types)
    assert event["isBase64Encoded"] is binary
    assert event["body"] == proxy_event(request, binary_media_types)["body"]
    if binary:
        assert base64.b64decode(event["body"]) == b"\xff\x00{"


JSON = ("Content-Type", "application/json")


@pytest.mark.parametrize(
    ("method", "headers", "body", "expected"),
    [
        ("GET", [], b"", None),
        ("POST", [], b"", None),
        ("PUT", [("User-Agent", "curl/8.5")], b"", None),
        ("POST", [("Content-Type", "image/png")], b"", None),
        ("POST", [JSON], b"{}", "{}"),
        ("PATCH", [("Content-Type", "text/plain")], b"{}", "{}"),
        # Should a template see Content-Length or Transfer-Encoding, the body is exact.
        ("POST", [JSON, ("Content-Length", "0")], b"", None),
        ("POST", [("Content-Length", "2")], b"{}", "{}"),
        ("POST", [("Transfer-Encoding", "chunked")], b"{}", "{}"),
        # $input.body reads "{}" for these as for a real "{}": EVENT_DIFFERENCES says so.
        ("POST", [JSON], b"", "{}"),
        ("POST", [("Content-Type", "application/x-www-form-urlencoded")], b"", "{}"),
        ("POST", [], b"{}", None),
        ("GET", [JSON], b"{}", None),
        ("DELETE", [], b"{}", None),
    ],
)
def test_an_absent_body_is_null(
    method: str, headers: list[tuple[str, str]], body: bytes, expected: str | None
) -> None:
    request = Request(method=method, headers=headers, body=body)
    event = rendered_event(request, ["image/png"])
    assert event["body"] == expected == converted_event(request, ["image/png"])["body"]
    assert event["isBase64Encoded"] is False
    if expected != proxy_event(request, ["image/png"])["body"]:
        assert 'empty body and a Content-Type gets body "{}" instead of null' in EVENT_DIFFERENCES


def test_content_length_never_reaches_the_event() -> None:
    request = Request(method="POST", headers=[JSON, ("content-length", "2")], body=b"{}")
    event = rendered_event(request)
    assert event["headers"] == {"Content-Type": "application/json"}
    assert event["multiValueHeaders"] == {"Content-Type": ["application/json"]}


@pytest.mark.parametrize(
    ("path", "custom_domain", "expected"),
    [
        ("/items", False, "/items"),
        ("/items/", False, "/items/"),
        ("//items", False, "/items"),
        ("/a//b", False, "/a//b"),
        ("/", False, "/"),
        ("/v1/items", True, "/v1/items"),
    ],
)
def test_path_drops_the_stage(path: str, custom_domain: bool, expected: str) -> None:
    event = rendered_event(Request(path=path, custom_domain=custom_domain))
    assert event["path"] == expected
    assert (
        event["requestContext"]["path"]
        == Request(path=path, custom_domain=custom_domain).context_path()
    )


@pytest.mark.parametrize(
    ("content_type", "binary"),
    [
        ("IMAGE/PNG", True),
        (" image/png ; q=1", True),
        ("image/png\t", True),
        ("image/pngx", False),
        ("text/plain; image/png", False),
    ],
)
def test_media_types_compare_without_case_parameters_or_blanks(
    content_type: str, binary: bool
) -> None:
    request = Request(method="POST", headers=[("Content-Type", content_type)], body=b"x")
    assert rendered_event(request, ["image/png"])["isBase64Encoded"] is binary


def test_cognito_claims_and_client_certificate() -> None:
    cert = {
        "clientCertPem": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----",
        "subjectDN": "CN=client",
        "issuerDN": "CN=ca",
        "serialNumber": "a1:b2",
        "validity": {"notBefore": "May 28 12:30:02 2019 GMT", "notAfter": "Aug 5 2031 GMT"},
    }
    claims = {"sub": "abc", "email": "o'neil@example.com"}
    request = Request(identity={"clientCert": cert}, authorizer={"claims": claims})
    context = rendered_event(request)["requestContext"]
    assert context["identity"]["clientCert"] == cert
    assert context["authorizer"] == {"claims": claims}


def test_request_templates_cover_every_content_type() -> None:
    templates = request_templates(["image/png", "image/*", "application~1pdf"])
    expected = [REQUEST_CONTENT_TYPE, *DEFAULT_CONTENT_TYPES[1:], "image/png", "application/pdf"]
    assert list(templates) == expected
    assert set(templates.values()) == {
        request_template(["image/png", "image/*", "application/pdf"])
    }


def test_media_type_parameters_are_ignored() -> None:
    assert request_template(["Text/CSV; charset=utf-8"]) == request_template(["text/csv"])


@pytest.mark.parametrize("bad", ['image/png"', "text/$x", "image", "a/b#c"])
def test_media_types_that_could_break_the_template_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a media type"):
        request_template([bad])


PROXY_RESULT = {
    "statusCode": 201,
    "headers": {"Content-Type": "text/plain; charset=utf-8", "X-One": "1", "X-Count": 5},
    "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"], "x-one": ["m"]},
    "body": 'créé "ok" it\'s\n$notVtl #end',
    "isBase64Encoded": False,
}


def invoke(invocation_type: str | None) -> Request:
    return Request(
        method="POST", headers=[("InvocationType", invocation_type)] if invocation_type else []
    )


def test_header_names_that_are_map_methods() -> None:
    result = {"statusCode": 200, "headers": {"get": "1", "keySet": "2"}, "body": ""}
    template = response_template("switchable", accepted=True, proxy=True)
    rendered = render_response(template, invoke("RequestResponse"), json.dumps(result))
    assert rendered.headers == {"get": "1", "keySet": "2"}


def test_sync_result_becomes_status_headers_and_body() -> None:
    template = response_template("switchable", accepted=True, proxy=True)
    rendered = render_response(template, invoke("RequestResponse"), json.dumps(PROXY_RESULT))
    assert rendered.status == 201
    assert rendered.headers == {
        "Set-Cookie": "a=1, b=2",
        "x-one": "m",
        "Content-Type": "text/plain; charset=utf-8",
        "X-Count": "5",
    }
    assert rendered.output == PROXY_RESULT["body"]


@pytest.mark.parametrize(
    "payload",
    [
        "{}",
        '"just a string"',
        '{"body": "no status"}',
        '{"errorMessage": "boom", "errorType": "Exception", "stackTrace": []}',
    ],
)
def test_a_result_without_status_is_a_502_as_on_aws_proxy(payload: str) -> None:
    template = response_template("switchable", accepted=False, proxy=True)
    rendered = render_response(template, invoke("RequestResponse"), payload, strict=True)
    assert (rendered.status, rendered.json()) == (502, {"message": "Internal server error"})


def test_status_only_result_has_an_empty_body() -> None:
    template = response_template("switchable", accepted=False, proxy=True)
    rendered = render_response(template, invoke(None), '{"statusCode": 204}', strict=True)
    assert (rendered.status, rendered.headers, rendered.output) == (204, {}, "")


@pytest.mark.parametrize(
    ("accept", "result", "expected"),
    [
        ("image/png", {"body": "iVBORw0K", "isBase64Encoded": True}, "iVBORw0K"),
        ("image/png", {"body": "plain text", "isBase64Encoded": False}, "cGxhaW4gdGV4dA=="),
        ("image/png,*/*;q=0.8", {"body": "plain text"}, "cGxhaW4gdGV4dA=="),
        ("application/json", {"body": "plain text"}, "plain text"),
        ("text/html,image/png", {"body": "plain text"}, "plain text"),
    ],
)
def test_binary_accept_gets_base64_for_api_gateway_to_decode(
    accept: str, result: dict[str, Any], expected: str
) -> None:
    template = response_template(
        "switchable", accepted=True, proxy=True, binary_media_types=["image/png"]
    )
    request = Request(headers=[("Accept", accept), ("InvocationType", "RequestResponse")])
    rendered = render_response(template, request, json.dumps({"statusCode": 200, **result}))
    assert rendered.output == expected


@pytest.mark.parametrize("proxy", [True, False])
def test_async_mode_answers_202_with_the_request_id_when_accepted(proxy: bool) -> None:
    template = response_template("async", accepted=True, proxy=proxy)
    rendered = render_response(template, invoke(None), "", strict=True)
    assert (rendered.status, rendered.json()) == (202, {"requestId": REQUEST_ID})


@pytest.mark.parametrize("proxy", [True, False])
def test_async_mode_leaves_the_response_alone_when_not_accepted(proxy: bool) -> None:
    assert response_template("async", accepted=False, proxy=proxy) == ""


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        (("InvocationType", "Event"), ""),
        (("invocationtype", "Event"), ""),
        (("InvocationType", "Event"), "{}"),
        (None, ""),
        (None, "{}"),
    ],
)
@pytest.mark.parametrize("accepted", [True, False])
def test_switchable_proxy_tells_an_async_reply(
    header: tuple[str, str] | None, payload: str, accepted: bool
) -> None:
    template = response_template("switchable", accepted=accepted, proxy=True)
    request = Request(method="POST", headers=[header] if header else [])
    rendered = render_response(template, request, payload, strict=True)
    if accepted:
        assert (rendered.status, rendered.json()) == (202, {"requestId": REQUEST_ID})
    else:
        assert (rendered.status, rendered.headers, rendered.output) == (None, {}, "")


def test_switchable_non_proxy_passes_sync_payloads_through() -> None:
    template = response_template("switchable", accepted=True, proxy=False)
    for payload in ('{"a": [1, "it\'s"]}', "{}", '"text"', "null"):
        rendered = render_response(template, invoke("RequestResponse"), payload, strict=True)
        assert (rendered.status, rendered.output) == (None, payload)
    rendered = render_response(template, invoke("Event"), "", strict=True)
    assert (rendered.status, rendered.json()) == (202, {"requestId": REQUEST_ID})


def test_switchable_non_proxy_wraps_the_existing_template() -> None:
    existing = "{\"wrapped\": $input.json('$.a')}"
    template = response_template("switchable", accepted=True, proxy=False, existing=existing)
    rendered = render_response(template, invoke("RequestResponse"), '{"a": 1}', strict=True)
    assert rendered.json() == {"wrapped": 1}
    assert response_template("switchable", accepted=False, proxy=False, existing=existing) == (
        existing
    )
    assert response_template("switchable", accepted=False, proxy=False) == ""


def test_a_leading_vtl_comment_line_changes_nothing() -> None:
    marker = '## asyncgw:accepted {"status_code": "200"}\n'
    request = CASES["post-json-with-awkward-text"]
    event = render_request(marker + request_template(), request).json()
    assert_same_event(event, proxy_event(request))
    template = response_template("switchable", accepted=True, proxy=True)
    rendered = render_response(
        marker + template, invoke("RequestResponse"), json.dumps(PROXY_RESULT)
    )
    assert rendered.output == PROXY_RESULT["body"]


def test_unknown_mode_is_refused() -> None:
    mode: Any = "sync"
    with pytest.raises(ValueError, match="unknown mode"):
        response_template(mode, accepted=True, proxy=True)


HEADER_NAME = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~",
    min_size=1,
    max_size=20,
).filter(lambda name: name.lower() not in {"content-type", "content-length", "transfer-encoding"})


TEXT = st.text(max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    headers=st.lists(st.tuples(HEADER_NAME, TEXT), max_size=6),
    query=st.lists(st.tuples(st.text(min_size=1, max_size=12), TEXT), max_size=6),
    path_parameters=st.dictionaries(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), TEXT),
    stage_variables=st.none() | st.dictionaries(st.text(min_size=1, max_size=8), TEXT),
    body=st.text(max_size=200),
)
def test_any_text_renders_valid_json_that_round_trips(
    headers: list[tuple[str, str]],
    query: list[tuple[str, str]],
    path_parameters: dict[str, str],
    stage_variables: dict[str, str] | None,
    body: str,
) -> None:
    request = Request(
        method="POST",
        headers=headers,
        query=query,
        path_parameters=path_parameters,
        stage_variables=stage_variables,
        body=body.encode(),
    )
    event = rendered_event(request, ["image/png"])
    assert_same_event(event, converted_event(request, ["image/png"]))


@settings(max_examples=150, deadline=None)
@given(
    headers=st.dictionaries(HEADER_NAME, TEXT, max_size=4),
    multi=st.dictionaries(HEADER_NAME, st.lists(TEXT, min_size=1, max_size=3), max_size=3),
    body=st.text(max_size=200),
    status=st.integers(min_value=100, max_value=599),
)
def test_any_sync_result_round_trips(
    headers: dict[str, str], multi: dict[str, list[str]], body: str, status: int
) -> None:
    result = {"statusCode": status, "headers": headers, "multiValueHeaders": multi, "body": body}
    template = response_template("switchable", accepted=True, proxy=True)
    rendered = render_response(template, invoke("RequestResponse"), json.dumps(result))
    assert rendered.status == status
    assert rendered.headers == merged_headers(headers, multi)
    assert rendered.output == body


def merged_headers(headers: dict[str, str], multi: dict[str, list[str]]) -> dict[str, str]:
    """The documented merge: multiValueHeaders win over headers of the same name, in any case."""
    merged: dict[str, str] = {}
    seen: set[str] = set()
    candidates = [*((n, ", ".join(v)) for n, v in multi.items()), *headers.items()]
    for name, value in candidates:
        if name.lower() not in seen:
            seen.add(name.lower())
            merged[name] = value
    return merged


# What both API Gateway's Velocity (Java objects) and LocalStack's airspeed (Python objects, with
# its own list of Java-named methods) answer: String length, matches, replace, replaceAll,
# startsWith, substring; Map get, put, putAll, keySet; List add; $input and $util functions.
PORTABLE_CALLS = {
    "length", "matches", "replace", "replaceAll", "startsWith", "substring",
    "get", "put", "putAll", "keySet", "add",
    "params", "path", "escapeJavaScript", "base64Encode",
}  # fmt: skip


@pytest.mark.parametrize(
    "template",
    [
        request_template(["image/png", "image/*", "*/*"]),
        response_template("switchable", accepted=True, proxy=True, binary_media_types=["a/b"]),
        response_template("switchable", accepted=False, proxy=True),
        response_template("switchable", accepted=True, proxy=False),
        response_template("async", accepted=True, proxy=True),
    ],
)
def test_templates_call_only_what_both_engines_offer(template: str) -> None:
    assert set(re.findall(r"\.([A-Za-z0-9]+)\(", template)) <= PORTABLE_CALLS
    # LocalStack's header map is no dict: it is only ever copied into one.
    uses = re.findall(r"[\w.$()]*input\.params\(\)\.header[\w.(]*", template)
    assert set(uses) <= {"$headerValues.putAll($input.params().header"}
