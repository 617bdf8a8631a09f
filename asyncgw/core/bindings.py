"""Placeholders a plan writes for ids that exist only once a step ran, and the ids behind them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from asyncgw.core.errors import ApplyFailed


def placeholder(kind: str, key: str) -> str:
    """The text a plan writes where the id of what a step creates goes: ${kind:key}."""
    return "${" + kind + ":" + key + "}"


@dataclass
class Bindings:
    """The ids one kind of placeholder stands for, as the apply learns them.

    REST plans name a validator created in the same plan (${new-validator:NAME}); HTTP plans
    name an integration created, or re-created by an undo (${integration:KEY}).
    """

    kind: str
    ids: dict[str, str] = field(default_factory=dict)
    """Every id known so far by its key: those known before the apply included."""
    created: dict[str, str] = field(default_factory=dict)
    """Only the ids the plan's own writes created."""

    def __post_init__(self) -> None:
        self._pattern = re.compile(r"\$\{" + re.escape(self.kind) + r":([^}]+)\}")

    def create(self, found: Mapping[str, str]) -> None:
        """Remember the ids a write created."""
        self.ids.update(found)
        self.created.update(found)

    def rebind(self, found: Mapping[str, str]) -> None:
        """Remember the ids an undo gave to what it re-created."""
        self.ids.update(found)

    def id(self, key: str) -> str:
        """The id a placeholder's key stands for."""
        if key not in self.ids:
            raise ApplyFailed(f"the plan uses {placeholder(self.kind, key)} before a step "
                              "created it")
        return self.ids[key]

    def resolve_text(self, text: str) -> str:
        """The text with each placeholder of this kind replaced by its id."""
        return self._pattern.sub(lambda match: self.id(match.group(1)), text)

    def resolve(self, value: Any) -> Any:
        """AWS call parameters with every placeholder of this kind filled in, at any depth."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, str):
            return self.resolve_text(value)
        return value
