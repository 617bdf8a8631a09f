"""Pure restore planning for HTTP APIs: the steps from a read-back back to the before-snapshot.

Integrations are matched by content, not by id: a write whose answer never arrived made one
whose id nobody knows, and an undo that re-created one gave it a new id.
"""

from __future__ import annotations

from typing import Any, Literal

from asyncgw.core.model import FieldChange, Model
from asyncgw.http import steps
from asyncgw.http.forwarder.package import code_sha256
from asyncgw.http.modes import lambda_target
from asyncgw.http.plan import Step, StepKind
from asyncgw.http.recipe import (
    APIGATEWAY_PRINCIPAL,
    PREFIX,
    parse_function_arn,
    same_function,
    statement_id,
)
from asyncgw.http.snapshot import Forwarder, HttpApiSnapshot, Integration, Statement


class Restoration(Model):
    """What puts an HTTP API back as it was: writes before the stage is pointed back, then
    removals of what the run created and nothing uses, and what cannot be put back."""

    steps: tuple[Step, ...] = ()
    """Role, policy, forwarders, permissions, integrations, then routes: what uses comes last."""
    cleanup: tuple[Step, ...] = ()
    """Integrations, permissions, forwarders, the policy, then the role: users go first."""
    left: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing is to be written."""
        return not self.steps and not self.cleanup


def restore(base: HttpApiSnapshot, now: HttpApiSnapshot) -> Restoration:
    """The steps that take `now` back to `base`, for the parts an asyncgw run writes."""
    put: list[Step] = []
    removals: dict[str, list[Step]] = {"integration": [], "permission": [], "forwarder": [],
                                       "policy": [], "role": []}
    left: list[str] = []
    _role(base, now, put, removals)
    strays = _forwarders(base, now, put, removals, left)
    _integrations_and_routes(base, now, put, removals)
    _stray_role(base, now, strays, removals, left)
    return Restoration(steps=tuple(put),
                       cleanup=tuple(s for kind in removals.values() for s in kind),
                       left=tuple(left))


def _targets(snapshot: HttpApiSnapshot) -> set[str]:
    """The functions the API's Lambda routes end at, directly or through a forwarder."""
    found = {f.target for f in snapshot.forwarders}
    for integration in snapshot.integrations:
        function = lambda_target(integration)
        if function and snapshot.forwarder_at(function) is None and not _is_forwarder(function):
            found.add(function)
    return found


def _is_forwarder(function: str) -> bool:
    parts = parse_function_arn(function)
    return parts is not None and parts.name.startswith(PREFIX)


def _reversed(step: Step, kind: StepKind, marker: Literal["+", "~", "-"]) -> Step:
    """A step that makes the write undoing `step`: re-creating what `step` deletes."""
    return step.model_copy(update={
        "kind": kind, "marker": marker, "call": step.undo, "undo": step.call,
        "binds": step.undo_binds, "undo_binds": step.binds,
        "changes": tuple(FieldChange(field=c.field, before=c.after, after=c.before)
                         for c in step.changes)})


# The forwarders' role and its invoke policy

def _role(base: HttpApiSnapshot, now: HttpApiSnapshot, put: list[Step],
          removals: dict[str, list[Step]]) -> None:
    if base.role is None:
        return
    region = base.region
    if now.role is None:
        put.append(_reversed(steps.delete_role(base.role), "create-role", "+"))
    before = base.role.invoke_policy
    current = now.role.invoke_policy if now.role else None
    if before == current:
        return
    had, has = set(base.role.targets), set(now.role.targets if now.role else ())
    if before is not None:
        put.append(steps.put_policy(region, current, before, had - has, has - had))
    elif current is not None:
        removals["policy"].append(steps.delete_policy(region, current, has))


def _stray_role(base: HttpApiSnapshot, now: HttpApiSnapshot, strays: set[str],
                removals: dict[str, list[Step]], left: list[str]) -> None:
    """A role the run created goes once its policy and forwarders are gone."""
    role = now.role
    if base.role is not None or role is None or not role.is_asyncgw:
        return
    users = [f.function_name for f in (*base.forwarders, *now.forwarders)
             if f.role == role.arn and f.function_name not in strays]
    if role.invoke_policy is not None:
        removals["policy"].append(
            steps.delete_policy(base.region, role.invoke_policy, set(role.targets)))
    if users:
        left.append(f"IAM role {role.role_name} kept: forwarder(s) {', '.join(sorted(users))} "
                    "use it")
    elif role.other_policies:
        left.append(f"IAM role {role.role_name} kept: it has other policies "
                    f"({', '.join(role.other_policies)})")
    else:
        removals["role"].append(steps.delete_role(role))


# Forwarders and their permissions

