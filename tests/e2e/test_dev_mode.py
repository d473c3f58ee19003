"""`make run` as a newcomer meets it: development mode stays up while someone uses it.

The app is started by ``make run`` itself (migrate, seed, ``reflex run`` in development
mode on two ports), with its own data folder (``DATA_DIR``). That folder is put inside
the checkout on purpose (``build/``, ignored by git but not by Reflex's default
watcher): only the hot-reload settings keep the database's ``-wal``/``-shm`` writes
from restarting the backend, so the test fails if they go.

It also gets its own frontend folder (``REFLEX_WEB_WORKDIR``): development mode
compiles pages into that folder and serves them from there, and the production fixture
of the other browser tests builds into the checkout's ``.web``; one shared folder would
have each overwrite the other's build whatever the test order. The copy costs one
``bun install`` from bun's cache (about 15 s here).

Regression for issue 8: SQLite's ``-wal``/``-shm`` files in the project root made the
backend restart every two seconds, so nobody could sign in.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ROOT, _free_port
from tests.e2e.helpers import open_page, sign_in_as

# Reflex prints this once when the backend compiles the app at start, and again on
# every hot reload (a watched file changed, so the backend restarted).
COMPILE_LINE = re.compile(r"^Compiling:", re.MULTILINE)
# What `make run` must not show a newcomer: registry probes and the Node upgrade advice.
NOISE = ("npmmirror", "Failed to connect", "out of date", "Traceback")


@dataclass
class DevApp:
    """Where the development server answers, and its output."""

    url: str
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        """Everything `make run` printed so far."""
        return self.log_path.read_text(errors="replace")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as resp:  # noqa: S310 - loopback
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def dev_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevApp]:
    workdir = tmp_path_factory.mktemp("dev")
    data_dir = ROOT / "build" / f"dev-test-{os.getpid()}"
    frontend, backend = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SMTP_HOST", "BASE_URL", "REFLEX_API_URL")}
    env.update(DATA_DIR=str(data_dir), REFLEX_WEB_WORKDIR=str(workdir / "web"))
    log_path = workdir / "make-run.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["make", "run", f"FRONTEND_PORT={frontend}", f"BACKEND_PORT={backend}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    app = DevApp(url=f"http://localhost:{frontend}", data_dir=data_dir, log_path=log_path)
    try:
        deadline = time.monotonic() + 300
        while not (_answers(f"http://localhost:{backend}/ping")
                   and _answers(f"{app.url}/login")):
            if proc.poll() is not None:
                raise RuntimeError(f"make run exited with {proc.returncode}:\n{app.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"make run did not come up in 300 s:\n{app.log()}")
            time.sleep(1)
        yield app
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_r_acc_4_make_run_stays_up_and_the_organizer_stays_signed_in(
    dev_app: DevApp, browser: Browser
):
    log = dev_app.log()
    assert "organizer@beckon-demo.example" in log, "make run prints the demo logins"
    for noise in NOISE:
        assert noise not in log, f"make run printed {noise!r}:\n{log}"
    compiles_at_start = len(COMPILE_LINE.findall(log))

    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=dev_app.url)
    context.set_default_timeout(30000)  # development mode compiles each page on first visit
    page = context.new_page()
    try:
        sign_in_as(page, "organizer")
        open_page(page, "/participants")
        expect(page.get_by_role("link", name="Bennett")).to_be_visible()

        # A minute of use in development mode: the database writes all the while
        # (sessions, the scheduler), and nothing may restart the backend.
        page.wait_for_timeout(30_000)
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page).to_have_url(re.compile(r"/participants/?$"))
        expect(page.locator("#sign-out")).to_be_visible()
        expect(page.get_by_role("link", name="Bennett")).to_be_visible()
    finally:
        context.close()

    log = dev_app.log()
    assert len(COMPILE_LINE.findall(log)) == compiles_at_start, f"backend restarted:\n{log}"
    assert "Changes detected" not in log
    # The database and its journal are in the data folder, not in the watched tree.
    assert (dev_app.data_dir / "beckon.db").exists()
    assert (dev_app.data_dir / "beckon.db-wal").exists()
    assert not list(ROOT.glob("*.db-wal"))
