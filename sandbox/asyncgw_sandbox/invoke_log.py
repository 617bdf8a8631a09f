"""The execution log TestInvokeMethod returns, in AWS's recorded line format [REC F1, F3]."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

# AWS cuts a long headers line and marks it [COMM; LS cuts at 998 characters]; the exact limit
# is [UNVERIFIED].
HEADERS_LIMIT = 998


class ExecutionLog:
    """Lines prefixed with the time as Java's Date.toString prints it in UTC [REC F1]."""

    def __init__(self, request_id: str) -> None:
        self.lines = [f"Execution log for request {request_id}"]

    def add(self, text: str) -> None:
        """Append one line, stamped with the current time."""
        stamp = datetime.now(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
        self.lines.append(f"{stamp} : {text}")

    def text(self) -> str:
        """The whole log; AWS ends it with a newline [REC F1: an empty last line]."""
        return "\n".join(self.lines) + "\n"


def java_map(mapping: Mapping[str, str]) -> str:
    """A map as Java prints it: {a=1, b=2} [REC F1 'Method request path: {petId=123}']."""
    return "{" + ", ".join(f"{key}={value}" for key, value in mapping.items()) + "}"


def headers_line(headers: Mapping[str, str]) -> str:
    """A headers map as the log prints it, cut at about 1000 characters."""
    text = java_map(headers)
    if len(text) > HEADERS_LIMIT:
        return f"{text[:HEADERS_LIMIT]} [TRUNCATED]"
    return text
