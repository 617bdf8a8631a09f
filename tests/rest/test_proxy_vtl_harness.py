"""The VTL harness behaves as API Gateway's template engine does where the templates rely on it."""

from __future__ import annotations

import json

import airspeed
import pytest

from tests.vtl import (
    CONTEXT_DEFAULTS,
    Input,
    JavaMap,
    OverrideError,
    Request,
    Util,
    escape_javascript,
    integration_text,
    params_of,
    render_request,
    render_response,
)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("it's", "it\\'s"),
        ('say "hi"', 'say \\"hi\\"'),
        ("a\\b", "a\\\\b"),
        ("</script>", "<\\/script>"),
        ("line\nnext\ttab\r\b\f", "line\\nnext\\ttab\\r\\b\\f"),
        ("\x01\x1f", "\\u0001\\u001F"),
        ("café", "caf\\u00E9"),
        ("Ω", "\\u03A9"),
        ("€", "\\u20AC"),
        ("😀", "\\uD83D\\uDE00"),
        ("\x7f", "\x7f"),
    ],
)
def test_escape_javascript_follows_commons_lang(text: str, escaped: str) -> None:
    assert escape_javascript(text) == escaped


def test_escaped_single_quote_is_the_only_json_breaker() -> None:
    text = 'it\'s "quoted" \\ / \n é 😀'
    escaped = escape_javascript(text)
    with pytest.raises(json.JSONDecodeError):
        json.loads(f'"{escaped}"')
    assert json.loads('"' + escaped.replace("\\'", "'") + '"') == text


def test_empty_body_reads_as_an_empty_object() -> None:
    # Recorded on AWS: LocalStack test_input_body_formatting, "empty-body" -> b'{}'.
    assert Input("", JavaMap()).body == "{}"
    assert Input("raw", JavaMap()).body == "raw"


def test_input_json_and_path() -> None:
    given = Input('{"a": {"b": [1, "x"]}, "s": "t"}', JavaMap())
    assert given.json("$.a") == '{"b": [1, "x"]}'
    assert given.json("$.s") == '"t"'
    assert given.path("$.a.b[1]") == "x"
    assert given.path("$").get("s") == "t"
    assert given.path("$.missing") is None


def test_params_keep_the_last_of_repeated_values() -> None:
    request = Request(
        headers=[("X-Tag", "one"), ("x-tag", "two")],
        query=[("k", "1"), ("k", "2")],
        path_parameters={"id": "7"},
    )
    params = params_of(request)
    assert params.get("header").entries == {"X-Tag": "two"}
    assert params.get("querystring").entries == {"k": "2"}
    assert Input("", params).params("id") == "7"
    assert Input("", params).params("k") == "2"
    assert Input("", params).params("nothing") == ""


def test_binary_media_types_select_base64() -> None:
    png = Request(method="POST", headers=[("Content-Type", "image/png")], body=b"\x89PNG\xff")
    assert integration_text(png, ["image/png"]) == "iVBOR/8="
    assert integration_text(png, ["image/*"]) == "iVBOR/8="
    assert integration_text(png, ["*/*"]) == "iVBOR/8="
    assert integration_text(png, ["*/png"]) != "iVBOR/8="
    assert integration_text(png, []) == b"\x89PNG\xff".decode("utf-8", "replace")


def test_util_functions() -> None:
    util = Util()
    assert util.base64Encode("héllo") == "aMOpbGxv"
    assert util.base64Decode("aMOpbGxv") == "héllo"
    assert util.urlEncode("a b~*&é") == "a+b%7E*%26%C3%A9"
    assert util.urlDecode("a+b%7E*%26%C3%A9") == "a b~*&é"
    parsed = util.parseJson('{"k": [true, null]}')
    assert str(parsed) == "{k=[true, ]}"


def test_null_prints_empty_on_aws_and_as_source_when_strict() -> None:
    template = "[$context.identity.caller][$!context.identity.caller]"
    assert render_request(template, Request()).output == "[][]"
    assert render_request(template, Request(), strict=True).output == (
        "[$context.identity.caller][]"
    )


def test_java_string_methods() -> None:
    template = (
        '#set($s = "  Text/Plain; charset=x ")$s.trim().toLowerCase()|$s.indexOf(";")|'
        '$s.substring(2, 6)|#if($s.matches(" +T.*"))full#end|$s.replaceAll("^ +", "$")'
    )
    assert render_request(template, Request()).output == (
        "text/plain; charset=x|12|Text|full|$Text/Plain; charset=x "
    )


def test_map_literals_copy_maps_with_put_all() -> None:
    request = Request(headers=[("X-A", "1"), ("x-b", "2")])
    template = (
        "#set($m = {})#set($d = $m.putAll($input.params().header))"
        '#set($d = $m.put("X-C", "3"))#foreach($k in $m.keySet())$k=$m.get($k);#end'
    )
    assert render_request(template, request).output == "X-A=1;x-b=2;X-C=3;"


def test_overrides_are_captured_and_final() -> None:
    template = (
        "#set($context.responseOverride.status = 418)"
        '#set($x = $context.responseOverride.header.put("X-A", "1"))ok'
    )
    rendered = render_response(template, Request(), "")
    assert (rendered.output, rendered.status, rendered.headers) == ("ok", 418, {"X-A": "1"})
    twice = '#set($x = $context.responseOverride.header.put("X-A", "1"))' + (
        '#set($x = $context.responseOverride.header.put("x-a", "2"))'
    )
    with pytest.raises(airspeed.TemplateExecutionError) as raised:
        render_response(twice, Request(), "")
    assert isinstance(raised.value.__cause__, OverrideError)


def test_response_templates_see_the_method_request() -> None:
    # Recorded on AWS: LocalStack test_mock_integration_response reads $input.params().path.id.
    rendered = render_response(
        "$input.params().path.id $context.requestId", Request(path_parameters={"id": "42"}), "{}"
    )
    assert rendered.output == f"42 {CONTEXT_DEFAULTS['requestId']}"
