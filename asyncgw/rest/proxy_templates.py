"""VTL mapping templates that let a non-proxy (AWS) Lambda integration stand in for AWS_PROXY."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

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
_MEDIA_TYPE = re.compile(r"[a-z0-9!&^_.+*-]+/[a-z0-9!&^_.+*-]+")

# The templates run on API Gateway's Velocity (Java objects) and on emulators built on airspeed
# (Python objects), so they call only what both offer: Map get/put/putAll/keySet on maps they
# made themselves, and String length/startsWith/substring/matches/replace/replaceAll. The maps
# $input.params() hands out need not be Java-like (LocalStack's header map has no keySet), hence
# the copy into a {} literal; toLowerCase, trim and indexOf have no common form, hence the regexes
# and the letter-by-letter lower-casing.

# $util.escapeJavaScript turns ' into \', which JSON rejects. AWS documents undoing it with
# replaceAll("\\'","'"), but backslashes in VTL string literals are read differently by Velocity
# and other engines; asking escapeJavaScript for the escaped quote itself avoids literals entirely.
_QUOTE = '#set($escapedQuote = $util.escapeJavaScript("\'"))'
_LOWER = (
    "#set($toLower = {"
    + ", ".join(f'"{c}": "{c.lower()}"' for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + "})"
)
_HEADERS = "#set($headerValues = {})#set($discard = $headerValues.putAll($input.params().header))"
# Whitespace around a media type: a space or a tab, written as itself to keep backslashes out.
_BLANK = "[ \t]"
_INTERNAL_ERROR = '#set($context.responseOverride.status = 502){"message": "Internal server error"}'
_ACCEPTED = '#set($context.responseOverride.status = 202){"requestId": "$context.requestId"}'


def request_template(binary_media_types: Sequence[str] = ()) -> str:
    """The request template that renders the Lambda proxy event (payload format 1.0) as JSON."""
    return "\n".join(
        (
            _QUOTE + _LOWER + _HEADERS,
            _header_facts(),
            _binary_check("mediaType", "binary", binary_media_types),
            _body_facts(),
            _path_facts(),
            "{",
            '"resource": ' + _string("context.resourcePath") + ",",
            '"path": ' + _string("path", '""') + ",",
            '"httpMethod": ' + _string("context.httpMethod") + ",",
            '"headers": ' + _string_map("headerValues", "headerNames") + ",",
            '"multiValueHeaders": ' + _list_map("headerValues", "headerNames") + ",",
            '"queryStringParameters": ' + _string_map("input.params().querystring") + ",",
            '"multiValueQueryStringParameters": '
            + _list_map("input.params().querystring")
            + ",",
            '"pathParameters": ' + _string_map("input.params().path") + ",",
            '"stageVariables": ' + _string_map("stageVariables") + ",",
            '"requestContext": ' + _request_context() + ",",
            '"body": #if($hasBody)"' + _escaped("body") + '"#{else}null#end,',
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
    keys = [REQUEST_CONTENT_TYPE, *content_types, *_concrete(binary_media_types)]
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
        _HEADERS
        + _header_value("invocationType", INVOCATION_TYPE_HEADER)
        + _is_async(proxy)
        + (_ACCEPTED if accepted else "")
        + "#{else}"
        + sync
        + "#end"
    )


def _escaped(ref: str) -> str:
    """VTL printing reference `ref` (written without `$`) as JSON string content."""
    # The leading x keeps the argument from being blank: LocalStack escapes "" and " " as "{}".
    return (
        '$util.escapeJavaScript("x$!{' + ref + '}").substring(1).replace($escapedQuote, "\'")'
    )


def _string(ref: str, empty: str = "null") -> str:
    """VTL printing `ref` as a JSON string, or `empty` when it is null or ''."""
    return '#if("$!{' + ref + '}" == "")' + empty + '#{else}"' + _escaped(ref) + '"#end'


def _count(ref: str) -> str:
    """VTL setting $count to the size of collection `ref`; 0 when it is null."""
    # Counting by #foreach survives a null collection in every engine; .size() on null does not.
    return "#set($count = 0)#foreach($counted in $" + ref + ")#set($count = $count + 1)#end"


def _string_map(ref: str, names: str = "") -> str:
    """VTL printing map `ref` as a JSON object of strings, or null when it is null or empty.

    `names` is a list of the keys to print, when not all of them.
    """
    keys = names or ref + ".keySet()"
    return (
        _count(keys)
        + "#if($count == 0)null#{else}{#foreach($key in $"
        + keys
        + ')"'
        + _escaped("key")
        + '": '
        + _string(ref + ".get($key)", '""')
        + "#if($foreach.hasNext),#end#end}#end"
    )


def _list_map(ref: str, names: str = "") -> str:
    """VTL printing map `ref` as a JSON object of one-string arrays, or null when it is empty."""
    # Templates see one value per header or query key: AWS documents the multi-value ones
    # (method.request.multivalue*) as parameter-mapping sources only, never as template variables.
    keys = names or ref + ".keySet()"
    return (
        _count(keys)
        + "#if($count == 0)null#{else}{#foreach($key in $"
        + keys
        + ')"'
        + _escaped("key")
        + '": ['
        + _string(ref + ".get($key)", '""')
        + "]#if($foreach.hasNext),#end#end}#end"
    )


def _matches_name(var: str, name: str) -> str:
    """VTL condition: header name $<var> is `name` in any case (`name` is letters and dashes)."""
    return f'${var}.matches("(?i){name}")'


def _header_value(var: str, name: str) -> str:
    """VTL setting $<var> to the value of request header `name`, whatever its case; '' if absent."""
    return (
        f'#set(${var} = "")#foreach($headerName in $headerValues.keySet())'
        f"#if({_matches_name('headerName', name)})"
        f'#set(${var} = "$!{{headerValues.get($headerName)}}")#end#end'
    )


def _header_facts() -> str:
    """VTL reading Content-Type, Content-Length and Transfer-Encoding, and the names to print."""
    # Proxy events carry no Content-Length [REC]; should a template see one, it is left out too.
    return (
        _header_value("contentType", "Content-Type")
        + _header_value("contentLength", "Content-Length")
        + _header_value("transferEncoding", "Transfer-Encoding")
        + "#set($headerNames = [])#foreach($headerName in $headerValues.keySet())"
        + f"#if(!{_matches_name('headerName', 'Content-Length')})"
        + "#set($discard = $headerNames.add($headerName))#end#end\n"
        + _media_type("mediaType", "$contentType")
    )


def _lower(var: str) -> str:
    """VTL lower-casing the ASCII letters of $<var> in place."""
    return (
        "#foreach($letter in $toLower.keySet())"
        f"#set(${var} = ${var}.replace($letter, $toLower.get($letter)))#end"
    )


def _media_type(var: str, source: str) -> str:
    """VTL setting $<var> to the lower-case type/subtype of header value `source`."""
    return (
        f'#set(${var} = "{source}")'
        f'#set(${var} = ${var}.replaceAll(";.*", "").replaceAll("{_BLANK}", ""))' + _lower(var)
    )


def _binary_check(media_var: str, flag: str, binary_media_types: Sequence[str]) -> str:
    """VTL setting $<flag> when $<media_var> matches one of the API's binary media types."""
    checks = []
    for media_type in _normalised(binary_media_types):
        kind, subtype = media_type.split("/")
        if kind == "*" and subtype == "*":
            checks.append(f"#set(${flag} = true)")
        elif kind == "*":
            continue  # API Gateway ignores a wildcard type on the left
        elif subtype == "*":
            checks.append(f'#if(${media_var}.startsWith("{kind}/"))#set(${flag} = true)#end')
        else:
            checks.append(f'#if(${media_var} == "{media_type}")#set(${flag} = true)#end')
    return f"#set(${flag} = false)" + "".join(checks)


