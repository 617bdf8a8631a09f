"""The durable journal of an apply on disk: where it lives, its lock, its format, its lines."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asyncgw import __version__
from asyncgw.core.errors import AsyncgwError, UndoFailed, UsageError

FORMAT = "asyncgw-journal"
VERSION = 1
"""Bumped when a reader of the old version could misread the new one (docs/recovery.md)."""
ENV_VAR = "ASYNCGW_JOURNAL_DIR"


def journal_dir(flag: str | None, environ: Mapping[str, str]) -> Path:
    """Where journals live: --journal-dir, else $ASYNCGW_JOURNAL_DIR, else the state directory.

    The flag wins over the variable, as the AWS CLI's options win over its variables.
    """
    if flag:
        return Path(flag).expanduser()
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR]).expanduser()
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "asyncgw" / "journals"


class ApiBusy(UsageError):
    """Another asyncgw process holds the lock of the API: it is applying or recovering now."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder
        """'pid 123, since 2026-12-04T05:00:00+00:00': who holds the lock."""


class UnfinishedChange(UsageError):
    """A journal whose process is gone: the API may be half-changed until recovered."""


@dataclass(frozen=True)
class Journals:
    """The journal directory, and the account options a journal records to reconnect with."""

    directory: Path
    profile: str | None = None
    endpoint_url: str | None = None

    def stem(self, api_id: str, region: str) -> str:
        """The file name of an API's journal and lock, without suffix: one per API and endpoint."""
        where = hashlib.sha256((self.endpoint_url or "aws").encode()).hexdigest()[:8]
        return f"{api_id}-{region}-{where}"

    def found(self) -> list[Recorded]:
        """Every journal in the directory, oldest first; unreadable ones are skipped."""
        if not self.directory.is_dir():
            return []
        journals = []
        for path in sorted(self.directory.glob("*.journal")):
            with contextlib.suppress(OSError, ValueError):
                journals.append(read(path))
        return sorted(journals, key=lambda j: j.header.get("started", ""))


@dataclass(frozen=True)
class Recorded:
    """A journal as read back: its header, the writes sent and acknowledged, whose lock."""

    path: Path
    header: dict[str, Any]
    sent: int
    acknowledged: int

    @property
    def api_id(self) -> str:
        """The API the journal is about."""
        return str(self.header["apiId"])

    @property
    def lock_path(self) -> Path:
        """The lock file held while an apply or a recover works on the API."""
        return self.path.with_suffix(".lock")

    def holder(self) -> str | None:
        """'pid 123' when a live process holds the lock; None when the journal is unfinished."""
        try:
            with Lock.taken(self.lock_path):
                return None
        except ApiBusy as busy:
            return busy.holder


def read(path: Path) -> Recorded:
    """Read a journal file; a torn last line (a kill while appending) is ignored."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    if header.get("format") != FORMAT:
        raise ValueError(f"{path} is not an asyncgw journal")
    if header.get("version") != VERSION:
        raise UsageError(f"{path} is a version {header.get('version')} journal; this asyncgw "
                         f"({__version__}) reads version {VERSION}: recover with the asyncgw "
                         "that wrote it")
    events = []
    for line in lines[1:]:
        with contextlib.suppress(ValueError):
            events.append(json.loads(line))
    return Recorded(path, header, sum("sending" in e for e in events),
                    sum("done" in e for e in events))


class Lock:
    """An exclusive flock on an API's lock file; the kernel drops it when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(self._fd, 200).decode(errors="replace").strip() or "unknown"
            os.close(self._fd)
            raise ApiBusy("another asyncgw is changing or recovering this API now "
                          f"({holder}); nothing was changed: wait for it to finish",
                          holder) from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"pid {os.getpid()}, since {_now()}\n".encode(), 0)

    @classmethod
    @contextlib.contextmanager
    def taken(cls, path: Path) -> Iterator[Lock]:
        """Hold the lock for the block."""
        lock = cls(path)
        try:
            yield lock
        finally:
            lock.release()

    def release(self) -> None:
        """Let go of the lock (the file stays: deleting it would race another process)."""
        os.close(self._fd)


