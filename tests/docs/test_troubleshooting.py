"""docs/troubleshooting.md: its commands are real, and its field table is what a trace holds."""

from __future__ import annotations

import re

from asyncgw.cli import cli
from tests.docs.markdown import DOCS, blocks
from tests.trace.cases import ALL_CASES
from tests.trace.replay import Trace

PAGE = DOCS / "troubleshooting.md"
TEXT = PAGE.read_text(encoding="utf-8")


def test_the_commands_named_as_taking_trace_are_those_that_do() -> None:
    line = re.search(r"Every command that talks to AWS takes `--trace`: (.+?)\, for REST", TEXT,
                     re.S)
    assert line is not None
    named = set(re.findall(r"`([a-z-]+)`", line.group(1)))
    takes = {name for name, command in cli.commands.items()
             if any("--trace" in param.opts for param in command.params)}
    assert named == takes


def test_the_examples_use_real_commands_and_options() -> None:
    for block in blocks(TEXT):
        for command in block.commands:
            words = command.split()
            assert words[0] == "asyncgw"
            sub = cli.commands[words[1]]
            options = {o for param in sub.params for o in param.opts}
            assert {w for w in words if w.startswith("--")} <= options


def test_the_field_table_lists_every_field_of_a_recorded_call() -> None:
    documented = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", TEXT, re.M):
        documented |= set(re.findall(r"`([a-z]+)`", row))
    recorded = {key for case in ALL_CASES for call in Trace.load(case.trace).calls for key in call}
    assert recorded <= documented
    assert documented - recorded <= {"exception"}  # no recorded case lost its connection
