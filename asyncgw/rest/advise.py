"""Which methods should be async: the evidence of each Lambda method ranked, a reason, a command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.modes import Mode

DEFAULT_TIMEOUT_MS = 29000
"""API Gateway's integration timeout unless raised [DOC limits]."""
NEAR = 0.8
"""A figure at this share of its timeout or more is strong evidence; half of it is some."""
SOME = 0.5
AT_TIMEOUT = 0.98
"""A maximum this close to the timeout means calls ran into it: callers got 504s."""


@dataclass(frozen=True)
class Figures:
    """API Gateway's figures for one method (or a whole stage) over the window."""

    latency_p99: float | None = None
    """IntegrationLatency p99, milliseconds (the highest daily p99)."""
    latency_max: float | None = None
    errors_5xx: float | None = None
    count: float | None = None

    @property
    def empty(self) -> bool:
        """True when CloudWatch had no datapoint for any of them."""
        return all(v is None for v in (self.latency_p99, self.latency_max, self.errors_5xx,
                                       self.count))


@dataclass(frozen=True)
class FunctionFigures:
    """Lambda's figures for the function behind a method, and its configured timeout."""

    name: str
    timeout_s: int | None = None
    duration_p99: float | None = None
    duration_max: float | None = None
    errors: float | None = None
    throttles: float | None = None


@dataclass(frozen=True)
class Candidate:
    """One Lambda method as advise sees it: its mode, its timeout and its evidence."""

    key: str
    mode: Mode
    """The mode the stage serves (the API's own when the stage's could not be read)."""
    integration_type: str
    timeout_ms: int
    proxy: bool
    method: Figures | None
    """None when the stage publishes no per-method figures (detailed metrics off); empty
    figures when it does but CloudWatch has none in the window."""
    function: FunctionFigures | None
    reason_not_eligible: str | None = None
    failed_events: tuple[str, ...] = ()
    """For async and switchable methods: what their function does with failed events."""
    defined_mode: Mode | None = None
    """The API's own mode when it differs from what the stage serves (not redeployed)."""
    shared_by: int = 1
    """How many Lambda methods invoke the same function."""


@dataclass(frozen=True)
class Advice:
    """A ranked method: how strong the evidence is, why in one line, and the command."""

    candidate: Candidate
    level: str
    """'strong', 'some', 'function' (only its function's figures), 'none' (figures but no
    sign), 'no data', 'already' or 'not eligible'."""
    score: float
    """Orders methods within one level: the level sorts first."""
    reason: str
    command: str | None


LEVELS = ("strong", "some", "function", "none", "no data", "already", "not eligible")


def rank(candidates: Sequence[Candidate], api_id: str, stage: str, flags: str = ""
         ) -> list[Advice]:
    """Sync methods by evidence, strongest first; then async ones; then those asyncgw cannot
    change. `flags` (' --region R ...') is repeated on every command printed."""
    advices = [_advise(candidate, api_id, stage, flags) for candidate in candidates]
    return sorted(advices, key=lambda a: (LEVELS.index(a.level), -a.score, a.candidate.key))


def _advise(candidate: Candidate, api_id: str, stage: str, flags: str) -> Advice:
    redeploy = _redeploy(candidate, api_id, stage, flags)
    if candidate.mode in (Mode.ASYNC, Mode.SWITCHABLE):
        handling = "; ".join(candidate.failed_events) or "failed events are kept"
        return Advice(candidate, "already", 0.0,
                      f"already {candidate.mode}: {handling}{_defined(candidate, stage)}",
                      redeploy)
    if candidate.mode is Mode.NOT_ELIGIBLE and not candidate.proxy:
        return Advice(candidate, "not eligible", 0.0,
                      candidate.reason_not_eligible or "not eligible", None)
    signs = _signs(candidate)
    defined = _defined(candidate, stage)
    if not signs.reasons:
        level = "no data" if signs.no_data else "none"
        reason = "; ".join(signs.remarks) or (
            "no figures in the window" if signs.no_data
            else "no sign of slowness, 5XX answers or throttling")
        return Advice(candidate, level, signs.score, reason + signs.caveat + defined, redeploy)
    level = "function" if signs.function_only else "strong" if signs.strong else "some"
    reasons = "; ".join(signs.reasons + signs.remarks) + signs.caveat + defined
    if redeploy is not None:
        return Advice(candidate, level, signs.score, reasons, redeploy)
    if signs.function_only and candidate.shared_by > 1:
        return Advice(candidate, level, signs.score, reasons, None)
    return Advice(candidate, level, signs.score, reasons,
                  command(candidate, api_id, stage, signs.outlives, flags))


def command(candidate: Candidate, api_id: str, stage: str, outlives: bool, flags: str = ""
            ) -> str:
    """The asyncgw command that makes the method async.

    enable-async when the method's calls routinely run into API Gateway's wait (no caller
    gets its answer anyway); otherwise enable-switchable, so callers that need the answer
    keep it: asyncgw cannot tell which callers read it.
    """
    verb = "enable-async" if outlives else "enable-switchable"
    convert = " --convert-proxy" if candidate.proxy else ""
    return f"asyncgw {verb} {api_id} -m '{candidate.key}'{convert} --stage {stage}{flags}"


def _redeploy(candidate: Candidate, api_id: str, stage: str, flags: str) -> str | None:
    if candidate.defined_mode is None or candidate.defined_mode is candidate.mode:
        return None
    return f"asyncgw redeploy {api_id} --stage {stage}{flags}"


