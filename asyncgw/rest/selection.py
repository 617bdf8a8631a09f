"""Which methods a command acts on: parsing 'VERB /path' patterns and matching them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.errors import UsageError
from asyncgw.core.selection import MethodPattern
from asyncgw.rest.models import ApiSnapshot, Method, MethodNote
from asyncgw.rest.modes import ineligibility


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
    if everything:
        return _eligible(snapshot.methods, convert_proxy,
                         on_empty="the API has no Lambda non-proxy method")
    chosen: dict[str, Method] = {}
    skipped: dict[str, MethodNote] = {}
    named: set[str] = set()
    for pattern in patterns:
        found = [m for m in snapshot.methods if pattern.matches(m)]
        if not found:
            raise UsageError(_no_match_message(pattern, snapshot))
        if not pattern.is_glob:
            reason = ineligibility(found[0], convert_proxy)
            if reason is not None:
                raise UsageError(f"{found[0].key} is not eligible: {reason}")
            named.add(found[0].key)
        part = _eligible(found, convert_proxy,
                         on_empty=f"-m {str(pattern)!r} matches no eligible method")
        chosen.update((m.key, m) for m in part.methods)
        skipped.update((n.method, n) for n in part.skipped)
    for key in chosen:
        skipped.pop(key, None)
    methods = tuple(sorted(chosen.values(), key=lambda m: (m.path, m.http_method)))
    return Selection(methods, tuple(skipped.values()), frozenset(named))


def _eligible(methods: Sequence[Method], convert_proxy: bool, on_empty: str) -> Selection:
    keep, skipped = [], []
    for method in methods:
        reason = ineligibility(method, convert_proxy)
        if reason is None:
            keep.append(method)
        else:
            skipped.append(MethodNote(method=method.key, reason=reason))
    if not keep:
        detail = f" ({len(skipped)} skipped: {skipped[0].method}: {skipped[0].reason})" if (
            skipped) else ""
        raise UsageError(on_empty + detail)
    return Selection(tuple(keep), tuple(skipped))


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
