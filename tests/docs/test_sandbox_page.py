"""docs/sandbox.md lists every sandbox behaviour with its evidence, and the code agrees."""

from __future__ import annotations

import re

import pytest

from tests.docs.markdown import DOCS, ROOT

PAGE = (DOCS / "sandbox.md").read_text(encoding="utf-8")
SANDBOX = ROOT / "sandbox" / "asyncgw_sandbox"
# Modules that emulate no AWS behaviour: the package, its wiring, its server and test data.
PLUMBING = {"__init__.py", "__main__.py", "account.py", "install.py", "server.py", "seed.py",
            "seed_http.py"}
LABEL = re.compile(r"\[(REC|DOC|MODEL|COMM|UNVERIFIED)\b")
FILE = re.compile(r"`([\w.*]+\.py)`")


def _rows() -> list[tuple[str, str, str]]:
    """(behaviour, evidence, files) of every table row whose last column names files."""
    rows = []
    for line in PAGE.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and FILE.search(cells[2]):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def _files(cell: str) -> list[str]:
    return [name for pattern in FILE.findall(cell) for name in
            sorted(p.name for p in SANDBOX.glob(pattern))]


def test_every_module_that_emulates_aws_is_listed() -> None:
    listed = {name for _, _, files in _rows() for name in _files(files)}
    modules = {p.name for p in SANDBOX.glob("*.py")} - PLUMBING
    assert sorted(modules - listed) == []


def test_every_listed_file_exists() -> None:
    for behaviour, _, files in _rows():
        for pattern in FILE.findall(files):
            assert list(SANDBOX.glob(pattern)), f"{pattern} ({behaviour})"


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row[0][:60])
def test_every_row_has_evidence_and_unverified_rows_say_so_in_the_code(
        row: tuple[str, str, str]) -> None:
    behaviour, evidence, files = row
    assert LABEL.search(evidence) or "**differs**" in behaviour, behaviour
    if "[UNVERIFIED]" in evidence:
        for name in _files(files):
            assert "[UNVERIFIED" in (SANDBOX / name).read_text(encoding="utf-8") \
                or "UNVERIFIED" in (SANDBOX / name).read_text(encoding="utf-8"), \
                f"{name} does not mark '{behaviour}' as [UNVERIFIED]"
