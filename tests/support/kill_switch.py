"""A WSGI middleware for the sandbox server that SIGKILLs a client process at its k-th write."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from asyncgw_sandbox.server import Server

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

WRITE_VERBS = ("Create", "Put", "Delete", "Update", "Attach", "Detach", "Tag", "Untag", "Add",
               "Remove")
"""The actions of the query-protocol services (IAM, STS) that change something."""


@dataclass
class KillSwitch:
    """Counts the API Gateway, Lambda and IAM writes; kills `pid` at write `at`.

    With `after` False the k-th write is never made (killed before it is processed); with
    `after` True it is made and the process is killed before it gets the answer.
    """

    app: App
    pid: int | None = None
    at: int = 0
    after: bool = False
    writes: list[str] = field(default_factory=list)

    def arm(self, pid: int, at: int, after: bool) -> None:
        """Count from zero, and kill `pid` at write `at` (0: never)."""
        self.pid, self.at, self.after, self.writes = pid, at, after, []

    def disarm(self) -> None:
        """Count no more writes and kill nothing."""
        self.pid = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        what = _write(environ)
        if what is None or self.pid is None:
            return self.app(environ, start_response)
        self.writes.append(what)
        if len(self.writes) != self.at:
            return self.app(environ, start_response)
        if not self.after:
            self._kill()
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return [b""]
        answered: list[tuple[str, list[tuple[str, str]]]] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: object = None
                 ) -> Callable[[bytes], None]:
            answered.append((status, headers))
            return lambda _: None

        body = b"".join(self.app(environ, keep))  # the write is made...
        self._kill()  # ...and its answer never reaches the client
        start_response(*answered[0])
        return [body]

    def _kill(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)
        self.pid = None


def install(server: Server) -> KillSwitch:
    """Put a KillSwitch in front of the running sandbox server's application."""
    wsgi = server._moto_server._server  # werkzeug's server: its handler calls `.app`
    switch = KillSwitch(wsgi.app)
    wsgi.app = switch
    return switch


def _write(environ: dict[str, Any]) -> str | None:
    """'PATCH /restapis/...' or 'iam CreateRole' for a write request; None for a read."""
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
    if method in ("GET", "HEAD") or path.startswith("/moto-api"):
        return None
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode()).get("Action", [""])[0]
        return f"query {action}" if action.startswith(WRITE_VERBS) else None
    if path.endswith("/invocations"):
        return None
    return f"{method} {path}"