class JournalFile:
    """An open journal: its header written durably, one fsync'd line appended per event."""

    def __init__(self, path: Path, header: Mapping[str, Any]) -> None:
        self.path = path
        self.sent = 0
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, (json.dumps(header, separators=(",", ":")) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _sync_directory(path.parent)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)

    def sending(self, what: str) -> None:
        """Note a write about to be sent: from now on it may have taken effect."""
        self.sent += 1
        self._append({"sending": self.sent, "what": what})

    def done(self, undo: str) -> None:
        """Note a write AWS acknowledged, with how it is undone."""
        self._append({"done": self.sent, "undo": undo})

    def _append(self, event: Mapping[str, object]) -> None:
        os.write(self._fd, (json.dumps(event) + "\n").encode())
        os.fsync(self._fd)

    def close(self, keep: bool) -> None:
        """Stop appending; remove the journal unless `keep` (the API may still differ)."""
        os.close(self._fd)
        if not keep:
            remove(self.path)


def remove(path: Path) -> None:
    """Delete a journal durably: once gone, nothing is left to recover."""
    path.unlink(missing_ok=True)
    _sync_directory(path.parent)


@contextlib.contextmanager
def held(journals: Journals | None,
         saving: Callable[[], Mapping[str, Any]]) -> Iterator[JournalFile | None]:
    """The API's lock and a new journal of what `saving` gives; refuses when either is taken.

    The journal goes when the block ends with the API known to be as it was or as planned;
    an UndoFailed, or anything unforeseen after a write was sent, keeps it for `recover`.
    """
    if journals is None:
        yield None
        return
    saved = saving()
    path = journals.directory / (journals.stem(str(saved["apiId"]), str(saved["region"]))
                                 + ".journal")
    api = saved["apiName"] or saved["apiId"]
    try:
        journals.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = Lock(path.with_suffix(".lock"))
    except ApiBusy as busy:
        raise ApiBusy(f"API {api}: {busy.message}", busy.holder) from None
    except OSError as error:
        raise _unwritable(journals, error) from None
    try:
        if path.exists():
            raise _unfinished(read(path), str(api))
        try:
            file = JournalFile(path, _header(journals, saved))
        except OSError as error:
            raise _unwritable(journals, error) from None
        try:
            yield file
        except BaseException as failure:
            file.close(keep=_keeps(failure, file.sent))
            raise
        file.close(keep=False)
    finally:
        lock.release()


def check_free(journals: Journals, api_id: str, region: str, api: str) -> None:
    """Refuse a change of an API another asyncgw is changing, or one with an unfinished journal.

    Checked when planning too: a change whose writes landed before a kill plans to nothing,
    so its apply would never get to refuse.
    """
    path = journals.directory / (journals.stem(api_id, region) + ".journal")
    if not path.exists():
        return
    with Lock.taken(path.with_suffix(".lock")):
        if path.exists():
            raise _unfinished(read(path), api)


def _keeps(failure: BaseException, sent: int) -> bool:
    """Keep the journal when the API may differ from before: undo failed, or nothing says.

    The loop turns every failure after a write into UndoFailed, or into ApplyFailed or
    Interrupted once the read-back shows the API as it was.
    """
    return isinstance(failure, UndoFailed) or (sent > 0 and not isinstance(failure, AsyncgwError))


def _unwritable(journals: Journals, error: OSError) -> UsageError:
    return UsageError(f"cannot keep the journal of the apply in {journals.directory} "
                      f"({error.strerror or error}); nothing was changed: pass --journal-dir "
                      f"or set {ENV_VAR} to a directory you can write")


def _unfinished(recorded: Recorded, api: str) -> UnfinishedChange:
    header = recorded.header
    return UnfinishedChange(
        f"API {api} has an unfinished change (started {header.get('started')} by process "
        f"{header.get('pid')}, which is gone; {recorded.acknowledged} write(s) acknowledged): "
        f"it may be half-changed; nothing was changed now; put it back first with: "
        f"asyncgw recover {header['apiId']}")


def _header(journals: Journals, saved: Mapping[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "asyncgw": __version__,
            "started": _now(), "pid": os.getpid(), "profile": journals.profile,
            "endpointUrl": journals.endpoint_url, **saved}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sync_directory(directory: Path) -> None:
    """fsync a directory, so a rename or unlink in it survives a power loss."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
