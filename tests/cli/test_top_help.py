"""`asyncgw --help` (and a command's) answered without click prints exactly what click prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from asyncgw import __version__
from asyncgw.cli import cli, run, top_help
from asyncgw.cli.table import COMMANDS

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")
ENTRY = ("import sys\nsys.argv = ['asyncgw', *sys.argv[1:]]\nfrom asyncgw.cli import main\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         "print(sorted(m for m in sys.modules if m.split('.')[0] in {'click', 'rich', 'boto3'} "
         "or m.startswith('asyncgw.cli.commands.')), file=sys.stderr)")


def _click_prints(args: list[str], columns: int, capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    capsys.readouterr()
    assert run(args) == 0
    return capsys.readouterr().out


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words after `asyncgw`."""
    paths: list[tuple[str, ...]] = []
    ctx = click.Context(cli, info_name="asyncgw")
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        paths.append((name,))
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, info_name=name, parent=ctx)
            paths += [(name, sub) for sub in command.list_commands(sub_ctx)]
    return paths


COLUMNS = [1, 40, 51, 52, *range(53, 101), 101, 120, 500]
"""Click's formatter width is max(min(columns, 100) - 2, 50): 1 to 52 columns all give 50,
100 and more give 98; every width in between is its own page."""


@pytest.mark.parametrize("columns", COLUMNS)
def test_the_help_page_equals_clicks_at_this_width(
        columns: int, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _click_prints(["--help"], columns, capsys, monkeypatch)
    assert top_help.answer(["--help"], columns) == expected
    assert top_help.answer(["-h"], columns) == expected


@pytest.mark.parametrize("columns", COLUMNS)
def test_each_command_help_is_clicks_or_left_to_click_at_this_width(
        columns: int, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    generated = top_help.width(columns) in top_help.COMMAND_WIDTHS
    for path in _command_paths():
        for flag in top_help.HELP_FLAGS:
            args = [*path, flag]
            page = top_help.answer(args, columns)
            assert (page is not None) == generated, args
            if page is not None:
                assert page == _click_prints(args, columns, capsys, monkeypatch), args


def test_every_command_has_its_pages() -> None:
    assert sorted(top_help.COMMAND_PAGES) == sorted(_command_paths())
    for pages in top_help.COMMAND_PAGES.values():
        assert sorted(pages) == sorted(top_help.COMMAND_WIDTHS)
    assert [top_help.width(columns) for columns in (80, 100)] == list(top_help.COMMAND_WIDTHS)


def test_the_version_equals_clicks(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _click_prints(["--version"], 80, capsys, monkeypatch)
    assert expected == f"asyncgw, version {__version__}\n"
    assert top_help.answer(["--version"], 80) == expected


def test_anything_else_goes_to_click() -> None:
    for args in ([], ["--help", "status"], ["--versions"], ["-hh"], ["status", "api", "--help"],
                 ["sandbox serve", "--help"], ["status", "--help", "-h"], ["nothing", "--help"]):
        assert top_help.answer(args, 80) is None
    assert top_help.answer(["status", "--help"], 90) is None  # a width not generated


@pytest.mark.parametrize("columns", ["62", "100", ""])
def test_the_entry_point_prints_the_page_without_loading_click(columns: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    fast = subprocess.run([sys.executable, "-c", ENTRY, "--help"], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    slow = subprocess.run([sys.executable, "-c", "import sys\nfrom asyncgw.cli import run\n"
                           "sys.exit(run(['--help']))"], capture_output=True, text=True,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert fast.returncode == slow.returncode == 0, fast.stderr + slow.stderr
    assert fast.stdout == slow.stdout
    assert fast.stderr.strip() == "[]"


def test_the_console_script_answers_help_as_click_does() -> None:
    env = {**os.environ, "COLUMNS": "77"}
    done = subprocess.run([ASYNCGW, "--help"], capture_output=True, text=True, env=env,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout == top_help.answer(["--help"], 77)
    assert "Commands:" in done.stdout and "enable-switchable" in done.stdout


@pytest.mark.parametrize("columns", ["80", "100", ""])
def test_a_command_help_at_80_or_100_columns_or_piped_needs_no_click(columns: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    fast = subprocess.run([sys.executable, "-c", ENTRY, "sandbox", "serve", "-h"],
                          capture_output=True, text=True, env=env, timeout=60,
                          stdin=subprocess.DEVNULL)
    slow = subprocess.run([sys.executable, "-c", "import sys\nfrom asyncgw.cli import run\n"
                           "sys.exit(run(['sandbox', 'serve', '-h']))"], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert fast.returncode == slow.returncode == 0, fast.stderr + slow.stderr
    assert fast.stdout == slow.stdout
    assert "Usage: asyncgw sandbox serve [OPTIONS]" in fast.stdout
    assert fast.stderr.strip() == "[]"


def test_a_command_help_at_another_width_loads_only_that_command() -> None:
    done = subprocess.run([sys.executable, "-c", ENTRY, "status", "--help"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "COLUMNS": "90"})
    loaded = done.stderr.strip().splitlines()[-1]
    assert "asyncgw.cli.commands.status" in loaded
    assert "asyncgw.cli.commands.change" not in loaded and "'boto3'" not in loaded
    assert "Usage: asyncgw status [OPTIONS] API" in done.stdout


def test_the_table_short_help_is_each_commands_own() -> None:
    ctx = click.Context(cli, info_name="asyncgw")
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    for name, (_, _, short) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.short_help == short
    assert cli.get_command(ctx, "enable-fast") is None


def test_the_generated_pages_are_current() -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "docs"))
    try:
        import gen_commands
    finally:
        sys.path.pop(0)
    assert gen_commands.TOP_HELP.read_text(encoding="utf-8") == gen_commands.top_help_module()