def _forwarders(base: HttpApiSnapshot, now: HttpApiSnapshot, put: list[Step],
                removals: dict[str, list[Step]], left: list[str]) -> set[str]:
    """Re-create the forwarders that were, remove those the run made; the removed by name."""
    before = {f.function_name: f for f in base.forwarders}
    current = {f.function_name: f for f in now.forwarders}
    for name, forwarder in before.items():
        found = current.get(name)
        if found is None:
            put.append(_reversed(steps.delete_forwarder(forwarder), "create-forwarder", "+"))
            if forwarder.code_sha256 and forwarder.code_sha256 != code_sha256():
                left.append(f"forwarder {name} was re-created with this asyncgw's code, not "
                            f"the code it ran before (CodeSha256 {forwarder.code_sha256})")
        _statements(forwarder, found.statements if found else (), put, removals, left)
        if found is not None:
            ours = statement_id(base.api.api_id)
            wanted = {s.sid for s in forwarder.statements}
            removals["permission"] += [
                steps.remove_permission(found, s.sid, s.source_arn, s.action)
                for s in found.statements if s.sid == ours and s.sid not in wanted]
    return _strays(base, now, removals, left)


def _statements(forwarder: Forwarder, present: tuple[Statement, ...], put: list[Step],
                removals: dict[str, list[Step]], left: list[str]) -> None:
    """Permissions of a forwarder that are gone or changed, added back as they were."""
    for statement in forwarder.statements:
        if statement in present:
            continue
        if statement.principal != APIGATEWAY_PRINCIPAL:
            left.append(f"permission {statement.sid} on {forwarder.function_name}: asyncgw "
                        f"re-adds only permissions for {APIGATEWAY_PRINCIPAL}")
            continue
        changed = next((s for s in present if s.sid == statement.sid), None)
        if changed is not None:
            put.append(steps.remove_permission(forwarder, changed.sid, changed.source_arn,
                                               changed.action))
        put.append(_reversed(steps.remove_permission(
            forwarder, statement.sid, statement.source_arn, statement.action),
            "add-permission", "+"))


def _strays(base: HttpApiSnapshot, now: HttpApiSnapshot, removals: dict[str, list[Step]],
            left: list[str]) -> set[str]:
    """Forwarders of this API's targets that were not there before and nothing used."""
    known = {f.function_name for f in base.forwarders}
    wanted = _targets(base)
    ours = statement_id(base.api.api_id)
    removed: set[str] = set()
    for forwarder in now.forwarders:
        if (forwarder.function_name in known or forwarder.target not in wanted
                or any(same_function(forwarder.function_arn, lambda_target(i))
                       for i in base.integrations)):
            continue
        mine = [s for s in forwarder.statements if s.sid == ours]
        removals["permission"] += [steps.remove_permission(forwarder, s.sid, s.source_arn,
                                                           s.action) for s in mine]
        if len(mine) == len(forwarder.statements):
            removals["forwarder"].append(steps.delete_forwarder(forwarder))
            removed.add(forwarder.function_name)
        else:
            others = ", ".join(s.sid for s in forwarder.statements if s.sid != ours)
            left.append(f"forwarder {forwarder.function_name} kept: it also lets {others} "
                        "invoke it")
    return removed


# Integrations and routes

def _content(integration: Integration) -> dict[str, Any]:
    return integration.model_dump(mode="json", exclude={"integration_id"})


def _matches(base: HttpApiSnapshot, now: HttpApiSnapshot) -> dict[str, str]:
    """Each integration of before, by id, to one now with the same content (its own id first)."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for integration in base.integrations:
        same = now.integration(integration.integration_id)
        if same is not None and _content(same) == _content(integration):
            found[integration.integration_id] = same.integration_id
            taken.add(same.integration_id)
    used = {r.integration_id for r in now.routes}
    # Of several copies, one a route already uses saves a write.
    candidates = sorted(now.integrations, key=lambda i: i.integration_id not in used)
    for integration in base.integrations:
        if integration.integration_id in found:
            continue
        copy = next((i for i in candidates if i.integration_id not in taken
                     and _content(i) == _content(integration)), None)
        if copy is not None:
            found[integration.integration_id] = copy.integration_id
            taken.add(copy.integration_id)
    return found


def _integrations_and_routes(base: HttpApiSnapshot, now: HttpApiSnapshot, put: list[Step],
                             removals: dict[str, list[Step]]) -> None:
    api_id = base.api.api_id
    matched = _matches(base, now)
    refs: dict[str, str] = {}
    for integration in base.integrations:
        key = integration.integration_id
        if key in matched:
            refs[key] = matched[key]
            continue
        forwarder = base.forwarder_at(lambda_target(integration))
        put.append(_reversed(steps.delete_integration(api_id, integration, forwarder),
                             "create-integration", "+"))
        refs[key] = steps.integration_placeholder(key)
    served: set[str | None] = set()
    current = {r.route_key: r for r in now.routes}
    before = {r.route_key: r for r in base.routes}
    for key, route in current.items():
        was = before.get(key)
        wanted = route.target
        if was is not None and was.target is not None:
            ref = refs.get(was.integration_id or "")
            wanted = f"integrations/{ref}" if ref else was.target
        if wanted != route.target and wanted is not None:
            put.append(steps.retarget_route(
                api_id, route, wanted, route.target or "",
                FieldChange(field="target", before=route.target, after=was.target if was
                            else wanted)))
        served.add(wanted.removeprefix("integrations/") if wanted else None)
    wanted_functions = _targets(base)
    for integration in now.integrations:
        function = lambda_target(integration)
        if (integration.integration_id in matched.values()
                or integration.integration_id in served or function is None
                or not (_is_forwarder(function) or function in wanted_functions)):
            continue
        removals["integration"].append(steps.delete_integration(
            api_id, integration, now.forwarder_at(function)))
