"""Identifiers for generated code: logical ids, Terraform labels and variable names from paths."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """The alphanumeric words of a path, verb or name: '/orders/{id}' -> ['orders', 'id']."""
    return _WORD.findall(text)


def pascal(text: str) -> str:
    """'POST /orders/{id}' -> 'PostOrdersId'; '' for text without words."""
    return "".join(word[:1].upper() + word[1:] for word in words(text))


def snake(text: str) -> str:
    """'POST /orders/{id}' -> 'post_orders_id'."""
    return "_".join(word.lower() for word in words(text))


def camel(text: str) -> str:
    """'Validate body' -> 'validateBody'."""
    name = pascal(text)
    return name[:1].lower() + name[1:]


def path_label(path: str) -> str:
    """A path in words for identifiers, 'Root' for '/'."""
    return path if words(path) else "Root"


def unique(names: Iterable[str]) -> list[str]:
    """The names in order, a numeric suffix added to repeats ('/a/{b}' and '/a/b' collide)."""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out
