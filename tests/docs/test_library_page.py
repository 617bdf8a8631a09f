"""docs/library.md: its example runs on the sandbox, and its signatures are the functions'."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys

import asyncgw
from tests.docs.markdown import DOCS, ROOT, blocks

PAGE = (DOCS / "library.md").read_text(encoding="utf-8")
SIGNATURE = re.compile(r"`asyncgw\.(?P<name>\w+)\((?P<params>[^`]*)\)`")


def _example() -> str:
    [block] = [b for b in blocks(PAGE) if b.marker == "library-example"]
    assert block.info == "python"
    return block.body


def test_the_example_runs_and_prints_what_the_page_says() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-c", _example()], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**env, "NO_COLOR": "1"},
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "GET /orders is sync"
    assert "+ integration.request.header.X-Amz-Invocation-Type = 'Event'" in done.stdout
    assert "deploys prod" in lines
    assert "[1/1] updating integration request of GET /orders" in lines
    live = [line for line in lines if line.startswith("live in deployment ")]
    assert len(live) == 1 and live[0] != "live in deployment None"
    assert lines[-1] == "nothing left to do: True"


def _plain(signature: inspect.Signature) -> str:
    """'api, *, stage=None, account=None': names and defaults, without annotations."""
    parts: list[str] = []
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        default = "" if parameter.default is parameter.empty else f"={parameter.default!r}"
        parts.append(parameter.name + default)
    return ", ".join(parts).replace("'", '"')


def test_each_documented_signature_is_the_functions_own() -> None:
    documented = {m["name"]: m["params"] for m in SIGNATURE.finditer(PAGE)
                  if m["params"] != "..."}
    functions = {name for name in asyncgw.__all__ if inspect.isfunction(getattr(asyncgw, name))}
    assert functions <= set(documented), "every entry point is on the page"
    for name, params in documented.items():
        assert params == _plain(inspect.signature(getattr(asyncgw, name))), name


def test_import_asyncgw_loads_no_backend_until_an_entry_point_is_used() -> None:
    probe = ("import sys\nimport asyncgw\nprint(sorted(m for m in sys.modules "
             "if m.startswith(('asyncgw.', 'boto3', 'click', 'rich'))))\n"
             "asyncgw.plan_change\nprint('asyncgw.library' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.stdout.splitlines() == ["[]", "True"], done.stderr


def test_the_page_is_in_the_site_navigation() -> None:
    assert "library.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
