"""VTL mapping templates that let a non-proxy (AWS) Lambda integration stand in for AWS_PROXY."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from asyncgw.rest.vtl import (
    HEADERS,
    LOWER,
    QUOTE,
    binary_check,
    concrete,
    count,
    escaped,
    header_value,
    json_string,
    list_map,
    lower,
    matches_name,
    media_type,
    string_map,
)

Mode = Literal["async", "switchable"]

# API Gateway keys request templates by the request's Content-Type (application/json when it is
# absent) and picks the application/json response template, or else the first one, whatever the
# Accept header says; so one response key is enough.
REQUEST_CONTENT_TYPE = "application/json"
RESPONSE_CONTENT_TYPE = "application/json"
DEFAULT_CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "application/xml",
    "text/plain",
    "text/xml",
)
# A Content-Type without a template must get a 415, not reach the function as a raw body where
# it expects a proxy event. Once templates exist WHEN_NO_TEMPLATES does the same; NEVER says so.
PASSTHROUGH_BEHAVIOR = "NEVER"
# Under CONVERT_TO_TEXT a body whose Content-Type is a binary media type reaches the template as
# base64 text, and every other body as UTF-8 text: exactly what the proxy event's body holds.
CONTENT_HANDLING = "CONVERT_TO_TEXT"
INVOCATION_TYPE_HEADER = "InvocationType"
# $input.body is "{}" for an empty body as well as for a body of "{}" [REC], and Content-Length,
# absent from proxy events [REC], is absent from what LocalStack shows templates too [LS]. So a
# "{}" counts as no body for these methods, and for any method when the request has no
# Content-Type (an empty POST rarely has one, a JSON body usually does).
BODYLESS_METHODS = ("GET", "HEAD", "OPTIONS", "DELETE")
# What the rebuilt event cannot copy from the proxy event: templates see one value per header and
# query key, and $input.body cannot tell an empty body from "{}".
EVENT_DIFFERENCES = (
    "multiValueHeaders and multiValueQueryStringParameters hold one value per name (the one "
    "in headers and queryStringParameters), so repeated headers and query keys lose the others; "
    'a POST, PUT or PATCH with an empty body and a Content-Type gets body "{}" instead of null, '
    'and a body of exactly "{}" sent without a Content-Type, or with GET, HEAD, OPTIONS or '
    "DELETE, gets null"
)

IDENTITY_FIELDS = (
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
CONTEXT_FIELDS = (
    "resourceId",
    "resourcePath",
    "httpMethod",
    "extendedRequestId",
    "requestTime",
    "path",
    "accountId",
    "protocol",
    "stage",
    "domainPrefix",
)
_CLIENT_CERT_FIELDS = ("clientCertPem", "subjectDN", "issuerDN", "serialNumber")
_INTERNAL_ERROR = '#set($context.responseOverride.status = 502){"message": "Internal server error"}'
_ACCEPTED = '#set($context.responseOverride.status = 202){"requestId": "$context.requestId"}'


def request_template(binary_media_types: Sequence[str] = ()) -> str:
    """The request template that renders the Lambda proxy event (payload format 1.0) as JSON."""
    return "\n".join(
        (
            QUOTE + LOWER + HEADERS,
            _header_facts(),
            binary_check("mediaType", "binary", binary_media_types),
            _body_facts(),
            _path_facts(),
            "{",
            '"resource": ' + json_string("context.resourcePath") + ",",
            '"path": ' + json_string("path", '""') + ",",
            '"httpMethod": ' + json_string("context.httpMethod") + ",",
            '"headers": ' + string_map("headerValues", "headerNames") + ",",
            '"multiValueHeaders": ' + list_map("headerValues", "headerNames") + ",",
            '"queryStringParameters": ' + string_map("input.params().querystring") + ",",
            '"multiValueQueryStringParameters": '
            + list_map("input.params().querystring")
            + ",",
            '"pathParameters": ' + string_map("input.params().path") + ",",
            '"stageVariables": ' + string_map("stageVariables") + ",",
            '"requestContext": ' + _request_context() + ",",
            '"body": #if($hasBody)"' + escaped("body") + '"#{else}null#end,',
            '"isBase64Encoded": #if($hasBody && $binary)true#{else}false#end',
            "}",
        )
    )


def request_templates(
    binary_media_types: Sequence[str] = (),
    content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
) -> dict[str, str]:
    """The integration's requestTemplates: the proxy-event template under every content type."""
    template = request_template(binary_media_types)
    keys = [REQUEST_CONTENT_TYPE, *content_types, *concrete(binary_media_types)]
    return {key: template for key in dict.fromkeys(keys)}


