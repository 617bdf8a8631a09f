"""`asyncgw demo` runs the whole story with no AWS account and says the key things."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")


def test_demo_runs_every_command_without_aws_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k != "ASYNCGW_JOURNAL_DIR"}
    env.update(AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
               NO_COLOR="1", XDG_STATE_HOME=str(tmp_path / "state"))
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([ASYNCGW, "demo"], env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, cwd=work)
    assert done.returncode == 0, done.stderr
    # The saved plan and the journals stay in the demo's scratch directory.
    assert list(work.iterdir()) == [] and not (tmp_path / "state").exists()
    out = done.stdout
    for line in (
        "$ asyncgw advise orders --stage prod",
        "  1. PUT /orders/{id}: IntegrationLatency p99 27.9 s, max 27.9 s of the 29 s timeout",
        "-m 'PUT /orders/{id}' --stage prod",
        "$ asyncgw status orders",
        "10 methods: 1 async, 2 switchable, 4 sync, 3 not-eligible",
        "$ asyncgw enable-switchable orders -m 'POST /orders/{id}/ship' -m 'PUT /orders/{id}' "
        "--stage prod --dry-run",
        "Dry run: nothing was changed.",
        "2 methods to change, 1 validator to create, 1 deployment to stage prod.",
        "Done: 2 methods now switchable, live on stage prod",
        "10 methods: 1 async, 3 switchable, 3 sync, 3 not-eligible",
        "Done: 1 method now async, live on stage prod",
        "Nothing to do: no change, no deployment.",
        "--optional-header --stage prod --out plan.json",
        "+ method.request.header.InvocationType = optional",
        "Saved the plan to plan.json: nothing was changed.",
        "$ asyncgw apply plan.json --yes",
        "Done: 1 method now switchable, live on stage prod",
        "--stage prod --canary 10 --yes",
        "live on 10% of stage prod's traffic (canary deployment",
        "  canary: 10% of traffic to deployment",
        "$ asyncgw promote orders --stage prod --yes",
        "its canary is removed.",
        "Done: 1 method now sync, live on stage prod",
        "Done: stage dev now serves deployment",
        "asyncgw sandbox serve",
    ):
        assert line in out, line
    assert "Traceback" not in done.stderr
    # advise comes first, and its top recommendation is the change the story makes next.
    assert out.index("$ asyncgw advise orders") < out.index("$ asyncgw status orders")
    advised = out[out.index("$ asyncgw advise"):out.index("$ asyncgw status orders")]
    top = re.search(r"asyncgw (enable-\S+) \S+ -m '([^']+)' --stage prod", advised)
    assert top is not None and top.groups() == ("enable-switchable", "PUT /orders/{id}")
    assert "[1/4] creating validator" in out
    assert out.index("[1/4] creating validator") < out.index("Done: 2 methods now switchable")
    _shows_the_http_api_going_async(out[out.index("$ asyncgw status events"):])


def _shows_the_http_api_going_async(out: str) -> None:
    forwarder = "asyncgw-async-events-jobs-58e85fda"
    status, dry_run, applied, after = out.split("$ asyncgw ")[1:5]
    assert status.startswith("status events\n")
    assert "stage $default: no deployment (deploys automatically)" in status
    assert "4 routes: 3 sync, 1 not-eligible" in status
    assert dry_run.startswith("enable-async events -m 'POST /jobs' --dry-run\n")
    assert f"+ Lambda function {forwarder} (forwarder)" in dry_run
    assert "Dry run: nothing was changed." in dry_run
    assert applied.startswith("enable-async events -m 'POST /jobs' --yes\n")
    assert f"[3/6] creating Lambda function {forwarder} (forwarder)" in applied
    assert "Done: 1 route now async." in applied
    assert after.startswith("status events\n")
    assert re.search(rf"POST /jobs +AWS_PROXY +events-jobs +async +{forwarder}", after)
    assert "4 routes: 1 async, 2 sync, 1 not-eligible" in after
