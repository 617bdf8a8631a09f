"""docs/commands.md documents every command and option click has, and nothing click lacks."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from asyncgw.cli import cli
from tests.docs.markdown import DOCS, blocks

PAGE = DOCS / "commands.md"
TEXT = PAGE.read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_commands", DOCS / "gen_commands.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands(
    command: click.Command = cli, path: str = "asyncgw", parent: click.Context | None = None
) -> dict[str, tuple[click.Context, click.Command]]:
    """Every command path ('asyncgw', 'asyncgw sandbox serve', ...) with its context."""
    ctx = click.Context(command, info_name=path.rsplit(" ", 1)[-1], parent=parent,
                        **command.context_settings)
    found = {path: (ctx, command)}
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found.update(_commands(sub, f"{path} {name}", ctx))
    return found


def _options(ctx: click.Context, command: click.Command) -> set[str]:
    return {flag for param in command.get_params(ctx) if isinstance(param, click.Option)
            for flag in (*param.opts, *param.secondary_opts)}


def _section(path: str) -> str:
    start = TEXT.index(f"### `{path}`\n")
    following = TEXT.find("\n### ", start + 1)
    generated_end = TEXT.find("<!-- END generated -->", start)
    ends = [i for i in (following, generated_end) if i >= 0]
    return TEXT[start:min(ends)]


def test_page_is_what_the_generator_renders_from_click() -> None:
    assert _generator().updated(TEXT) == TEXT, "run: .venv/bin/python docs/gen_commands.py"


def test_every_command_is_documented() -> None:
    paths = set(_commands())
    assert {"asyncgw status", "asyncgw enable-async", "asyncgw enable-switchable",
            "asyncgw disable", "asyncgw redeploy", "asyncgw demo",
            "asyncgw sandbox serve"} <= paths
    documented = set(re.findall(r"^### `(asyncgw[^`]*)`$", TEXT, re.M))
    assert documented == paths


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_option_is_documented_under_its_command(path: str) -> None:
    ctx, command = _commands()[path]
    listed = set(re.findall(r"^- `([^`]+)`", _section(path), re.M))
    documented = {word.rstrip(",") for item in listed for word in item.split()
                  if word.startswith("-")}
    assert documented == _options(ctx, command)


def test_every_option_named_anywhere_on_the_page_exists() -> None:
    known = set().union(*(_options(ctx, command) for ctx, command in _commands().values()))
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])\b", TEXT))
    assert named - known == set()


def test_every_command_line_on_the_page_names_real_commands() -> None:
    code = [b.body for b in blocks(TEXT)] + re.findall(r"`([^`\n]+)`", TEXT)
    unknown = set()
    for snippet in code:
        for first, second in re.findall(
                r"(?<![\w./-])asyncgw ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", snippet):
            command = cli.commands.get(first)
            if command is None:
                unknown.add(first)
            elif isinstance(command, click.Group) and second and second not in command.commands:
                unknown.add(f"{first} {second}")
    assert not unknown


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_documented_shell_completion_works(shell: str) -> None:
    variable = f"_ASYNCGW_COMPLETE={shell}_source asyncgw"
    assert variable in TEXT
    done = subprocess.run([str(BIN / "asyncgw")], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "_ASYNCGW_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert "asyncgw" in done.stdout and "Traceback" not in done.stderr


def test_completion_offers_commands() -> None:
    env = {**os.environ, "_ASYNCGW_COMPLETE": "bash_complete", "COMP_WORDS": "asyncgw enable",
           "COMP_CWORD": "1"}
    done = subprocess.run([str(BIN / "asyncgw")], capture_output=True, text=True, timeout=60,
                          env=env)
    assert "plain,enable-async" in done.stdout.splitlines()
    assert "plain,enable-switchable" in done.stdout.splitlines()
