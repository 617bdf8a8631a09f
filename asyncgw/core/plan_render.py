"""The plan as both kinds of API show it: title, steps, deployment, legend, one summary line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from asyncgw.core.plan import Deployment, PlanHead
from asyncgw.core.render import counted, marked

NOTHING_TO_DO = "Nothing to do: no change, no deployment."


@dataclass(frozen=True)
class Legend:
    """What follows the steps: what the plan leaves alone and what it tells the user."""

    unchanged: Sequence[tuple[str, str]] = ()
    """(method or route, why) for each one already in the wanted mode."""
    skipped: Sequence[tuple[str, str]] = ()
    """(method or route, why) for each one the selection passed over."""
    sections: Sequence[tuple[str, Sequence[str]]] = ()
    """(heading, lines) of what a backend adds, such as the forwarders' costs and limits."""
    notes: Sequence[str] = ()
    warnings: Sequence[str] = ()
    advice: Sequence[str] = ()

    def lines(self) -> list[Text]:
        """The legend in the order every plan shows it."""
        out = [Text(f"  = {name}: {why}", style="dim") for name, why in self.unchanged]
        out += [Text(f"  skipped {name}: {why}", style="dim") for name, why in self.skipped]
        for heading, lines in self.sections:
            if lines:
                out += [Text(f"{heading}:"), *(Text(f"  - {line}") for line in lines)]
        out += [Text(f"Note: {note}") for note in self.notes]
        out += [Text(f"Warning: {w}", style="yellow") for w in self.warnings]
        out += [Text(f"Advice: {a}", style="dim") for a in self.advice]
        return out


def deployment_line(deployment: Deployment) -> Text:
    """'+ deployment of stage prod, replacing d1: 'asyncgw: POST /jobs -> async''."""
    if deployment.canary_percent is not None:
        return canary_deployment_line(deployment)
    was = (f", replacing {deployment.previous_deployment_id}"
           if deployment.previous_deployment_id else "")
    return marked("+", f"deployment of stage {deployment.stage}{was}: "
                       f"{deployment.description!r}")


def canary_deployment_line(deployment: Deployment) -> Text:
    """'+ deployment of stage prod as its canary at 10% of traffic, replacing the canary's d2
    (overrides and stage cache kept); the stage keeps serving d1: '...''."""
    canary = deployment.previous_canary
    was = (f", replacing the canary's {canary.deployment_id} at {canary.percent_traffic:g}% "
           "(its stage variable overrides and stage cache setting kept)" if canary else "")
    return marked("+", f"deployment of stage {deployment.stage} as its canary at "
                       f"{deployment.canary_percent:g}% of traffic{was}; the stage keeps "
                       f"serving {deployment.previous_deployment_id} to the rest: "
                       f"{deployment.description!r}")


def plan_diff(head: PlanHead, steps: Sequence[Text], deployment: Deployment | None,
              after: Sequence[Text], legend: Legend, summary: str) -> RenderableType:
    """The diff: the steps, the deployment, the steps after it, the legend, then the summary.

    With no step and no deployment it says 'No changes to ...' and still shows the legend.
    """
    parts: list[RenderableType] = []
    if not steps and not after and deployment is None:
        parts.append(Text(f"No changes to {head.title}."))
    else:
        parts.append(Text(f"asyncgw will make these changes to {head.title}:"))
        parts += steps
        if deployment is not None:
            parts.append(deployment_line(deployment))
        parts += after
    parts += legend.lines()
    parts.append(Text(summary, style="bold"))
    return Group(*parts)


def summary_line(changed: tuple[int, str], counts: Sequence[tuple[int, str, str]],
                 deployment: Deployment | None, empty: bool) -> str:
    """'2 methods to change, 1 validator to create, 1 deployment to stage prod.'

    `changed` is (how many, 'method' or 'route'); `counts` (how many, one, many) of each
    other kind of write, in the order shown; a zero count is left out.
    """
    if empty:
        return NOTHING_TO_DO
    count, noun = changed
    parts = [f"{counted(count, noun)} to change"] if count else []
    parts += [counted(n, one, many) for n, one, many in counts if n]
    parts.append("no deployment" if deployment is None else
                 f"1 deployment to stage {deployment.stage}" + (
                     f"'s canary ({deployment.canary_percent:g}% of traffic)"
                     if deployment.canary_percent is not None else ""))
    return ", ".join(parts) + "."


def live_outcome(changed: str, mode: str, deployment: Deployment, deployment_id: str) -> Text:
    """'Done: 2 methods now async, live on stage prod (deployment d1).'"""
    if deployment.canary_percent is not None:
        return Text(f"Done: {changed} now {mode}, live on {deployment.canary_percent:g}% of "
                    f"stage {deployment.stage}'s traffic (canary deployment {deployment_id}); "
                    f"asyncgw promote or cancel-canary when you have watched it.",
                    style="green")
    return Text(f"Done: {changed} now {mode}, live on stage {deployment.stage} "
                f"(deployment {deployment_id}).", style="green")


def redeployed_outcome(stage: str, deployment_id: str | None) -> Text:
    """'Done: stage prod now serves deployment d2.'"""
    return Text(f"Done: stage {stage} now serves deployment {deployment_id}.", style="green")


def not_live_outcome(changed: str, mode: str, api_id: str,
                     stages: Sequence[str] = ()) -> Text:
    """'Done: 1 route now async; not live on stage(s) prod until you run: asyncgw redeploy ...'."""
    where = f" on stage(s) {', '.join(stages)}" if stages else ""
    return Text(f"Done: {changed} now {mode}; not live{where} until you run: "
                f"asyncgw redeploy {api_id} --stage STAGE", style="yellow")
