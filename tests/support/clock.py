"""A clock and a sleep that cost no wall time: sleeping moves the clock forward."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeTime:
    """Seconds since the start of a test, advanced only by `sleep`."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        """The current time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move the clock on."""
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
