"""The recorded regression cases: one command line each, run in this order on one seeded API.

CASES were recorded on LocalStack (someone else's emulator). LocalStack's free edition has no
HTTP APIs, so HTTP_CASES were recorded on asyncgw's own sandbox server instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).parent / "cases"
SHIP = "POST /orders/{id}/ship"
REFUND = "POST /orders/{id}/refund"


@dataclass(frozen=True)
class Case:
    """A command line, its trace (cases/NAME.jsonl) and what it printed (NAME.expected.json)."""

    name: str
    args: tuple[str, ...]
    """Without the --endpoint-url and --region the recording adds."""

    @property
    def trace(self) -> Path:
        """The trace the command wrote with --trace while it ran on LocalStack."""
        return CASES_DIR / f"{self.name}.jsonl"

    @property
    def expected_path(self) -> Path:
        """Where the recording keeps the full command line, exit code and output."""
        return CASES_DIR / f"{self.name}.expected.json"

    def expected(self) -> dict[str, Any]:
        """The full command line, exit code, stdout and stderr of the recorded run."""
        loaded: dict[str, Any] = json.loads(self.expected_path.read_text(encoding="utf-8"))
        return loaded


CASES = (
    Case("status", ("status", "orders")),
    Case("enable-switchable-dry-run",
         ("enable-switchable", "orders", "-m", SHIP, "--stage", "prod", "--dry-run")),
    Case("enable-switchable", ("enable-switchable", "orders", "-m", SHIP, "--stage", "prod",
                               "--yes")),
    Case("enable-async", ("enable-async", "orders", "-m", REFUND, "--stage", "prod", "--yes")),
    Case("disable", ("disable", "orders", "-m", "POST /orders", "--stage", "prod", "--yes")),
    Case("redeploy", ("redeploy", "orders", "--stage", "dev", "--yes")),
    Case("verify", ("verify", "orders", "-m", SHIP, "--stage", "prod")),
    Case("status-json", ("status", "orders", "--output", "json")),
    Case("status-unknown-api", ("status", "no-such-api")),
    Case("export", ("export", "orders", "-m", SHIP, "--mode", "switchable", "--format",
                    "cloudformation")),
)
HTTP_CASES = (
    Case("http-enable-async", ("enable-async", "jobs", "-m", "POST /jobs", "--yes")),
    Case("http-status", ("status", "jobs")),
    Case("http-disable", ("disable", "jobs", "-m", "POST /jobs", "--yes")),
)
ALL_CASES = CASES + HTTP_CASES
