"""`python -m asyncgw_sandbox`: serve the emulated AWS account on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from asyncgw_sandbox.server import start


def main(argv: Sequence[str] | None = None) -> int:
    """Start the server, optionally seed the sample API, print how to use it, wait for a signal."""
    options = _parser().parse_args(argv)
    stopping = threading.Event()
    _stop_on(signal.SIGINT, stopping)
    _stop_on(signal.SIGTERM, stopping)
    try:
        server = start(options.port, log_requests=options.log_requests)
    except OSError as error:
        print(f"asyncgw sandbox: cannot listen on {error.strerror}", file=sys.stderr)
        return 1
    try:
        print(f"asyncgw sandbox listening on {server.endpoint_url}", flush=True)
        if options.seed:
            _seed(server.endpoint_url, options.region)
        if options.throttle:  # after seeding, which would spend the quotas
            server.throttle()
            print("API Gateway quotas enforced: 10 requests/s (burst 40), GetResources 5 per "
                  "2 s, CreateDeployment 1 per 5 s; over them: 429 TooManyRequestsException")
        if options.latency:  # after seeding, which need not wait
            server.delay(options.latency)
            print(f"Every answer comes {options.latency:g} ms late, as over a network")
        print(
            "Use it with: "
            f"AWS_ENDPOINT_URL={server.endpoint_url} AWS_ACCESS_KEY_ID=testing "
            f"AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION={options.region}"
        )
        print("Press Ctrl-C to stop.", flush=True)
        stopping.wait()
    finally:
        server.stop()
    print("asyncgw sandbox stopped.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m asyncgw_sandbox",
        description="Serve an emulated AWS account (moto plus asyncgw's API Gateway additions).",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--seed", action="store_true",
                        help='create the sample REST API "orders" and HTTP API "events"')
    parser.add_argument("--region", default="us-east-1", help="region to seed and to suggest")
    parser.add_argument("--log-requests", action="store_true", help="print one line per request")
    parser.add_argument("--throttle", action="store_true",
                        help="enforce API Gateway's request quotas (answer 429 over them)")
    parser.add_argument("--latency", type=_milliseconds, default=0.0, metavar="MS",
                        help="answer every request MS milliseconds late (default: 0)")
    return parser


def _milliseconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of milliseconds: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"latency must be 0 or more milliseconds, not {text}")
    return value


def _seed(endpoint_url: str, region: str) -> None:
    from asyncgw_sandbox.seed import clients, seed_orders_api
    from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api

    base = clients(region, endpoint_url)
    seeded = seed_orders_api(base)
    print(
        f'Seeded REST API "{seeded.name}": {seeded.api_id} '
        f"(region {seeded.region}, stages {', '.join(seeded.stages)})"
    )
    http_api = seed_sample_http_api(http_api_clients(base))
    print(
        f'Seeded HTTP API "{http_api.name}": {http_api.api_id} '
        f"(region {base.region}, stage {', '.join(http_api.stages)}, deploys automatically)"
    )


def _stop_on(signal_number: signal.Signals, stopping: threading.Event) -> None:
    def handle(number: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal_number, handle)


if __name__ == "__main__":
    sys.exit(main())
