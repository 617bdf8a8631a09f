"""The small YAML and HCL writers: every value reads back as written."""

from __future__ import annotations

import hcl2
import pytest
import yaml

from asyncgw.export.hcl_text import Attribute, Block, Expr
from asyncgw.export.hcl_text import dump as dump_hcl
from asyncgw.export.yaml_text import Commented, Tag
from asyncgw.export.yaml_text import dump as dump_yaml

AWKWARD = [
    "'Event'", "yes", "No", "null", "~", "1.0", "0x1F", "1:20", "2024-01-01", "", " lead",
    "trail ", "a: b", "x #y", "#x", "-x", "- x", "{id}", "[a]", "*x", "&x", "!x", "%x", "@x",
    "`x`", '"q"', "back\\slash", "two\nlines", "tab\there", "é ü ✓", "line\u2028sep",
    "bell\x07", "crlf\r\n", "method.request.header.InvocationType", "AWS::ApiGateway::Method",
    "arn:aws:lambda:us-east-1:1:function:f", "ends:", "/orders/{id}", "${x} %{y}",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_yaml_strings_read_back_unchanged_as_keys_and_values(text: str) -> None:
    document = {text: text, "list": [text, {text: [text]}], "nested": {"k": text}}
    assert yaml.safe_load(dump_yaml(document)) == document


def test_yaml_scalars_comments_and_empty_collections() -> None:
    document = {
        "flags": [True, False, None, 0, 200],
        "empty": {}, "none": [],
        "note": Commented({"a": 1}, ["why", ""]),
        "items": [Commented({"k": "v", "w": [1, 2]}, ["first"]), [1, [2]]],
    }
    text = dump_yaml(document, header=["top"])
    assert text.startswith("# top\n")
    assert "  # why\n" not in text and "# why\n" in text
    assert yaml.safe_load(text) == {
        "flags": [True, False, None, 0, 200], "empty": {}, "none": [], "note": {"a": 1},
        "items": [{"k": "v", "w": [1, 2]}, [1, [2]]]}


def test_yaml_tags_are_cloudformation_short_forms() -> None:
    text = dump_yaml({"A": Tag("Ref", "Api"), "B": Tag("GetAtt", "Api.RootResourceId")})
    assert text == "A: !Ref Api\nB: !GetAtt Api.RootResourceId\n"


@pytest.mark.parametrize("text", AWKWARD)
def test_hcl_strings_read_back_without_interpolation(text: str) -> None:
    blocks = [Block("resource", ("t", "n"), [
        Attribute("value", text, ["a comment"]),
        Attribute("map", {text: text, "plain_key": True}),
        Attribute("list", [text, 1, Expr("t.other.id")]),
        Block("lifecycle", (), [Attribute("create_before_destroy", True)]),
    ])]
    parsed = hcl2.loads(dump_hcl(blocks, header=["top"]))
    body = parsed["resource"][0]['"t"']['"n"']
    # python-hcl2 returns strings as written: quoted, with HCL's escapes in place.
    written = hcl_literal(text)
    assert body["value"] == written
    assert body["map"][written] == written and body["map"]['"plain_key"'] is True
    assert body["list"] == [written, 1, "${t.other.id}"]
    assert body["lifecycle"][0]["create_before_destroy"] is True


def hcl_literal(text: str) -> str:
    """`text` as an HCL quoted string, to compare with what python-hcl2 returns."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t").replace("\x07", "\\u0007")
               .replace("${", "$${").replace("%{", "%%{"))
    return f'"{escaped}"'
