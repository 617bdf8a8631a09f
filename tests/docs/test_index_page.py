"""docs/index.md's sandbox walk-through shows what its status command prints on a fresh sandbox."""

from __future__ import annotations

import re
import shlex

from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients, seed_orders_api

from tests.docs import clirun
from tests.docs.clirun import placeholders, shows
from tests.docs.markdown import DOCS, blocks

PAGE = (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_status_example_is_what_status_prints_on_the_seeded_sandbox() -> None:
    found = blocks(PAGE)
    at = next(i for i, b in enumerate(found) if b.info == "sh"
              and any(c.startswith("asyncgw status orders") for c in b.commands))
    command = next(c for c in found[at].commands if c.startswith("asyncgw status"))
    words = shlex.split(command)
    endpoint = words.index("--endpoint-url")
    shown = found[at + 1]
    assert shown.info == "text", "the status command is not followed by its output"
    with emulated_account():
        seed_orders_api(clients())
        code, out, err = clirun.asyncgw(shlex.join(words[:endpoint] + words[endpoint + 2:]))
    assert code == 0, err
    # The whole output, ids and stage dates aside: the block has no '...' line.
    assert shows(placeholders(shown.body), placeholders(out), re.compile(r"\.\.\.")), out
