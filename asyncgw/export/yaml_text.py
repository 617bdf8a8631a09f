"""A small YAML writer for the exports: block style, comments above keys, CloudFormation tags."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

# Plain (unquoted) scalars are limited to text no YAML 1.1 or 1.2 reader can take for anything
# but a string; everything else is written as a JSON string, which is valid YAML.
_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./:\-]*$")
_RESERVED = re.compile(r"^(y|n|yes|no|on|off|true|false|null|nan|inf)$", re.IGNORECASE)
_INDENT = "  "
# Characters a YAML reader may take as line breaks or strip, though JSON leaves them bare.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Tag:
    """A CloudFormation short-form intrinsic such as `!Ref Name`, `!GetAtt Api.RootResourceId`."""

    tag: str
    value: str


@dataclass(frozen=True)
class Commented:
    """A value written with comment lines above its key (or above its list item)."""

    value: Node
    comment: Sequence[str]


Node: TypeAlias = (
    Mapping[str, "Node"] | Sequence["Node"] | str | bool | int | Tag | Commented | None
)


def dump(document: Mapping[str, Node], header: Sequence[str] = ()) -> str:
    """The document as YAML text, `header` lines as comments on top."""
    lines = [_comment(text, 0) for text in header]
    lines.extend(_mapping(document, 0))
    return "\n".join(lines) + "\n"


def scalar(value: str | bool | int | None) -> str:
    """One scalar as YAML: plain when unambiguous, otherwise a double-quoted string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.match(value) and not value.endswith(":") and not _RESERVED.match(value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def _comment(text: str, depth: int) -> str:
    return f"{_INDENT * depth}# {text}".rstrip()


def _unwrap(node: Node) -> tuple[Node, Sequence[str]]:
    if isinstance(node, Commented):
        return node.value, node.comment
    return node, ()


def _inline(node: Node) -> str | None:
    """The node on the same line as its key, or None when it needs lines of its own."""
    if isinstance(node, Tag):
        return f"!{node.tag} {scalar(node.value)}"
    if isinstance(node, str | bool | int) or node is None:
        return scalar(node)
    if isinstance(node, Mapping):
        return None if node else "{}"
    if isinstance(node, Sequence):
        return None if node else "[]"
    raise TypeError(f"cannot write {type(node).__name__} as YAML")


def _mapping(node: Mapping[str, Node], depth: int) -> list[str]:
    lines: list[str] = []
    for key, wrapped in node.items():
        value, comment = _unwrap(wrapped)
        lines.extend(_comment(text, depth) for text in comment)
        inline = _inline(value)
        head = f"{_INDENT * depth}{scalar(key)}:"
        if inline is not None:
            lines.append(f"{head} {inline}")
        else:
            lines.append(head)
            lines.extend(_block(value, depth + 1))
    return lines


def _sequence(node: Sequence[Node], depth: int) -> list[str]:
    lines: list[str] = []
    pad = _INDENT * depth
    for wrapped in node:
        value, comment = _unwrap(wrapped)
        lines.extend(_comment(text, depth) for text in comment)
        inline = _inline(value)
        if inline is not None:
            lines.append(f"{pad}- {inline}")
            continue
        # Write the item one level deeper, then put the dash on its first line.
        item = _block(value, depth + 1)
        first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
        item[first] = f"{pad}- {item[first][len(pad) + len(_INDENT):]}"
        lines.extend(item)
    return lines


def _block(node: Node, depth: int) -> list[str]:
    if isinstance(node, Mapping):
        return _mapping(node, depth)
    assert isinstance(node, Sequence) and not isinstance(node, str)
    return _sequence(node, depth)
