"""Lighthouse (mobile) on the invitee pages of a production build: `make lighthouse`.

Starts the app as the browser tests do (``reflex run --env prod --single-port`` on a
free port, its own migrated and seeded SQLite database), creates a real interaction
link and team invitation link with the services, runs the npm ``lighthouse`` CLI with
the system Chromium on each invitee page and prints one line per page:

    lighthouse <path>: performance <n> accessibility <n>

Each page is measured ``--runs`` times (default 3) and the median is printed, since a
shared machine makes single runs noisy. ``--base-url``, ``--database-url`` and
``--data-dir`` measure an app that is already running instead of starting one.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rxapp import db  # noqa: E402
from tests.e2e.conftest import LiveApp, _free_port, _wait_until_up, chromium_path  # noqa: E402
from tests.e2e.invitee_tokens import create_invitee_tokens  # noqa: E402

LIGHTHOUSE = ROOT / ".tools/node_modules/.bin/lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


@contextmanager
def production_app(workdir: Path) -> Iterator[tuple[str, str, Path]]:
    """Run the production build on a free port; yield its URL, database URL, data folder."""
    database_url = f"sqlite:///{workdir / 'lighthouse.db'}"
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(workdir / "data"),
        "BASE_URL": url,
        "REFLEX_API_URL": url,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
        + os.environ.get("PATH", ""),
    }
    db.upgrade(database_url)
    subprocess.run([sys.executable, "-m", "rxapp.seed"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    log_path = workdir / "app.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_until_up(LiveApp(url=url, database_url=database_url, smtp=None,
                               log_path=log_path), proc, timeout=600)
        yield url, database_url, workdir / "data"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def audit(url: str) -> tuple[int, int, dict]:
    """One Lighthouse run (mobile, simulated throttling); scores 0-100 and the report."""
    env = {**os.environ, "CHROME_PATH": chromium_path() or "/usr/bin/chromium"}
    for attempt in (1, 2):  # Chrome sometimes fails to start on a busy machine: once more
        out = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
             "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"],
            env=env, capture_output=True, text=True, timeout=300,
        )
        if out.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"lighthouse failed on {url}:\n{out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    cats = report["categories"]
    return (round(cats["performance"]["score"] * 100), round(cats["accessibility"]["score"] * 100),
            report)


def _key_figures(report: dict) -> str:
    audits = report["audits"]
    parts = []
    for key, label in (("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"),
                       ("total-blocking-time", "TBT"), ("speed-index", "SI"),
                       ("cumulative-layout-shift", "CLS")):
        if key in audits:
            parts.append(f"{label} {audits[key].get('displayValue', '?')}")
    return ", ".join(parts)


def measure(base_url: str, database_url: str, data_dir: Path, runs: int, verbose: bool,
            report_dir: Path | None) -> None:
    """Audit each invitee page ``runs`` times and print the medians."""
    tokens = create_invitee_tokens(database_url, data_dir=data_dir)
    pages = {"/login": "/login", "/i/<token>": f"/i/{tokens.take}",
             "/join/<token>": f"/join/{tokens.join}"}
    if tokens.agenda:
        pages["/agenda/<token>"] = f"/agenda/{tokens.agenda}"
    if tokens.review:
        pages["/r/<token>"] = f"/r/{tokens.review}"
    for label, path in pages.items():
        perf, a11y = [], []
        for run in range(runs):
            p, a, report = audit(base_url + path)
            perf.append(p)
            a11y.append(a)
            if verbose:
                sys.stderr.write(f"  {label} run {run + 1}: {p}/{a} ({_key_figures(report)})\n")
            if report_dir is not None:
                name = label.strip("/").replace("/", "_").replace("<", "").replace(">", "")
                (report_dir / f"{name}-{run + 1}.json").write_text(json.dumps(report))
        sys.stdout.write(f"lighthouse {label}: performance {round(statistics.median(perf))} "
                         f"accessibility {round(statistics.median(a11y))}\n")
        sys.stdout.flush()


def main() -> int:
    """Parse the arguments, start the app unless given one, and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("LIGHTHOUSE_RUNS", 3)))
    parser.add_argument("--base-url", help="an app already running (with --database-url)")
    parser.add_argument("--database-url", help="the database of the app at --base-url")
    parser.add_argument("--data-dir", type=Path, help="the data folder of the app at --base-url")
    parser.add_argument("--reports", type=Path, help="keep each JSON report in this folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="key figures per run")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.stderr.write("lighthouse is missing: run `make lighthouse` (it installs it)\n")
        return 2
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    if args.base_url:
        measure(args.base_url.rstrip("/"), args.database_url, args.data_dir, args.runs,
                args.verbose, args.reports)
        return 0
    with tempfile.TemporaryDirectory(prefix="beckon-lighthouse-") as tmp, \
            production_app(Path(tmp)) as (url, database_url, data_dir):
        measure(url, database_url, data_dir, args.runs, args.verbose, args.reports)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
