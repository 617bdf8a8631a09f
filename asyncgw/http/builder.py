"""What the selected routes need, reusing what exists, and the clean-up, turned into steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode, function_name
from asyncgw.http import steps
from asyncgw.http.modes import lambda_target
from asyncgw.http.plan import Step
from asyncgw.http.recipe import (
    ROLE_TAG,
    ROLE_TAG_VALUE,
    canonical,
    forwarder_name,
    function_arn,
    integration_description,
    invoke_policy,
    replaced_integration,
    role_arn,
    same_function,
    source_arn,
    statement_id,
)
from asyncgw.http.snapshot import Account, Forwarder, HttpApiSnapshot, Integration, Route


@dataclass(frozen=True)
class IntegrationSpec:
    """What makes two Lambda proxy integrations interchangeable."""

    function: str
    payload_format_version: str | None
    timeout_in_millis: int | None
    request_parameters: tuple[tuple[str, str], ...]
    response_parameters: str

    @classmethod
    def of(cls, integration: Integration, function: str | None = None) -> IntegrationSpec:
        """The spec of an integration, or of a copy calling `function` instead."""
        return cls(
            function=function or lambda_target(integration) or "",
            payload_format_version=integration.payload_format_version,
            timeout_in_millis=integration.timeout_in_millis,
            request_parameters=tuple(sorted(integration.request_parameters.items())),
            response_parameters=canonical(integration.response_parameters),
        )

    def matches(self, other: IntegrationSpec) -> bool:
        """True when either integration could stand in for the other."""
        return same_function(self.function, other.function) and (
            self.payload_format_version, self.timeout_in_millis, self.request_parameters,
            self.response_parameters) == (
            other.payload_format_version, other.timeout_in_millis, other.request_parameters,
            other.response_parameters)


@dataclass(frozen=True)
class NewIntegration:
    """An integration the plan creates: its placeholder key, what it calls, and what it replaces."""

    key: str
    spec: IntegrationSpec
    model: Integration
    label: str
    origin: str | None


@dataclass
class Builder:
    """Accumulates what the selected routes need, reusing whatever already exists."""

    snapshot: HttpApiSnapshot
    account: Account
    mode: Mode
    moves: list[tuple[Route, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_forwarders: dict[str, tuple[str, Mode]] = field(default_factory=dict)
    new_permissions: list[str] = field(default_factory=list)
    new_integrations: list[NewIntegration] = field(default_factory=list)
    added_targets: set[str] = field(default_factory=set)
    credentials_dropped: set[str] = field(default_factory=set)

    # What the routes need

    def wanted_integration(self, target: str, current: Integration) -> str:
        """The integration id (or new key) a route should end at, creating what is missing."""
        direct = same_function(lambda_target(current), target)
        origin = current.integration_id if direct else replaced_integration(current.description)
        if self.mode is Mode.SYNC:
            return current.integration_id if direct else self._direct(target, current, origin)
        forwarder = self._forwarder(target, self.mode)
        if current.credentials_arn:
            self.credentials_dropped.add(current.integration_id)
        return self._via_forwarder(forwarder, target, current, origin)

    def retarget(self, route: Route, ref: str) -> None:
        """Point a route at another integration."""
        self.moves.append((route, ref))

    def _forwarder(self, target: str, mode: Mode) -> str:
        snapshot, account = self.snapshot, self.account
        name = forwarder_name(target, mode)
        existing = snapshot.forwarder_named(name)
        if existing is None or (existing.target, existing.mode) != (target, str(mode)):
            existing = next((f for f in snapshot.forwarders
                             if (f.target, f.mode) == (target, str(mode))), None)
        self._ensure_role()
        if target not in self._policy_targets():
            self.added_targets.add(target)
        if existing is not None:
            if (not existing.allows(snapshot.api.api_id)
                    and existing.function_name not in self.new_permissions):
                self.new_permissions.append(existing.function_name)
            return existing.function_arn
        if name in snapshot.occupied:
            raise UsageError(
                f"cannot create forwarder {name}: that name is taken by "
                f"{snapshot.occupied[name]}; delete or rename it, then run this again")
        if name not in self.new_forwarders:
            self.new_forwarders[name] = (target, mode)
            self.new_permissions.append(name)
        return function_arn(account.partition, snapshot.region, account.account_id, name)

    def _ensure_role(self) -> None:
        role = self.snapshot.role
        if role is not None and not role.is_asyncgw:
            raise UsageError(
                f"IAM role {role.role_name} exists but asyncgw did not create it (no "
                f"{ROLE_TAG} tag): delete it or tag it {ROLE_TAG}={ROLE_TAG_VALUE}, then run "
                "this again")

    def _policy_targets(self) -> set[str]:
        role = self.snapshot.role
        return set(role.targets if role else ()) | self.added_targets

    def _direct(self, target: str, current: Integration, origin: str | None) -> str:
        # Back to the integration the forwarder replaced, which enable leaves in place; failing
        # that, any direct one that fits, or a new one.
        original = self.snapshot.integration(origin)
        if original is not None and same_function(lambda_target(original), target):
            return original.integration_id
        wanted = IntegrationSpec.of(current, target)
        fitting = [i for i in self.snapshot.integrations
                   if same_function(lambda_target(i), target)
                   and i.payload_format_version == current.payload_format_version]
        exact = [i for i in fitting if IntegrationSpec.of(i).matches(wanted)]
        if exact or fitting:
            return (exact or fitting)[0].integration_id
        return self._new_integration(current, target, None, wanted, description=None)

    def _via_forwarder(self, forwarder: str, target: str, current: Integration,
                       origin: str | None) -> str:
        # One forwarder integration per replaced integration: routes that shared an integration
        # share its replacement, and disable can restore each route's own.
        wanted = IntegrationSpec.of(current, forwarder)
        fitting = [i for i in [current, *self.snapshot.integrations]
                   if IntegrationSpec.of(i).matches(wanted)
                   and replaced_integration(i.description) == origin]
        if fitting:
            return fitting[0].integration_id
        return self._new_integration(current, forwarder, origin, wanted,
                                     integration_description(self.mode, target, origin))

    def _new_integration(self, current: Integration, function: str, origin: str | None,
                         wanted: IntegrationSpec, description: str | None) -> str:
        for new in self.new_integrations:
            if new.spec.matches(wanted) and new.origin == origin:
                return new.key
        key = f"new-{len(self.new_integrations) + 1}"
        model = current.model_copy(update={
            "integration_id": key, "integration_uri": function, "integration_subtype": None,
            "credentials_arn": None, "description": description})
        self.new_integrations.append(
            NewIntegration(key, wanted, model, function_name(function), origin))
        return key

    # What nothing uses any more

    def cleanup(self, touched: set[str]) -> list[Removal]:
        """Forwarder integrations, permissions, forwarders and policy entries left unused."""
        snapshot = self.snapshot
        api_id = snapshot.api.api_id
        moved = {route.route_id: ref for route, ref in self.moves}
        in_use = {moved.get(r.route_id, r.integration_id) for r in snapshot.routes}
        removals: list[Removal] = []
        kept_functions = [lambda_target(n.model) for n in self.new_integrations]
        for integration in snapshot.integrations:
            forwarder = snapshot.forwarder_at(lambda_target(integration))
            if (forwarder is not None and forwarder.target in touched
                    and integration.integration_id not in in_use):
                removals.append(Removal("integration", integration=integration,
                                         forwarder=forwarder))
            else:
                kept_functions.append(lambda_target(integration))
        deleted: set[str] = set()
        for forwarder in snapshot.forwarders:
            if forwarder.target not in touched or any(
                    same_function(forwarder.function_arn, f) for f in kept_functions):
                continue
            ours = [s for s in forwarder.statements if s.sid == statement_id(api_id)]
            removals += [Removal("permission", forwarder=forwarder, statement=s.sid)
                         for s in ours]
            if len(ours) == len(forwarder.statements):
                removals.append(Removal("forwarder", forwarder=forwarder))
                deleted.add(forwarder.function_name)
        remaining = {f.target for f in snapshot.forwarders if f.function_name not in deleted}
        remaining |= {target for target, _ in self.new_forwarders.values()}
        unused = {t for t in touched & self._policy_targets() if t not in remaining}
        if unused:
            removals.append(Removal("policy", targets=frozenset(unused)))
        return removals

    # Turning decisions into steps

    def before_deployment(self, removals: Sequence[Removal]) -> list[Step]:
        """The writes before the deployment: role, policy, functions, permissions, routes."""
        snapshot, account = self.snapshot, self.account
        region, api_id = snapshot.region, snapshot.api.api_id
        out: list[Step] = []
        role = snapshot.role
        if self.added_targets or self.new_forwarders:
            if role is None:
                out.append(steps.create_role(region))
            if self.added_targets:
                before = role.invoke_policy if role else None
                after = self._policy(self._policy_targets())
                out.append(steps.put_policy(region, before, after, self.added_targets, set()))
        role_ref = role.arn if role else role_arn(account.partition, account.account_id, region)
        for name, (target, mode) in self.new_forwarders.items():
            out.append(steps.create_forwarder(name, target, mode, role_ref))
        for name in self.new_permissions:
            arn = source_arn(account.partition, region, account.account_id, api_id)
            out.append(steps.add_permission(name, api_id, arn))
        out += [steps.create_integration(api_id, new.key, new.model, new.label)
                for new in self.new_integrations]
        deleted = {r.integration.integration_id for r in removals
                   if r.kind == "integration" and r.integration is not None}
        out += [self._retarget_step(route, ref, deleted) for route, ref in self.moves]
        return out

    def after_deployment(self, removals: Sequence[Removal]) -> list[Step]:
        """The writes after the deployment, in an order AWS accepts (uses before owners)."""
        snapshot = self.snapshot
        api_id = snapshot.api.api_id
        order = {"integration": 0, "permission": 1, "forwarder": 2, "policy": 3}
        out: list[Step] = []
        for removal in sorted(removals, key=lambda r: order[r.kind]):
            if removal.kind == "integration" and removal.integration is not None:
                out.append(steps.delete_integration(api_id, removal.integration,
                                                    removal.forwarder))
            elif removal.kind == "permission" and removal.forwarder is not None:
                statement = next(s for s in removal.forwarder.statements
                                 if s.sid == removal.statement)
                out.append(steps.remove_permission(removal.forwarder, statement.sid,
                                                   statement.source_arn, statement.action))
            elif removal.kind == "forwarder" and removal.forwarder is not None:
                out.append(steps.delete_forwarder(removal.forwarder))
            elif removal.kind == "policy":
                out += self._shrink_policy(set(removal.targets))
        return out

    def _shrink_policy(self, removed: set[str]) -> list[Step]:
        role = self.snapshot.role
        if role is None:
            return []
        before_targets = self._policy_targets()
        before = self._policy(before_targets) if self.added_targets else role.invoke_policy
        left = before_targets - removed
        region = self.snapshot.region
        if left:
            return [steps.put_policy(region, before, self._policy(left), set(), removed)]
        out = [steps.delete_policy(region, before or "", removed)] if before else []
        if role.is_asyncgw and not role.other_policies:
            out.append(steps.delete_role(role))
        else:
            self.notes.append(f"IAM role {role.role_name} kept: it has other policies "
                              f"({', '.join(role.other_policies)})")
        return out

    def _policy(self, targets: set[str]) -> str:
        account = self.account
        return canonical(invoke_policy(targets, account.partition, account.account_id,
                                       self.snapshot.region))

    def _retarget_step(self, route: Route, ref: str, deleted: set[str]) -> Step:
        new = {n.key: n for n in self.new_integrations}
        after = f"integrations/{steps.integration_placeholder(ref) if ref in new else ref}"
        before_id = route.integration_id or ""
        # Undoing the deletion of the route's integration re-creates it under a new id.
        before = (f"integrations/{steps.integration_placeholder(before_id)}"
                  if before_id in deleted else route.target or "")
        after_label = (f"new integration ({new[ref].label})" if ref in new else
                       f"integrations/{ref} ({self._label(ref)})")
        return steps.retarget_route(
            self.snapshot.api.api_id, route, after, before,
            FieldChange(field="target", before=f"{route.target} ({self._label(before_id)})",
                        after=after_label))

    def _label(self, integration_id: str) -> str:
        integration = self.snapshot.integration(integration_id)
        function = lambda_target(integration)
        return function_name(function) if function else "?"


@dataclass(frozen=True)
class Removal:
    """One thing the clean-up removes."""

    kind: str
    integration: Integration | None = None
    forwarder: Forwarder | None = None
    statement: str | None = None
    targets: frozenset[str] = frozenset()

    def describe(self) -> str:
        """What is removed, in a few words."""
        if self.kind == "integration" and self.integration is not None:
            return f"integration {self.integration.integration_id}"
        if self.kind == "permission" and self.forwarder is not None:
            return f"permission {self.statement} on {self.forwarder.function_name}"
        if self.kind == "forwarder" and self.forwarder is not None:
            return f"forwarder {self.forwarder.function_name}"
        return "policy entries for " + ", ".join(sorted(function_name(t) for t in self.targets))
