"""Saved plans: the file `--out` writes, reading it back, and the checks before `apply FILE`."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from asyncgw.core.backend import ChangePlan, ChangeRequest
from asyncgw.core.errors import PlanFileError, PlanOutdated, UsageError
from asyncgw.core.plan import fingerprint

FORMAT = "asyncgw-plan"
VERSION = 1
"""The plan file format this asyncgw writes and reads; a newer one is refused, never guessed."""

KINDS = ("rest", "http")

_SHOWN_CHANGES = 3
"""How many changes a refusal names before '... and N more'."""


@dataclass(frozen=True, kw_only=True)
class RedeployRequest:
    """What `asyncgw redeploy` asks for, saved with its plan as a ChangeRequest is."""

    stage: str | None = None
    """None: the API's only stage."""
    description: str | None = None
    canary: float | None = None
    """Deploy as the stage's canary at this share of traffic; None: to all of it."""


Request = ChangeRequest | RedeployRequest
_ACTIONS: dict[str, type[ChangeRequest] | type[RedeployRequest]] = {
    "change": ChangeRequest, "redeploy": RedeployRequest}


@dataclass(frozen=True, kw_only=True)
class SavedPlan:
    """A plan as `--out` saves it: what was asked, what it read, and the plan itself."""

    kind: str
    """'rest' or 'http': the kind of API the plan was made for."""
    api_id: str
    api_name: str
    region: str
    request: Request
    digest: str
    parts: Mapping[str, Mapping[str, object]]
    plan: dict[str, Any]
    """The plan exactly as --output json shows it: the steps with their calls and undo."""
    asyncgw: str
    """The asyncgw version that made the plan."""

    @classmethod
    def of(cls, plan: ChangePlan, request: Request, *, kind: str, version: str) -> SavedPlan:
        """The saved form of a plan just made from `request`."""
        data = _plain(plan.data)
        return cls(kind=kind, api_id=plan.api_id, api_name=str(data.get("apiName", "")),
                   region=str(data["region"]), request=request,
                   digest=fingerprint(plan.fingerprint_parts),
                   parts=_plain(plan.fingerprint_parts), plan=data, asyncgw=version)

    @property
    def document(self) -> dict[str, Any]:
        """The file's JSON object."""
        action = "change" if isinstance(self.request, ChangeRequest) else "redeploy"
        adapter = pydantic.TypeAdapter(type(self.request))
        return {
            "format": FORMAT, "version": VERSION, "asyncgw": self.asyncgw, "kind": self.kind,
            "api": {"id": self.api_id, "name": self.api_name}, "region": self.region,
            "request": {"action": action, **adapter.dump_python(self.request, mode="json")},
            "fingerprint": {"digest": self.digest, "parts": self.parts},
            "plan": self.plan,
        }

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the file atomically, readable by its owner only (as mkstemp makes it).

        A reader sees the old file or the whole new one, never a part.
        """
        target = Path(path)
        text = json.dumps(self.document, indent=2) + "\n"
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                                 suffix=".tmp")
        except OSError as error:
            raise _unwritable(target, error) from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise _unwritable(target, error) from None


def _unwritable(target: Path, error: OSError) -> UsageError:
    return UsageError(f"cannot write the plan to {target}: {error.strerror or error}; "
                      "nothing was changed")


def load(path: str | os.PathLike[str], version: str) -> SavedPlan:
    """The saved plan in `path`; PlanFileError with a one-line reason when it is not one.

    `version` is this asyncgw's, named when the file is of a newer format.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"no plan file {name}: save one with --out {name}") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise PlanFileError(f"cannot read plan file {name}: {reason}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # A plan's first lines name its format: broken JSON after them is a plan cut off
        # (an unterminated string is reported where it starts, not at the end).
        if error.pos >= len(text.rstrip()) or f'"{FORMAT}"' in text[:200]:
            raise PlanFileError(f"{name} is not a whole plan file: its JSON ends early "
                                f"or breaks at line {error.lineno} (cut off?); save the plan "
                                "again") from None
        raise PlanFileError(f"{name} is not an asyncgw plan file: not JSON (line "
                            f"{error.lineno}, column {error.colno})") from None
    return _parse(name, document, version)


def _parse(name: str, document: object, version: str) -> SavedPlan:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PlanFileError(f"{name} is not an asyncgw plan file (it has no \"format\": "
                            f"\"{FORMAT}\")")
    made = document.get("version")
    if not isinstance(made, int) or isinstance(made, bool) or made < 1:
        raise PlanFileError(f"{name} is not a valid asyncgw plan file: its version is "
                            f"{made!r}")
    if made > VERSION:
        raise PlanFileError(
            f"{name} is a version {made} plan file (from asyncgw {document.get('asyncgw')}); "
            f"this asyncgw {version} reads version {VERSION}: upgrade asyncgw or plan again")
    try:
        api, fingerprinted = document["api"], document["fingerprint"]
        saved = SavedPlan(
            kind=_member(document, "kind", str), api_id=_member(api, "id", str),
            api_name=_member(api, "name", str), region=_member(document, "region", str),
            request=_request(document["request"]),
            digest=_member(fingerprinted, "digest", str),
            parts=_member(fingerprinted, "parts", dict), plan=_member(document, "plan", dict),
            asyncgw=_member(document, "asyncgw", str))
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFileError(f"{name} is not a valid asyncgw plan file: {_reason(error)}"
                            ) from None
    _check_whole(name, saved)
    return saved


