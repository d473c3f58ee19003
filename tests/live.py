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


NAMESPACE = "/_event"


class Tab:
    """A hand-written socket.io client, as any script can be: one browser tab's socket."""

    def __init__(
        self,
        backend: LiveBackend,
        *,
        cookie: str = "",
        origin: str | None = None,
        token: str | None = None,
    ) -> None:
        import queue
        import uuid

        import socketio

        self.backend = backend
        self.token = token or str(uuid.uuid4())
        self.updates: queue.Queue = queue.Queue()
        # websocket-client adds an Origin of its own unless told not to.
        self.sio = socketio.Client(
            reconnection=False, websocket_extra_options={"suppress_origin": True}
        )
        # The frontend connects to `<backend>/_event` with path `/_event`: socket.io takes the
        # URL's path as the namespace.
        self.sio.on("event", self.updates.put, namespace=NAMESPACE)
        headers = {"Origin": backend.url if origin is None else origin}
        if not headers["Origin"]:
            del headers["Origin"]
        if cookie:
            headers["Cookie"] = cookie
        self.sio.connect(
            f"{backend.url}?token={self.token}",
            headers=headers,
            transports=["websocket"],
            socketio_path="/_event",
            namespaces=[NAMESPACE],
            wait_timeout=10,
        )

    def call(self, handler: str, payload: dict | None = None, *, path: str = "/",
             timeout: float = 20, idle: float = 0.8) -> list[dict]:
        """Send one event; return the updates that came until none came for ``idle`` s."""
        self.sio.emit(
            "event",
            {
                "name": handler,
                "payload": payload or {},
                "router_data": {"pathname": path, "query": {}, "asPath": path},
            },
            namespace=NAMESPACE,
        )
        got: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                update = self.updates.get(timeout=idle if got else deadline - time.monotonic())
            except Exception:  # noqa: BLE001 - queue.Empty: quiet for long enough
                if got:
                    return got
                break
            got.append(update)
        if not got:
            raise TimeoutError(f"no update for {handler}")
        return got

    @staticmethod
    def delta_value(updates: list[dict], field: str) -> object:
        """The last value a field took in these updates (``field`` without the suffix)."""
        found = None
        for update in updates:
            for values in (update.get("delta") or {}).values():
                if f"{field}_rx_state_" in values:
                    found = values[f"{field}_rx_state_"]
        return found

    @staticmethod
    def scripts(updates: list[dict]) -> list[str]:
        """The JavaScript the server asked the tab to run (redirects use it)."""
        return [
            e["payload"].get("javascript_code", "")
            for u in updates
            for e in u.get("events") or []
            if e.get("name") == "_call_script"
        ]

    def close(self) -> None:
        self.sio.disconnect()


def handler_name(state_cls: type, handler: str) -> str:
    """The event name a browser sends for ``state_cls.handler``."""
    return f"{state_cls.get_full_name()}.{handler}"
