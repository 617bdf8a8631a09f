"""LocalStack 2026.3.0 in host mode for the tests: a cached venv on Python 3.13, a free port."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VERSION = "2026.3.0"
# Our own LocalStack plugin: a Lambda runtime executor that records events instead of running code.
RECORDING_EXECUTOR = Path(__file__).parent / "recording_executor"
PACKAGES = (
    f"localstack-core[runtime]=={VERSION}",
    # LocalStack 2026.3.0 breaks with the newest releases of these.
    "cbor2<6",
    "pyopenssl<25",
    "cryptography<45",
    "service_identity",
    str(RECORDING_EXECUTOR),
)
SERVICES = "apigateway,lambda,iam,sts,logs"
READY_SECONDS = 120
INSTALL_SECONDS = 900


class LocalStackUnavailable(RuntimeError):
    """LocalStack could not be installed or started; the message says why."""


def python313() -> str:
    """A working Python 3.13: $ASYNCGW_LOCALSTACK_PYTHON, pyenv's, or python3.13 on PATH."""
    for candidate in _python313_candidates():
        check = "import sys; assert sys.version_info[:2] == (3, 13)"
        done = subprocess.run([candidate, "-c", check], capture_output=True, check=False)
        if done.returncode == 0:  # pyenv's shim exists but fails unless 3.13 is selected
            return candidate
    raise LocalStackUnavailable(
        "LocalStack needs Python 3.13: none on PATH or in pyenv (install one with "
        "'pyenv install 3.13', or set ASYNCGW_LOCALSTACK_PYTHON)")


def _python313_candidates() -> list[str]:
    explicit = os.environ.get("ASYNCGW_LOCALSTACK_PYTHON")
    if explicit:
        return [explicit]
    roots = [Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))]
    pyenv = shutil.which("pyenv")
    if pyenv:
        done = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            roots.insert(0, Path(done.stdout.strip()))
    found = [str(c) for root in roots
             for c in sorted((root / "versions").glob("3.13*/bin/python3.13"), reverse=True)]
    on_path = shutil.which("python3.13")
    return found + ([on_path] if on_path else [])


def venv_dir() -> Path:
    """Where the venv is cached: $ASYNCGW_LOCALSTACK_VENV, or a folder keyed by the pins."""
    explicit = os.environ.get("ASYNCGW_LOCALSTACK_VENV")
    if explicit:
        return Path(explicit)
    key = hashlib.sha256("\n".join(map(_pin, PACKAGES)).encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "asyncgw-tests" / f"localstack-{VERSION}-{key}"


def _pin(package: str) -> str:
    """A package as the cache key sees it: a local folder by its sources, wherever it lies."""
    folder = Path(package)
    if not folder.is_dir():
        return package
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("pyproject.toml"), *folder.glob("*/*.py")]):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{folder.name}@{digest.hexdigest()[:12]}"


def ensure_venv() -> Path:
    """The venv's interpreter, installing LocalStack into it the first time."""
    home = venv_dir()
    python = home / "bin" / "python"
    ready = home / ".installed"
    if ready.exists() and python.exists():
        return python
    shutil.rmtree(home, ignore_errors=True)
    home.parent.mkdir(parents=True, exist_ok=True)
    steps = [[python313(), "-m", "venv", str(home)],
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              *PACKAGES]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=INSTALL_SECONDS,
                              check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise LocalStackUnavailable(
                f"installing LocalStack failed ({' '.join(step[:3])} ...): {' | '.join(tail)}")
    ready.write_text("\n".join(PACKAGES) + "\n")
    return python


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LocalStack:
    """A running LocalStack; point boto3, the AWS CLI or asyncgw at `endpoint_url`."""

    endpoint_url: str
    process: subprocess.Popen[bytes]
    root: Path

    @property
    def log(self) -> str:
        """What LocalStack printed so far."""
        path = self.root / "localstack.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop LocalStack and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(root: Path, extra_env: dict[str, str] | None = None) -> LocalStack:
    """Start LocalStack on a free 127.0.0.1 port with its files under `root`; wait until ready."""
    python = ensure_venv()
    port = free_port()
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOCALSTACK_"))},
        "SERVICES": SERVICES,
        "GATEWAY_LISTEN": f"127.0.0.1:{port}",
        "OVERRIDE_IN_DOCKER": "0",  # host mode: FILESYSTEM_ROOT holds every file it writes
        "FILESYSTEM_ROOT": str(root / "filesystem"),
        "DNS_ADDRESS": "0",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "DISABLE_EVENTS": "1",
        "LOCALSTACK_HOST": f"localhost.localstack.cloud:{port}",
        **(extra_env or {}),
    }
    log = (root / "localstack.log").open("wb")
    process = subprocess.Popen([str(python), "-m", "localstack.runtime.main"], env=env,
                               cwd=root, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    running = LocalStack(f"http://127.0.0.1:{port}", process, root)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalStackUnavailable(f"LocalStack exited with {process.returncode}: "
                                        f"{running.log[-2000:]}")
        if _ready(running.endpoint_url):
            return running
        time.sleep(0.5)
    running.stop()
    raise LocalStackUnavailable(f"LocalStack was not ready after {READY_SECONDS} s: "
                                f"{running.log[-2000:]}")


def _ready(endpoint_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint_url}/_localstack/init/ready", timeout=2) as got:
            return b'"completed": true' in got.read() or got.status == 200
    except OSError:
        return False


if __name__ == "__main__":  # python -m tests.localstack.runtime installs the venv ahead
    print(ensure_venv(), file=sys.stderr)