def _member(holder: object, key: str, kind: type[Any]) -> Any:
    """holder[key], which must be of `kind`; KeyError or TypeError naming it otherwise."""
    if not isinstance(holder, dict) or key not in holder:
        raise KeyError(key)
    value = holder[key]
    if not isinstance(value, kind):
        raise TypeError(f"{key} is not a {'JSON object' if kind is dict else 'string'}")
    return value


def _request(raw: object) -> Request:
    """The saved request, every field checked as the command line checks its flags."""
    if not isinstance(raw, dict) or raw.get("action") not in _ACTIONS:
        raise ValueError("its request is neither a change nor a redeploy")
    shape = _ACTIONS[raw["action"]]
    fields = {k: v for k, v in raw.items() if k != "action"}
    unknown = sorted(set(fields) - {f.name for f in dataclasses.fields(shape)})
    if unknown:
        # A newer asyncgw's option this one cannot honour: applying without it would not
        # do what was shown.
        raise ValueError(f"its request has options this asyncgw does not know: "
                         f"{', '.join(unknown)}; apply it with the asyncgw that saved it")
    try:
        request: Request = pydantic.TypeAdapter(shape).validate_python(fields)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"its request's {where} is invalid: {first['msg']}") from None
    except UsageError as error:
        raise ValueError(f"its request is refused: {error.message}") from None
    return request


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"{error.args[0]} is missing"
    return str(error)


def _check_whole(name: str, saved: SavedPlan) -> None:
    """Refuse a file whose parts do not agree with each other (edited by hand, or mixed)."""
    if saved.kind not in KINDS:
        raise PlanFileError(f"{name} is not a valid asyncgw plan file: kind {saved.kind!r}")
    if fingerprint(saved.parts) != saved.digest:
        raise PlanFileError(f"{name} was edited: its fingerprint digest does not match what "
                            "it says was read; save the plan again")
    if (saved.plan.get("baseFingerprint"), saved.plan.get("apiId")) != (saved.digest,
                                                                         saved.api_id):
        raise PlanFileError(f"{name} was edited: its plan was made from another read or "
                            "another API than its fingerprint says; save the plan again")


def check(saved: SavedPlan, fresh: ChangePlan, version: str, *,
          share_differs: bool = False) -> None:
    """Refuse (PlanOutdated) unless `fresh`, planned again now, is exactly the saved plan.

    `fresh` comes from the saved request against a new read of the API; `version` is this
    asyncgw's. With `share_differs` (apply --canary) the deployment's canary share and the
    summary saying it may differ; every step and the rest of the deployment may not.
    """
    digest = fingerprint(fresh.fingerprint_parts)
    if digest != saved.digest:
        changed = changes(saved.parts, _plain(fresh.fingerprint_parts))
        raise PlanOutdated(f"API {saved.api_id} changed since the plan was saved: "
                           f"{_listed(changed)}; nothing was changed: plan again")
    was, now = saved.plan, _plain(fresh.data)
    if share_differs:
        was, now = _without_share(was), _without_share(now)
    if now != was:
        differing = [key for key in {**was, **now} if was.get(key) != now.get(key)]
        made_by = (f"it was saved by asyncgw {saved.asyncgw}, this is {version}"
                   if saved.asyncgw != version else "with the same asyncgw version")
        raise PlanOutdated(f"planning again gives another plan than the saved one although "
                           f"the API did not change ({made_by}; it differs in "
                           f"{', '.join(differing)}); nothing was changed: plan again")


def _without_share(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan without what a canary share changes: the deployment's share, the summary."""
    out = {key: value for key, value in plan.items() if key != "summary"}
    if isinstance(out.get("deployment"), dict):
        out["deployment"] = {k: v for k, v in out["deployment"].items() if k != "canaryPercent"}
    return out


def changes(before: Mapping[str, Mapping[str, object]],
            after: Mapping[str, Mapping[str, object]]) -> list[str]:
    """What differs between two reads, as a user reads it: 'method POST /orders changed'."""
    found: list[str] = []
    for part in dict.fromkeys([*before, *after]):
        old, new = before.get(part, {}), after.get(part, {})
        noun = part.removesuffix("s")
        for name in dict.fromkeys([*old, *new]):
            if name not in new:
                found.append(f"{noun} {name} removed")
            elif name not in old:
                found.append(f"{noun} {name} added")
            elif old[name] != new[name]:
                found.append(_changed(noun, name, old[name], new[name]))
    return found


def _changed(noun: str, name: str, old: object, new: object) -> str:
    """'stage prod now serves deployment abc (was def)', or '<noun> <name> changed'."""
    if isinstance(old, dict) and isinstance(new, dict):
        was, now = old.get("deploymentId"), new.get("deploymentId")
        if was != now and now is not None:
            return f"{noun} {name} now serves deployment {now} (was {was or 'none'})"
        if "canarySettings" in old and old.get("canarySettings") != new.get("canarySettings"):
            return f"{noun} {name}'s canary changed"
    return f"{noun} {name} changed"


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN_CHANGES]) or "what it read differs"
    more = len(items) - _SHOWN_CHANGES
    return f"{shown} and {more} more" if more > 0 else shown


def _plain(value: Any) -> Any:
    """The value as JSON gives it back (tuples as lists, dates as text), to compare alike."""
    return json.loads(json.dumps(value, default=str))