def _normalised(binary_media_types: Sequence[str]) -> list[str]:
    """The binary media types as type/subtype, lower-cased, ~1 read as /; anything else refused."""
    result = []
    for raw in binary_media_types:
        media_type = raw.split(";")[0].strip().lower().replace("~1", "/")
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise ValueError(f"not a media type: {raw!r}")
        result.append(media_type)
    return result


def _concrete(binary_media_types: Sequence[str]) -> list[str]:
    """The binary media types that can key a request template (no wildcards)."""
    return [t for t in _normalised(binary_media_types) if "*" not in t]


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
    fields = ['"' + name + '": ' + _string("context." + name) for name in CONTEXT_FIELDS]
    return (
        "{"
        + _authorizer()
        + _optional("deploymentId", "context.deploymentId")
        + ", ".join(fields)
        + ', "requestTimeEpoch": #set($epoch = "$!{context.requestTimeEpoch}")'
        + '#if($epoch.matches("[0-9]+"))$epoch#{else}null#end'
        + ', "requestId": '
        + _string("context.requestId")
        + ', "identity": '
        + _identity()
        + ', "domainName": '
        + _string("context.domainName")
        + ', "apiId": '
        + _string("context.apiId")
        + "}"
    )


def _optional(key: str, ref: str) -> str:
    """VTL printing `"key": value,` only when `ref` has a value."""
    return '#if("$!{' + ref + '}" != "")"' + key + '": "' + _escaped(ref) + '", #end'


def _identity() -> str:
    """VTL printing requestContext.identity; API keys and client certificates only when used."""
    cert = "context.identity.clientCert"
    cert_fields = ['"' + name + '": ' + _string(cert + "." + name) for name in _CLIENT_CERT_FIELDS]
    validity = ", ".join(
        '"' + name + '": ' + _string(cert + ".validity." + name)
        for name in ("notBefore", "notAfter")
    )
    fields = ['"' + name + '": ' + _string("context.identity." + name) for name in IDENTITY_FIELDS]
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
        _count("context.authorizer.keySet()")
        + '#if($count > 0)"authorizer": {#foreach($key in $context.authorizer.keySet())'
        + '#set($more = $foreach.hasNext)"'
        + _escaped("key")
        + '": #if($key == "claims"){#foreach($claim in $'
        + claims
        + '.keySet())"'
        + _escaped("claim")
        + '": '
        + _string(claims + ".get($claim)", '""')
        + "#if($foreach.hasNext),#end#end}#{else}"
        + _string("context.authorizer.get($key)", '""')
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
    lower = '#set($lowerName = "$name")' + _lower("lowerName")
    unseen = lower + '#if("$!{seenHeaders.get($lowerName)}" == "")'
    seen = "#set($discard = $seenHeaders.put($lowerName, $name))"
    return (
        _LOWER + "#set($responseHeaders = {})#set($seenHeaders = {})"
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
        _header_value("accept", "Accept")
        + '#set($accept = $accept.replaceAll(",.*", ""))'
        + _media_type("acceptType", "$accept")
        + _binary_check("acceptType", "binaryAccept", binary_media_types)
        + "#if($result.isBase64Encoded != true && $binaryAccept)"
        + '$util.base64Encode("$!{result.body}")#{else}$!{result.body}#end'
    )