def _defined(candidate: Candidate, stage: str) -> str:
    if candidate.defined_mode is None or candidate.defined_mode is candidate.mode:
        return ""
    return (f"; the API defines it {candidate.defined_mode} but stage {stage} serves "
            f"{candidate.mode}: asyncgw redeploy makes the stage serve the API's definition")


@dataclass
class _Signs:
    reasons: list[str]
    """Evidence for async invocation."""
    remarks: list[str]
    """Figures worth saying that are no evidence for async (errors of the function)."""
    score: float = 0.0
    strong: bool = False
    outlives: bool = False
    no_data: bool = True
    function_only: bool = False
    caveat: str = ""


def _signs(candidate: Candidate) -> _Signs:
    signs = _Signs([], [])
    timeout = candidate.timeout_ms
    own = candidate.method
    if own is None:
        signs.caveat = " (no per-method figures: detailed metrics are off)"
    elif own.empty:
        # Detailed metrics turned on recently, or no call in the window: the function's figures
        # are all there is, as if they were off.
        signs.caveat = (" (detailed metrics are on, but no per-method figures in the window: "
                        "no calls, or turned on recently?)")
        own = None
    else:
        _latency_signs(signs, own, timeout)
    if candidate.function is not None:
        # With the method's own figures, its function's Duration (shared by every method that
        # calls it) is no evidence about this method; throttles hit every caller.
        _function_signs(signs, candidate.function, timeout, own is None, candidate.shared_by)
    signs.function_only = own is None
    return signs


def _latency_signs(signs: _Signs, figures: Figures, timeout: int) -> None:
    signs.no_data = False
    typical = figures.latency_p99 if figures.latency_p99 is not None else figures.latency_max
    ratio = (typical or 0.0) / timeout
    at_timeout = figures.latency_max is not None and figures.latency_max >= AT_TIMEOUT * timeout
    signs.outlives = figures.latency_p99 is not None and figures.latency_p99 >= (
        AT_TIMEOUT * timeout)
    signs.score += 100 * ratio
    if ratio >= SOME or at_timeout:
        which = "p99" if figures.latency_p99 is not None else "max"
        signs.reasons.append(f"IntegrationLatency {which} {seconds(typical)}"
                             + (f", max {seconds(figures.latency_max)}"
                                if which == "p99" and figures.latency_max is not None else "")
                             + f" of the {seconds(timeout)} timeout")
        signs.strong |= ratio >= NEAR or at_timeout
    errors = figures.errors_5xx or 0.0
    if errors > 0:
        calls = f" of {figures.count:,.0f} calls" if figures.count else ""
        said = f"{plural(errors, '5XX answer')}{calls}"
        rate = errors / figures.count if figures.count else 1.0
        if at_timeout:
            # [UNVERIFIED] 5XXError does not tell a 504 from a 502: a maximum at the timeout
            # makes 504s likely, not certain.
            signs.reasons.append(said + " (likely 504s: calls hit the timeout)")
            signs.score += 50 * min(1.0, rate * 10)
        elif figures.latency_max is not None and figures.latency_max < SOME * timeout:
            signs.remarks.append(f"{said}, max {seconds(figures.latency_max)}, far below the "
                                 "timeout: errors that async invocation does not fix")
        else:
            signs.reasons.append(said)
            signs.score += 50 * min(1.0, rate * 10)


def _function_signs(signs: _Signs, function: FunctionFigures, timeout: int, durations: bool,
                    shared_by: int) -> None:
    if function.throttles:
        signs.no_data = False
        signs.reasons.append(f"{function.name} throttled {plural(function.throttles, 'time')}")
        signs.score += 10
    duration = function.duration_p99 if function.duration_p99 is not None else (
        function.duration_max)
    if not durations or duration is None:
        return
    signs.no_data = False
    # A function that serves several methods: its Duration may come from any of them, so it
    # never picks enable-async for this one.
    signs.outlives = (shared_by == 1 and function.duration_p99 is not None
                      and function.duration_p99 >= timeout)
    own = function.timeout_s * 1000 if function.timeout_s else None
    own_ratio = duration / own if own else 0.0
    ratio = max(duration / timeout, own_ratio)
    signs.score += 100 * ratio
    if ratio < SOME:
        return
    which = "p99" if function.duration_p99 is not None else "max"
    limit = f" (its timeout {seconds(own)})" if own else ""
    said = f"{function.name} Duration {which} {seconds(duration)}{limit}"
    if function.duration_p99 is not None and function.duration_p99 >= timeout:
        said += ", longer than API Gateway waits"
    if own_ratio >= SOME:
        said += "; async invocation does not lift the function's own timeout"
    if shared_by > 1:
        said += (f"; {function.name} serves {shared_by} methods: this figure may come from "
                 "any of them")
    signs.reasons.append(said)
    signs.strong |= ratio >= NEAR


def plural(count: float, noun: str) -> str:
    """'1 5XX answer', '3 5XX answers'."""
    return f"{count:,.0f} {noun}{'' if count == 1 else 's'}"


def seconds(milliseconds: float | None) -> str:
    """'27.5 s' or '180 ms' for a figure in milliseconds."""
    if milliseconds is None:
        return "-"
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.1f} s".replace(".0 s", " s")
    return f"{milliseconds:.0f} ms"