def response_template(
    mode: Mode,
    accepted: bool,
    proxy: bool,
    *,
    binary_media_types: Sequence[str] = (),
    existing: str = "",
) -> str:
    """The default integration response's template; '' means leave the response as it is.

    `accepted` answers an asynchronous call with 202 and {"requestId": ...}. `proxy` says the method
    was AWS_PROXY, so a synchronous (switchable) result is a proxy-shaped object to turn back into
    status, headers and body; otherwise the payload, or the `existing` template, is kept.
    """
    if mode not in ("async", "switchable"):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "async" or not (accepted or proxy):
        return _ACCEPTED if accepted else existing
    sync = _sync_result(binary_media_types) if proxy else (existing or "$input.body")
    return (
        HEADERS
        + header_value("invocationType", INVOCATION_TYPE_HEADER)
        + _is_async(proxy)
        + (_ACCEPTED if accepted else "")
        + "#{else}"
        + sync
        + "#end"
    )


def _header_facts() -> str:
    """VTL reading Content-Type, Content-Length and Transfer-Encoding, and the names to print."""
    # Proxy events carry no Content-Length [REC]; should a template see one, it is left out too.
    return (
        header_value("contentType", "Content-Type")
        + header_value("contentLength", "Content-Length")
        + header_value("transferEncoding", "Transfer-Encoding")
        + "#set($headerNames = [])#foreach($headerName in $headerValues.keySet())"
        + f"#if(!{matches_name('headerName', 'Content-Length')})"
        + "#set($discard = $headerNames.add($headerName))#end#end\n"
        + media_type("mediaType", "$contentType")
    )


def _body_facts() -> str:
    """VTL setting $body and $hasBody; an empty body renders as "{}" in $input.body."""
    bodyless = " || ".join(f'$context.httpMethod == "{m}"' for m in BODYLESS_METHODS)
    return (
        '#set($body = "$!input.body")#set($hasBody = true)'
        '#if($body == "")#set($hasBody = false)'
        '#elseif($body == "{}")'
        "#if($binary)#set($hasBody = false)"  # base64 never reads "{}"
        '#elseif($contentLength != "")#if($contentLength == "0")#set($hasBody = false)#end'
        '#elseif($transferEncoding == "" && ($contentType == "" || ' + bodyless + "))"
        "#set($hasBody = false)"
        "#end#end"
    )


def _path_facts() -> str:
    """VTL setting $path to the request path without the stage, as the proxy event has it."""
    # $context.path is /{stage}/... on the execute-api host and has no stage on a custom domain;
    # slashes between the stage and the path collapse in the proxy event.
    return (
        '#set($path = "$!context.path")#set($stagePrefix = "/$!context.stage")'
        '#if($path.startsWith("$stagePrefix/"))'
        "#set($path = $path.substring($stagePrefix.length()))"
        '#elseif($path == $stagePrefix)#set($path = "/")#end'
        '#set($path = $path.replaceAll("^/+", "/"))'
    )


def _request_context() -> str:
    """VTL printing the proxy event's requestContext from $context."""
    fields = ['"' + name + '": ' + json_string("context." + name) for name in CONTEXT_FIELDS]
    return (
        "{"
        + _authorizer()
        + _optional("deploymentId", "context.deploymentId")
        + ", ".join(fields)
        + ', "requestTimeEpoch": #set($epoch = "$!{context.requestTimeEpoch}")'
        + '#if($epoch.matches("[0-9]+"))$epoch#{else}null#end'
        + ', "requestId": '
        + json_string("context.requestId")
        + ', "identity": '
        + _identity()
        + ', "domainName": '
        + json_string("context.domainName")
        + ', "apiId": '
        + json_string("context.apiId")
        + "}"
    )


def _optional(key: str, ref: str) -> str:
    """VTL printing `"key": value,` only when `ref` has a value."""
    return '#if("$!{' + ref + '}" != "")"' + key + '": "' + escaped(ref) + '", #end'


