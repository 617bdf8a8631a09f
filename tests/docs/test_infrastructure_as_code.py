"""docs/infrastructure-as-code.md: one example per export format, each cut from the real output."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import PARAMETERS_VALIDATOR, SeededApi, clients, seed_orders_api

from asyncgw.cli.commands.export import EXPORT_FORMATS
from tests.docs.clirun import asyncgw, lines, shows
from tests.docs.markdown import DOCS, README, Block, blocks, section

PAGE = DOCS / "infrastructure-as-code.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = blocks(TEXT)
ELISION = re.compile(r"(#|//) \.\.\.")
# The ids the README's sandbox walk-through shows; the page uses the same.
README_API_ID = re.search(r"^orders \((\w+)\) in", README.read_text(encoding="utf-8"),
                          re.M)
DOC_IDS = {"api": "vruekblre4", PARAMETERS_VALIDATOR: "kvzqhlvhhh", "Validate body": "q8bd2xw0ze"}


def _examples() -> list[tuple[Block, Block]]:
    return [(block, BLOCKS[i + 1]) for i, block in enumerate(BLOCKS)
            if block.marker == "export-example"]


def _format(command: str) -> str:
    words = shlex.split(command)
    return words[words.index("--format") + 1]


@pytest.fixture
def orders() -> Iterator[SeededApi]:
    with emulated_account():
        yield seed_orders_api(clients())


def test_one_example_per_format() -> None:
    formats = [_format(command.commands[0]) for command, _ in _examples()]
    assert sorted(formats) == sorted(EXPORT_FORMATS)
    assert all(len(command.commands) == 1 for command, _ in _examples())


def test_the_page_uses_the_readmes_api_id() -> None:
    assert README_API_ID is not None and README_API_ID.group(1) == DOC_IDS["api"]


@pytest.mark.parametrize("example", _examples(), ids=lambda e: _format(e[0].commands[0]))
def test_each_example_is_cut_from_the_real_output(example: tuple[Block, Block],
                                                  orders: SeededApi) -> None:
    command_block, output_block = example
    (command,) = command_block.commands
    code, out, err = asyncgw(command)
    assert code == 0, err
    out = out.replace(orders.api_id, DOC_IDS["api"])
    for name, validator_id in orders.validators.items():
        out = out.replace(validator_id, DOC_IDS[name])
    assert lines(output_block.body, ELISION), command
    assert shows(output_block.body, out, ELISION), f"$ {command}\n{out}"


def test_the_format_table_names_every_format() -> None:
    table = section(TEXT, "## Reading an export")
    named = set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M))
    assert named == set(EXPORT_FORMATS)
