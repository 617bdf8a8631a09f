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
    concurrency_max: float | None = None


@dataclass(frozen=True)
class Candidate:
    """One Lambda method as advise sees it: its mode, its timeout and its evidence."""

    key: str
    mode: Mode
    integration_type: str
    timeout_ms: int
    proxy: bool
    method: Figures | None
    """None when the stage publishes no per-method figures (detailed metrics off)."""
    function: FunctionFigures | None
    reason_not_eligible: str | None = None
    failed_events: tuple[str, ...] = ()
    """For async and switchable methods: what their function does with failed events."""


@dataclass(frozen=True)
class Advice:
    """A ranked method: how strong the evidence is, why in one line, and the command."""

    candidate: Candidate
    level: str
    """'strong', 'some', 'none' (figures but no sign), 'no data', 'already' or 'not eligible'."""
    score: float
    reason: str
    command: str | None


def rank(candidates: Sequence[Candidate], api_id: str, stage: str) -> list[Advice]:
    """Sync methods by evidence, strongest first; then async ones; then those asyncgw cannot
    change."""
    advices = [_advise(candidate, api_id, stage) for candidate in candidates]
    order = {"strong": 0, "some": 1, "none": 2, "no data": 3, "already": 4, "not eligible": 5}
    return sorted(advices, key=lambda a: (order[a.level], -a.score, a.candidate.key))


def _advise(candidate: Candidate, api_id: str, stage: str) -> Advice:
    if candidate.mode in (Mode.ASYNC, Mode.SWITCHABLE):
        handling = "; ".join(candidate.failed_events) or "failed events are kept"
        return Advice(candidate, "already", 0.0, f"already {candidate.mode}: {handling}", None)
    if candidate.mode is Mode.NOT_ELIGIBLE and not candidate.proxy:
        return Advice(candidate, "not eligible", 0.0,
                      candidate.reason_not_eligible or "not eligible", None)
    signs = _signs(candidate)
    if not signs.reasons:
        level = "no data" if signs.no_data else "none"
        reason = ("no figures in the window" if signs.no_data
                  else "no sign of slowness, 5XX answers or throttling")
        return Advice(candidate, level, signs.score, reason + signs.caveat, None)
    level = "strong" if signs.strong else "some"
    return Advice(candidate, level, signs.score, "; ".join(signs.reasons) + signs.caveat,
                  command(candidate, api_id, stage, signs.outlives))


def command(candidate: Candidate, api_id: str, stage: str, outlives: bool) -> str:
    """The asyncgw command that makes the method async.

    enable-async when the function routinely runs longer than API Gateway waits (no caller
    gets its answer anyway); otherwise enable-switchable, so callers that need the answer
    keep it: asyncgw cannot tell which callers read it.
    """
    verb = "enable-async" if outlives else "enable-switchable"
    convert = " --convert-proxy" if candidate.proxy else ""
    return f"asyncgw {verb} {api_id} -m '{candidate.key}'{convert} --stage {stage}"


@dataclass
class _Signs:
    reasons: list[str]
    score: float = 0.0
    strong: bool = False
    outlives: bool = False
    no_data: bool = True
    caveat: str = ""


def _signs(candidate: Candidate) -> _Signs:
    signs = _Signs([])
    timeout = candidate.timeout_ms
    if candidate.method is None:
        signs.caveat = " (no per-method figures: detailed metrics are off)"
    else:
        _latency_signs(signs, candidate.method, timeout)
    if candidate.function is not None:
        # With the method's own figures, its function's Duration (shared by every method that
        # calls it) is no evidence about this method; it still tells whether the function
        # outlives API Gateway's wait, and throttles hit every caller.
        _function_signs(signs, candidate.function, timeout, durations=candidate.method is None)
    return signs


def _latency_signs(signs: _Signs, figures: Figures, timeout: int) -> None:
    if figures.empty:
        return
    signs.no_data = False
    typical = figures.latency_p99 if figures.latency_p99 is not None else figures.latency_max
    ratio = (typical or 0.0) / timeout
    at_timeout = figures.latency_max is not None and figures.latency_max >= AT_TIMEOUT * timeout
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
        signs.reasons.append(f"{errors:,.0f} 5XX answers{calls}"
                             + (" (504s: calls hit the timeout)" if at_timeout else ""))
        rate = errors / figures.count if figures.count else 1.0
        signs.score += 50 * min(1.0, rate * 10)


def _function_signs(signs: _Signs, function: FunctionFigures, timeout: int,
                    durations: bool) -> None:
    signs.outlives = function.duration_p99 is not None and function.duration_p99 >= timeout
    if function.throttles:
        signs.no_data = False
        signs.reasons.append(f"{function.name} throttled {function.throttles:,.0f} times")
        signs.score += 10
    duration = function.duration_p99 if function.duration_p99 is not None else (
        function.duration_max)
    if durations and duration is not None:
        signs.no_data = False
        own = function.timeout_s * 1000 if function.timeout_s else None
        ratio = max(duration / timeout, duration / own if own else 0.0)
        signs.score += 100 * ratio
        if ratio >= SOME:
            which = "p99" if function.duration_p99 is not None else "max"
            limit = f" (its timeout {seconds(own)})" if own else ""
            signs.reasons.append(f"{function.name} Duration {which} {seconds(duration)}{limit}"
                                 + (", longer than API Gateway waits" if signs.outlives
                                    else ""))
            signs.strong |= ratio >= NEAR


def seconds(milliseconds: float | None) -> str:
    """'27.5 s' or '180 ms' for a figure in milliseconds."""
    if milliseconds is None:
        return "-"
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.1f} s".replace(".0 s", " s")
    return f"{milliseconds:.0f} ms"