def _identity() -> str:
    """VTL printing requestContext.identity; API keys and client certificates only when used."""
    cert = "context.identity.clientCert"
    cert_fields = ['"' + name + '": ' + json_string(cert + "." + name)
                   for name in _CLIENT_CERT_FIELDS]
    validity = ", ".join(
        '"' + name + '": ' + json_string(cert + ".validity." + name)
        for name in ("notBefore", "notAfter")
    )
    fields = ['"' + name + '": ' + json_string("context.identity." + name)
              for name in IDENTITY_FIELDS]
    return (
        "{"
        + _optional("apiKey", "context.identity.apiKey")
        + _optional("apiKeyId", "context.identity.apiKeyId")
        + '#if("$!{'
        + cert
        + '.clientCertPem}" != "")"clientCert": {'
        + ", ".join(cert_fields)
        + ', "validity": {'
        + validity
        + "}}, #end"
        + ", ".join(fields)
        + "}"
    )


def _authorizer() -> str:
    """VTL printing `"authorizer": {...},` when an authorizer filled $context.authorizer."""
    # Values come out as strings: $context.authorizer.<key> is documented as stringified.
    claims = "context.authorizer.claims"
    return (
        count("context.authorizer.keySet()")
        + '#if($count > 0)"authorizer": {#foreach($key in $context.authorizer.keySet())'
        + '#set($more = $foreach.hasNext)"'
        + escaped("key")
        + '": #if($key == "claims"){#foreach($claim in $'
        + claims
        + '.keySet())"'
        + escaped("claim")
        + '": '
        + json_string(claims + ".get($claim)", '""')
        + "#if($foreach.hasNext),#end#end}#{else}"
        + json_string("context.authorizer.get($key)", '""')
        + "#end#if($more),#end#end}, #end"
    )


def _is_async(proxy: bool) -> str:
    """VTL opening the #if branch taken for an asynchronous (Event) invocation's empty reply."""
    # The header says which call it was; should it not be readable here, an empty payload is what
    # Lambda answers Event with. "{}" counts as empty only for proxy methods, where no valid result
    # is "{}" and $input.body may print an empty payload as "{}".
    empty = '$payload == ""' + (' || $payload == "{}"' if proxy else "")
    return (
        '#set($payload = "$!input.body")'
        '#if($invocationType == "Event" || ($invocationType == "" && (' + empty + ")))"
    )


def _sync_result(binary_media_types: Sequence[str]) -> str:
    """VTL turning a proxy-shaped Lambda result into status, headers and body."""
    return (
        "#set($result = $input.path('$'))"
        + '#if("$!{result.statusCode}" == "")'
        + _INTERNAL_ERROR
        + "#{else}#set($context.responseOverride.status = $result.statusCode)"
        + _result_headers()
        + _result_body(binary_media_types)
        + "#end"
    )


def _result_headers() -> str:
    """VTL overriding response headers from multiValueHeaders (joined with ", "), then headers."""
    # An override may be set once only, so names are merged case-insensitively first.
    lowered = '#set($lowerName = "$name")' + lower("lowerName")
    unseen = lowered + '#if("$!{seenHeaders.get($lowerName)}" == "")'
    seen = "#set($discard = $seenHeaders.put($lowerName, $name))"
    return (
        LOWER + "#set($responseHeaders = {})#set($seenHeaders = {})"
        "#foreach($name in $result.multiValueHeaders.keySet())"
        + unseen
        + '#set($joined = "")#foreach($value in $result.multiValueHeaders.get($name))'
        '#set($joined = "$joined$!value")#if($foreach.hasNext)#set($joined = "$joined, ")#end#end'
        "#set($discard = $responseHeaders.put($name, $joined))" + seen + "#end#end"
        "#foreach($name in $result.headers.keySet())"
        + unseen
        + '#set($discard = $responseHeaders.put($name, "$!{result.headers.get($name)}"))'
        + seen
        + "#end#end"
        "#foreach($name in $responseHeaders.keySet())"
        "#set($discard = $context.responseOverride.header.put($name, $responseHeaders.get($name)))"
        "#end"
    )


def _result_body(binary_media_types: Sequence[str]) -> str:
    """VTL printing the result's body as the response body, byte for byte."""
    if not binary_media_types:
        return "$!{result.body}"
    # With a binary Accept API Gateway base64-decodes the output; text must be encoded to survive.
    return (
        header_value("accept", "Accept")
        + '#set($accept = $accept.replaceAll(",.*", ""))'
        + media_type("acceptType", "$accept")
        + binary_check("acceptType", "binaryAccept", binary_media_types)
        + "#if($result.isBase64Encoded != true && $binaryAccept)"
        + '$util.base64Encode("$!{result.body}")#{else}$!{result.body}#end'
    )
