"""docs/architecture.md names every package of the product, and every module it names exists."""

from __future__ import annotations

import re

from tests.docs.markdown import DOCS, ROOT

PAGE = (DOCS / "architecture.md").read_text(encoding="utf-8")
ROWS = [line for line in PAGE.splitlines() if line.startswith("| `")]


def _row_of(folder: str) -> str:
    found = [row for row in ROWS if row.startswith(f"| `{folder}")]
    assert found, f"docs/architecture.md has no row for {folder}"
    return found[0]


def test_every_package_has_a_row() -> None:
    packages = sorted(p.parent.relative_to(ROOT).as_posix() + "/"
                      for p in (ROOT / "asyncgw").glob("*/__init__.py"))
    for package in packages:
        _row_of(package)
    _row_of("sandbox/")


def test_every_module_a_row_names_exists() -> None:
    for row in ROWS:
        folder = row.split("`")[1]
        if not folder.endswith("/"):
            assert (ROOT / folder).exists(), folder
            continue
        for module in re.findall(r"`([\w/]+\.py)`", row):
            matches = list((ROOT / folder).rglob(module.split("/")[-1]))
            assert matches, f"{folder}{module}, named in docs/architecture.md, does not exist"


def test_every_module_the_prose_names_exists() -> None:
    for dotted in set(re.findall(r"`((?:core|rest|http)\.\w+)\.\w+`", PAGE)):
        package, module = dotted.split(".")
        assert (ROOT / "asyncgw" / package / f"{module}.py").exists(), dotted
