"""Which methods a command acts on: parsing 'VERB /path' patterns and matching them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.selection import MethodPattern, Rules, pick
from asyncgw.rest.modes import ineligibility
from asyncgw.rest.plan import MethodNote
from asyncgw.rest.snapshot import ApiSnapshot, Method


@dataclass(frozen=True)
class Selection:
    """The methods to act on, and the ones passed over with the reason."""

    methods: tuple[Method, ...]
    skipped: tuple[MethodNote, ...]
    named: frozenset[str] = frozenset()
    """Keys of the methods a -m without '*' names: a change that cannot take one is an error."""


def select(
    snapshot: ApiSnapshot, patterns: Sequence[MethodPattern], everything: bool,
    convert_proxy: bool = False,
) -> Selection:
    """Resolve -m patterns or --all against the snapshot; raise UsageError for bad selections.

    With `convert_proxy`, Lambda proxy methods are eligible too.
    """
    rules: Rules[Method, MethodPattern] = Rules(
        noun="method", matches=lambda pattern, m: pattern.matches(m), key=lambda m: m.key,
        ineligibility=lambda m: ineligibility(m, convert_proxy),
        order=lambda m: (m.path, m.http_method))
    picked = pick(snapshot.methods, patterns, everything, rules,
                  no_match=lambda pattern: _no_match_message(pattern, snapshot),
                  on_empty="the API has no Lambda non-proxy method")
    return Selection(picked.items,
                     tuple(MethodNote(method=key, reason=why) for key, why in picked.skipped),
                     picked.named)


def _no_match_message(pattern: MethodPattern, snapshot: ApiSnapshot) -> str:
    same_path = sorted(m.http_method for m in snapshot.methods if m.path == pattern.path)
    if same_path:
        hint = f"{pattern.path} has {', '.join(same_path)}"
        if pattern.verb == "ANY":
            hint += "; use '*' for every verb"
        return f"no method {pattern}: {hint}"
    return (
        f"no method matches {str(pattern)!r} in {snapshot.api.name or snapshot.api.id}; "
        f"see them with: asyncgw status {snapshot.api.id}"
    )
