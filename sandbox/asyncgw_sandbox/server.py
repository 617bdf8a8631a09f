"""The emulated AWS account served over HTTP on 127.0.0.1, for subprocesses and the AWS CLI."""

from __future__ import annotations

import logging
import socket
import urllib.request
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from asyncgw_sandbox.install import install

HOST = "127.0.0.1"


@dataclass
class Server:
    """A running sandbox server; point boto3 or the AWS CLI at `endpoint_url`."""

    endpoint_url: str
    _moto_server: Any
    throttled: bool = False
    delayed: bool = False

    def reset(self) -> None:
        """Empty the emulated account (every service, every region)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def throttle(self) -> None:
        """Enforce API Gateway's quotas from now on, starting from full buckets."""
        from asyncgw_sandbox.throttling import switch_on

        switch_on()
        self.throttled = True

    def delay(self, milliseconds: float) -> None:
        """Answer every request `milliseconds` late from now on (0: at once)."""
        from asyncgw_sandbox.latency import set_latency

        set_latency(milliseconds)
        self.delayed = milliseconds > 0

    def stop(self) -> None:
        """Stop serving and wait for the server thread to end."""
        self._moto_server.stop()
        if self.throttled:
            from asyncgw_sandbox.throttling import switch_off

            switch_off()
        if self.delayed:
            self.delay(0)

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start(port: int = 0, *, log_requests: bool = False, throttle: bool = False,
          latency_ms: float = 0) -> Server:
    """Serve the emulated account on 127.0.0.1:`port` in a thread; port 0 picks a free port.

    With `throttle`, it enforces API Gateway's quotas (asyncgw_sandbox.throttling); with
    `latency_ms`, every answer comes that many milliseconds late (asyncgw_sandbox.latency).
    Raises OSError when `port` is taken.
    """
    from moto.server import ThreadedMotoServer

    if port:
        _check_free(port)
    install()
    # werkzeug logs one line per request on stderr unless its logger is set above INFO.
    logging.getLogger("werkzeug").setLevel(logging.INFO if log_requests else logging.WARNING)
    moto_server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    moto_server.start()
    host, bound_port = moto_server.get_host_and_port()
    server = Server(endpoint_url=f"http://{host}:{bound_port}", _moto_server=moto_server)
    if throttle:
        server.throttle()
    if latency_ms:
        server.delay(latency_ms)
    return server


def _check_free(port: int) -> None:
    # ThreadedMotoServer waits forever when its thread cannot bind: fail before starting it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise OSError(error.errno, f"{HOST}:{port}: {error.strerror}") from None
