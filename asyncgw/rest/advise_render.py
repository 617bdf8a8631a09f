"""advise shown both ways: a ranked table with the reasons and commands, and one JSON object."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from asyncgw.core.modes import Mode
from asyncgw.rest.advise import Advice, Figures, FunctionFigures, plural, seconds
from asyncgw.rest.advisor import Advised

_LEVEL_STYLES = {"strong": "bold red", "some": "yellow", "already": "green"}
CANNOT_KNOW = ("asyncgw cannot tell which callers need the answer: enable-switchable lets "
               "those keep waiting (InvocationType: RequestResponse) while the others stop.")


def enable_detailed_metrics(advised: Advised) -> str:
    """The one AWS CLI line that turns detailed metrics on for the stage (asyncgw does not)."""
    return (f"aws apigateway update-stage --region {advised.region} --rest-api-id "
            f"{advised.api.id} --stage-name {advised.stage} --patch-operations "
            "'op=replace,path=/*/*/metrics/enabled,value=true'")


def text(advised: Advised) -> RenderableType:
    """The header, the ranked table, then each method's reason and command."""
    header = Text(f"{advised.api.name} ({advised.api.id}, {advised.region}), stage "
                  f"{advised.stage}, last {plural(advised.days, 'day')}: "
                  f"{plural(advised.calls, 'GetMetricData call')}", style="bold")
    parts: list[RenderableType] = [header, _stage_line(advised.stage_figures)]
    parts += _detailed_lines(advised)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("#", "METHOD", "MODE", "EVIDENCE", "P99 LATENCY", "MAX", "TIMEOUT", "5XX",
                   "CALLS", "FUNCTION P99"):
        table.add_column(column, no_wrap=True)
    lines: list[RenderableType] = []
    for index, advice in enumerate(advised.advices, start=1):
        table.add_row(*_row(index, advice))
        lines.append(Text(f"  {index}. {advice.candidate.key}: {advice.reason}"))
        if advice.command:
            lines.append(Text(f"     {advice.command}", style="cyan"))
    parts += [table, *lines]
    parts += [Text(f"Note: {note}", style="yellow") for note in advised.notes]
    if any(advice.command for advice in advised.advices):
        parts += [Text(CANNOT_KNOW, style="dim"),
                  Text("Preview any command with --dry-run first.", style="dim")]
    elif any(advice.level == "function" for advice in advised.advices):
        parts.append(Text("No method has figures of its own that point to async invocation; "
                          "per-method figures (detailed metrics) would tell which method its "
                          "function's figures come from.", style="dim"))
    elif advised.advices:
        parts.append(Text("No Lambda method shows evidence for async invocation.",
                          style="dim"))
    else:
        parts.append(Text("The API has no Lambda method.", style="dim"))
    return Group(*parts)


def _detailed_lines(advised: Advised) -> list[RenderableType]:
    """What the stage's detailed-metrics setting leaves advise to rank by."""
    total, on, found = advised.lambda_methods, advised.detailed_methods, advised.figures_methods
    if total == 0 or found == total:
        return []
    fallback = "ranked by their functions' figures alone"
    if on == 0:
        said = ("Detailed metrics are off for this stage: CloudWatch has no per-method "
                f"figures, so methods are {fallback} (the stage's, above, cover all of "
                "them). Turn them on (CloudWatch charges per metric) with:")
    else:
        said = (f"Detailed metrics are on for {on} of {total} Lambda methods; "
                f"{total - found} have no per-method figures in the window (no calls, or "
                f"turned on recently?); the sync ones among them are {fallback}.")
        if on < total:
            said += " Turn them on for the whole stage (CloudWatch charges per metric) with:"
    lines: list[RenderableType] = [Text(said, style="yellow")]
    if on < total:
        lines.append(Text(f"  {enable_detailed_metrics(advised)}"))
    return lines


def _stage_line(figures: Figures) -> Text:
    if figures.empty:
        return Text("Stage: no figures in the window (no calls, or no metrics published).")
    return Text(f"Stage: IntegrationLatency p99 {seconds(figures.latency_p99)}, max "
                f"{seconds(figures.latency_max)}; {figures.errors_5xx or 0:,.0f} 5XX of "
                f"{figures.count or 0:,.0f} calls")


def _row(index: int, advice: Advice) -> list[str | Text]:
    candidate = advice.candidate
    figures = candidate.method
    function = candidate.function
    cells: list[str | Text] = [
        str(index), candidate.key,
        "convertible proxy" if candidate.proxy and candidate.mode is Mode.NOT_ELIGIBLE
        else str(candidate.mode),
        Text(advice.level, style=_LEVEL_STYLES.get(advice.level, "")),
    ]
    if figures is None or figures.empty:
        cells += ["n/a", "n/a"]
    else:
        cells += [seconds(figures.latency_p99), seconds(figures.latency_max)]
    cells.append(seconds(candidate.timeout_ms))
    if figures is None or figures.empty:
        cells += ["n/a", "n/a"]
    else:
        cells += [_count(figures.errors_5xx), _count(figures.count)]
    cells.append(seconds(function.duration_p99) if function else "-")
    return cells


def _count(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def data(advised: Advised) -> dict[str, Any]:
    """advise --output json: the API, the stage's figures, and the methods in rank order."""
    return {
        "api": {"id": advised.api.id, "name": advised.api.name, "region": advised.region},
        "stage": advised.stage,
        "days": advised.days,
        "detailedMetrics": advised.detailed,
        "detailedMetricsMethods": advised.detailed_methods,
        "methodsWithFigures": advised.figures_methods,
        "enableDetailedMetrics": (None if advised.detailed
                                  else enable_detailed_metrics(advised)),
        "getMetricDataCalls": advised.calls,
        "stageFigures": _figures_json(advised.stage_figures),
        "methods": [_advice_json(rank, advice)
                    for rank, advice in enumerate(advised.advices, start=1)],
        "notes": list(advised.notes),
    }


def _advice_json(rank: int, advice: Advice) -> dict[str, Any]:
    candidate = advice.candidate
    return {
        "rank": rank,
        "method": candidate.key,
        "mode": str(candidate.mode),
        "integrationType": candidate.integration_type,
        "evidence": advice.level,
        "score": round(advice.score, 1),
        "reason": advice.reason,
        "command": advice.command,
        "timeoutMillis": candidate.timeout_ms,
        "figures": None if candidate.method is None else _figures_json(candidate.method),
        "function": None if candidate.function is None else _function_json(candidate.function),
        "failedEvents": list(candidate.failed_events),
    }


def _figures_json(figures: Figures) -> dict[str, float | None]:
    return {"integrationLatencyP99Millis": figures.latency_p99,
            "integrationLatencyMaxMillis": figures.latency_max,
            "5xxErrors": figures.errors_5xx, "count": figures.count}


def _function_json(function: FunctionFigures) -> dict[str, Any]:
    return {"name": function.name, "timeoutSeconds": function.timeout_s,
            "durationP99Millis": function.duration_p99,
            "durationMaxMillis": function.duration_max, "errors": function.errors,
            "throttles": function.throttles}
