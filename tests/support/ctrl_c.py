"""A progress callback that presses Ctrl-C at one progress line of an apply."""

from __future__ import annotations


class CtrlCAt:
    """Raises KeyboardInterrupt at the `at`-th progress line (1-based), once."""

    def __init__(self, at: int) -> None:
        self.at, self.seen = at, 0

    def __call__(self, line: str) -> None:
        self.seen += 1
        if self.seen == self.at:
            raise KeyboardInterrupt
