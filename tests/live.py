"""The backend as it runs for users, in a subprocess, for tests at the HTTP and socket level.

`uvicorn --factory rxapp.rxapp:app` on a free port with its own migrated SQLite database,
no frontend build (REFLEX_SKIP_COMPILE): the event socket, uploads, the API and every
middleware in front of them answer exactly as in production.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rxapp import db

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveBackend:
    """Where the backend answers, and its database."""

    url: str
    database_url: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start_backend(workdir: Path, **env_overrides: str) -> Iterator[LiveBackend]:
    """Run the backend until the generator is closed (use from a fixture)."""
    database_url = f"sqlite:///{workdir / 'live.db'}"
    port = free_port()
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BASE_URL": url,
        "SMTP_HOST": "",
        "SCHEDULER_ENABLED": "false",
        "SEED_DEMO": "false",
        "REFLEX_SKIP_COMPILE": "true",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_API_URL": url,
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
        + os.environ.get("PATH", ""),
        **env_overrides,
    }
    db.upgrade(database_url)
    log_path = workdir / "backend.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "rxapp.rxapp:app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    backend = LiveBackend(url=url, database_url=database_url, log_path=log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"backend exited:\n{backend.log_tail()}")
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"backend did not start:\n{backend.log_tail()}")
            time.sleep(0.5)
        yield backend
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
