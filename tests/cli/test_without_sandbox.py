"""An install without the sandbox extra: demo and sandbox serve give the install hint."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Runs the CLI's entry point in an interpreter where importing `module` fails, as it does in an
# install without the sandbox extra (or with moto but not the sandbox package).
WITHOUT = ("import sys; sys.modules[{module!r}] = None; sys.argv = ['asyncgw', *sys.argv[1:]]; "
           "from asyncgw.cli import main; main()")


@pytest.mark.parametrize("module", ["moto", "asyncgw_sandbox"])
@pytest.mark.parametrize(("args", "why"), [
    (("demo",), "asyncgw demo needs the sandbox"),
    (("sandbox", "serve", "--port", "0"), "the sandbox is not installed"),
])
def test_the_install_hint_instead_of_a_missing_module(args: tuple[str, ...], why: str,
                                                      module: str) -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT.format(module=module), *args],
                          capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={"NO_COLOR": "1", "PATH": ""})
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"Error: {why}: pip install 'asyncgw[sandbox]'"
