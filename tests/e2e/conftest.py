"""The running app for browser tests: production build, own database, real SMTP.

The app runs as `reflex run --env prod --single-port` in a subprocess, the way it
runs for users, on a free port, with a temporary SQLite database migrated by
Alembic and the demo data seeded, and with an aiosmtpd server on loopback as its
SMTP relay. Playwright drives Debian's Chromium.

With ``E2E_SCALE=redis`` (``make e2e-redis``) the same build runs as Beckon runs at
scale (issue 14.8): a fresh PostgreSQL database, Reflex's state in Redis (a spare db
number, flushed first), a ``SECRET_KEY`` and three Granian workers behind one port. The
suite is skipped with the reason when Redis or PostgreSQL does not answer.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from rxapp import db
from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
SCALE = os.environ.get("E2E_SCALE", "") == "redis"
# A Redis db number no developer run uses (0 is the default one).
E2E_REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/11")
SCALE_WORKERS = 3
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The system Chromium, or None to let Playwright use its own."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      "/usr/bin/chromium-browser", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveApp:
    """Where the app under test answers, and what backs it."""

    url: str
    database_url: str
    smtp: SmtpServer
    log_path: Path
    scale: bool = False

    def log_tail(self, lines: int = 60) -> str:
        """The end of the app's output, for failure messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()  # this test db number only: no state of an earlier run
        return bool(client.ping())
    except redis.RedisError:
        return False


def _scale_env(request: pytest.FixtureRequest) -> tuple[str, dict[str, str]]:
    """PostgreSQL database and the environment for the scale configuration (or skip)."""
    factory = request.getfixturevalue("postgres_factory")
    if factory is None:
        pytest.skip("E2E_SCALE=redis: no PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL)")
    if not _redis_answers(E2E_REDIS_URL):
        pytest.skip(f"E2E_SCALE=redis: Redis does not answer at {E2E_REDIS_URL}")
    return factory.new(), {
        "REFLEX_REDIS_URL": E2E_REDIS_URL,
        "SECRET_KEY": "e2e-scale-secret-" + "x" * 32,
        "GRANIAN_WORKERS": str(SCALE_WORKERS),
    }


@pytest.fixture(scope="session")
def live_app(
    tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpServer,
    request: pytest.FixtureRequest,
) -> Iterator[LiveApp]:
    workdir = tmp_path_factory.mktemp("app")
    database_url, scale_env = f"sqlite:///{workdir / 'e2e.db'}", {}
    if SCALE:
        database_url, scale_env = _scale_env(request)
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Its own data folder: secret, uploads and Reflex's files stay out of the checkout.
        "DATA_DIR": str(workdir / "data"),
        "BASE_URL": url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_STARTTLS": "false",
        "SCHEDULER_POLL_SECONDS": "0.3",
        "REFLEX_API_URL": url,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
        + os.environ.get("PATH", ""),
        **scale_env,
    }
    db.upgrade(database_url)
    subprocess.run([sys.executable, "-m", "rxapp.seed"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    log_path = workdir / "app.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    app = LiveApp(url=url, database_url=database_url, smtp=smtp_server, log_path=log_path,
                  scale=SCALE)
    try:
        _wait_until_up(app, proc, timeout=420)
        yield app
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def _started_workers(app: LiveApp) -> set[str]:
    """Process ids of the app workers whose startup ran (their scheduler started)."""
    log = app.log_path.read_text(errors="replace")
    return set(re.findall(r"\[(\d+)\] rxapp\.scheduler\.worker: scheduler worker started", log))


def _wait_until_up(app: LiveApp, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}:\n{app.log_tail()}")
        if app.scale and len(_started_workers(app)) < SCALE_WORKERS:
            # One worker answering is not enough: a socket may land on one still loading.
            time.sleep(1)
            continue
        try:
            for path in ("/api/health", "/login"):
                with urllib.request.urlopen(app.url + path, timeout=2) as resp:  # noqa: S310
                    if resp.status != 200:
                        raise OSError(resp.status)
            return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"app did not start in {timeout}s:\n{app.log_tail()}")


# Assertions wait as long as actions do (the contexts' 15 s): a page's first events on a
# cold worker of a loaded 2-core CI machine can take longer than Playwright's 5 s.
expect.set_options(timeout=15000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_app: LiveApp) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_app.url)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Browser, live_app: LiveApp) -> Iterator[Page]:
    """A phone-sized page (390 x 844)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_app.url,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()
