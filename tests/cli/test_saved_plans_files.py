"""Files that are not saved plans: each refused by `asyncgw apply` with exit 2 and one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asyncgw_sandbox.seed import SeededApi

from asyncgw.core.plan import fingerprint
from tests.cli.runner import asyncgw

Edit = Callable[[dict[str, Any]], object]


@pytest.fixture
def saved(orders: SeededApi, tmp_path: Path) -> Path:
    """A real saved plan of the orders API."""
    path = tmp_path / "plan.json"
    done = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                   "--out", str(path))
    assert done.code == 0, done.err
    return path


def _refused(path: Path, start: str) -> None:
    calls: list[str] = []
    result = asyncgw("apply", str(path), "--yes", calls=calls)
    assert result.code == 2, result.err
    assert result.err.strip().count("\n") == 0, f"one line: {result.err!r}"
    assert result.last_error_line.startswith(f"Error: {start}"), result.last_error_line
    assert calls == [], "refused before any API Gateway call"


def test_a_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nowhere.json", f"no plan file {tmp_path / 'nowhere.json'}: save one "
             "with --out")


@pytest.mark.parametrize(("text", "start"), [
    ('{"format": "terraform", "version": 1}', "{path} is not an asyncgw plan file (it has no "
     '"format": "asyncgw-plan")'),
    ("[1, 2, 3]", "{path} is not an asyncgw plan file"),
    ("resource aws_api_gateway {}", "{path} is not an asyncgw plan file: not JSON (line 1"),
    ("", "{path} is not a whole plan file: its JSON ends early"),
    ('{"format": "asyncgw-plan", "version": "one"}', "{path} is not a valid asyncgw plan "
     "file: its version is 'one'"),
])
def test_a_file_that_is_not_a_plan(tmp_path: Path, text: str, start: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(text)
    _refused(path, start.format(path=path))


def test_a_cut_off_plan(saved: Path) -> None:
    text = saved.read_text()
    saved.write_text(text[: len(text) // 2])
    _refused(saved, f"{saved} is not a whole plan file: its JSON ends early or breaks at line")


def test_a_plan_of_a_newer_format(saved: Path) -> None:
    document = json.loads(saved.read_text())
    document.update(version=2, asyncgw="9.0.0")
    saved.write_text(json.dumps(document))
    _refused(saved, f"{saved} is a version 2 plan file (from asyncgw 9.0.0); this asyncgw "
             "0.1.0 reads version 1: upgrade asyncgw or plan again")


def _set_digest(document: dict[str, Any]) -> None:
    """Make the edited parts agree with the digest, as a careful hand edit would."""
    digest = fingerprint(document["fingerprint"]["parts"])
    document["fingerprint"]["digest"] = document["plan"]["baseFingerprint"] = digest


@pytest.mark.parametrize(("edit", "start"), [
    (lambda d: d.pop("plan"), "{path} is not a valid asyncgw plan file: plan is missing"),
    (lambda d: d["api"].update(id=7), "{path} is not a valid asyncgw plan file: id is not a "
     "string"),
    (lambda d: d.update(kind="websocket"), "{path} is not a valid asyncgw plan file: kind "
     "'websocket'"),
    (lambda d: d["request"].update(action="delete"), "{path} is not a valid asyncgw plan "
     "file: its request is neither a change nor a redeploy"),
    (lambda d: d["request"].update(shadow=True, traffic="all"), "{path} is not a valid asyncgw "
     "plan file: its request has options this asyncgw does not know: shadow, traffic"),
    (lambda d: d["request"].update(max_retries="many"), "{path} is not a valid asyncgw plan "
     "file: its request's max_retries is invalid"),
    (lambda d: d["request"].update(methods=[], all=False), "{path} is not a valid asyncgw plan "
     "file: its request is refused: choose methods with -m"),
    (lambda d: d["fingerprint"]["parts"]["stages"].clear(), "{path} was edited: its "
     "fingerprint digest does not match what it says was read"),
    (lambda d: (d["fingerprint"]["parts"]["stages"].clear(), _set_digest(d)) and
     d["plan"].update(baseFingerprint="0" * 64),
     "{path} was edited: its plan was made from another read"),
])
def test_an_edited_or_inconsistent_plan(saved: Path, edit: Edit, start: str) -> None:
    document = json.loads(saved.read_text())
    edit(document)
    saved.write_text(json.dumps(document))
    _refused(saved, start.format(path=saved))


def test_a_directory_is_not_a_plan(tmp_path: Path) -> None:
    _refused(tmp_path, f"cannot read plan file {tmp_path}: Is a directory")
