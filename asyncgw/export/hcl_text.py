"""A small HCL writer for the Terraform export: blocks, attributes, expressions and comments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

_INDENT = "  "
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Expr:
    """An HCL expression written as is: a reference or a function call."""

    text: str


Value: TypeAlias = (
    str | bool | int | Expr | Mapping[str, "Value"] | Sequence["Value"]
)


@dataclass(frozen=True)
class Attribute:
    """`name = value`, with comment lines above it."""

    name: str
    value: Value
    comment: Sequence[str] = ()


@dataclass(frozen=True)
class Block:
    """`type "label" ... { body }`, with comment lines above it."""

    type: str
    labels: Sequence[str] = ()
    body: Sequence[Attribute | Block] = field(default_factory=tuple)
    comment: Sequence[str] = ()


def dump(blocks: Sequence[Block], header: Sequence[str] = ()) -> str:
    """Top-level blocks as HCL text, `header` lines as comments on top, a blank line between."""
    parts = ["\n".join(f"# {line}".rstrip() for line in header)] if header else []
    parts.extend("\n".join(_block(block, 0)) for block in blocks)
    return "\n\n".join(parts) + "\n"


def string(text: str) -> str:
    """A quoted HCL string; `${` and `%{` escaped so that nothing is interpolated."""
    body = "".join(_escape(char) for char in text)
    return '"' + body.replace("${", "$${").replace("%{", "%%{") + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or char == "\x7f":
        return f"\\u{ord(char):04x}"
    return char


def _comments(lines: Sequence[str], depth: int) -> list[str]:
    return [f"{_INDENT * depth}# {line}".rstrip() for line in lines]


def _block(block: Block, depth: int) -> list[str]:
    pad = _INDENT * depth
    labels = "".join(f" {string(label)}" for label in block.labels)
    lines = [*_comments(block.comment, depth), f"{pad}{block.type}{labels} {{"]
    for item in block.body:
        if isinstance(item, Block):
            lines.extend(_block(item, depth + 1))
        else:
            lines.extend(_comments(item.comment, depth + 1))
            lines.append(f"{_INDENT * (depth + 1)}{item.name} = {_value(item.value, depth + 1)}")
    lines.append(f"{pad}}}")
    return lines


def _value(value: Value, depth: int) -> str:
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return string(value)
    pad = _INDENT * (depth + 1)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        # Keys are always quoted: bare `null` or `true` would be keywords, not strings.
        rows = [f"{pad}{string(k)} = {_value(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + "\n".join(rows) + f"\n{_INDENT * depth}}}"
    if not value:
        return "[]"
    rows = [f"{pad}{_value(v, depth + 1)}," for v in value]
    return "[\n" + "\n".join(rows) + f"\n{_INDENT * depth}]"

