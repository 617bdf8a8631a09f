"""`asyncgw demo`: the whole story on the embedded sandbox, each command shown as typed."""

from __future__ import annotations

import contextlib
import os
import shlex
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.text import Text

from asyncgw.core.errors import ExitCode, UsageError

STORY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Which methods should be async? The API's own CloudWatch metrics, ranked (prod has "
     "detailed metrics on):",
     ("advise", "orders", "--stage", "prod")),
    ("Every method of the sample REST API, its mode, and the stages:",
     ("status", "orders")),
    ("Preview advise's first recommendation, PUT /orders/{id}, and let callers of the "
     "half-configured ship method choose too (nothing changes yet):",
     ("enable-switchable", "orders", "-m", "POST /orders/{id}/ship", "-m", "PUT /orders/{id}",
      "--stage", "prod", "--dry-run")),
    ("Apply it; asyncgw asks on a terminal, --yes answers for scripts:",
     ("enable-switchable", "orders", "-m", "POST /orders/{id}/ship", "-m", "PUT /orders/{id}",
      "--stage", "prod", "--yes")),
    ("Both are switchable now, and the warnings are gone:",
     ("status", "orders", "--stage", "prod")),
    ("Prove the wiring without running the function (TestInvokeMethod with a DryRun):",
     ("verify", "orders", "-m", "POST /orders/{id}/ship", "--stage", "prod")),
    ("Make another method always async, and keep the events its function fails on:",
     ("enable-async", "orders", "-m", "GET /orders/{id}", "--stage", "prod",
      "--on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-failed", "--yes")),
    ("Running it again changes nothing and deploys nothing:",
     ("enable-async", "orders", "-m", "GET /orders/{id}", "--stage", "prod", "--yes")),
    ("Plan a change for review instead, and save it, as a CI job would (nothing changes);\n"
     "# --optional-header keeps callers that send no InvocationType header synchronous:",
     ("enable-switchable", "orders", "-m", "GET /orders", "--optional-header", "--stage",
      "prod", "--out", "plan.json")),
    ("Later, apply exactly the saved plan; had the API changed since, it would be refused:",
     ("apply", "plan.json", "--yes")),
    ("Roll the next change out to 10% of prod's traffic first, as the stage's canary:",
     ("enable-async", "orders", "-m", "DELETE /orders/{id}", "--stage", "prod", "--canary",
      "10", "--yes")),
    ("prod now serves two deployments; status shows both and the traffic share:",
     ("status", "orders", "--stage", "prod")),
    ("Satisfied: promote the canary, so all of prod's traffic gets the change:",
     ("promote", "orders", "--stage", "prod", "--yes")),
    ("Convert the proxy webhook (the function's code stays as it is) and answer 202:",
     ("enable-async", "orders", "-m", "ANY /webhooks", "--convert-proxy", "--respond-202",
      "--stage", "prod", "--yes")),
    ("Back to synchronous (the validator stays):",
     ("disable", "orders", "-m", "POST /orders/{id}/ship", "--stage", "prod", "--yes")),
    ("Bring the dev stage up to date too:",
     ("redeploy", "orders", "--stage", "dev", "--yes")),
)

# HTTP APIs cannot set the invocation type: asyncgw puts a forwarder function in front.
HTTP_STORY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Every route of the sample HTTP API, its mode, and its stage:",
     ("status", "events")),
    ("Preview: make one route async through a forwarder function (nothing changes yet):",
     ("enable-async", "events", "-m", "POST /jobs", "--dry-run")),
    ("Apply it; the stage deploys automatically, so the change is live at once:",
     ("enable-async", "events", "-m", "POST /jobs", "--yes")),
    ("The route is async now, and the forwarder is listed:",
     ("status", "events")),
)

CLOSING = """\
That was an emulated AWS account inside this process. To try it on yours (dry run first):
  asyncgw status MY_API --profile PROFILE --region REGION
  asyncgw enable-switchable MY_API -m 'POST /path' --stage STAGE --dry-run
To run these commands by hand against the sandbox: asyncgw sandbox serve"""

_SANDBOX_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
_CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_API_GATEWAY")


@contextmanager
def sandbox_environment(journal_dir: str | None = None) -> Iterator[None]:
    """Fake credentials and region, and no profile or endpoint that could reach real AWS.

    With `journal_dir`, applies keep their journals there, not in the user's state directory.
    """
    extra = {"ASYNCGW_JOURNAL_DIR": journal_dir} if journal_dir else {}
    saved = {name: os.environ.get(name) for name in (*_SANDBOX_ENV, *_CLEARED, *extra)}
    for name in _CLEARED:
        os.environ.pop(name, None)
    os.environ.update({**_SANDBOX_ENV, **extra})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def play(say: Callable[[Text], None], run_command: Callable[[list[str]], int]) -> int:
    """Seed the sample APIs in a fresh emulated account and run the stories against them."""
    try:
        from asyncgw_sandbox import emulated_account
        from asyncgw_sandbox.seed import clients, seed_orders_api
        from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api
    except ImportError:
        raise UsageError(
            "asyncgw demo needs the sandbox: pip install 'asyncgw[sandbox]'") from None
    # The saved plan and the journals live in a scratch directory, the story's working one.
    with (tempfile.TemporaryDirectory(prefix="asyncgw-demo-") as scratch,
          contextlib.chdir(scratch), sandbox_environment(os.path.join(scratch, "journals")),
          emulated_account()):
        base = clients()
        seeded = seed_orders_api(base)
        http_api = seed_sample_http_api(http_api_clients(base))
        say(Text(f"Seeded an emulated account in us-east-1 with the REST API 'orders' "
                 f"({seeded.api_id}, stages dev and prod) and the HTTP API 'events' "
                 f"({http_api.api_id}, stage $default, which deploys automatically).\n",
                 style="bold"))
        for caption, args in (*STORY, *HTTP_STORY):
            say(Text(f"# {caption}", style="dim"))
            say(Text(f"$ asyncgw {shlex.join(args)}", style="bold cyan"))
            code = run_command(list(args))
            if code != ExitCode.OK:
                return code
            say(Text(""))
    say(Text(CLOSING))
    return ExitCode.OK
