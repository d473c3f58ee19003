"""Several scheduler processes on one PostgreSQL outbox (issue 14): ``make bench-scale``.

4,000 due messages, an SMTP sink (its own process) that answers each message after
20 ms, like a remote relay; first one ``python -m rxapp.scheduler`` process, then four,
each with its default pool of connections, on a fresh database each time. Prints the
time of each, ``speedup 4 vs 1: x`` (goal >= 3.2), and over both runs ``duplicates: n``
(Message-IDs the sink got more than once) and ``lost: n`` (messages not sent, or sent
but never received). Option ``--db`` names the PostgreSQL server (default: the tests').
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.bench_send import ROOT, _free_port, _insert, _organization, _row, fresh_database
from rxapp.db import get_engine
from rxapp.models.outbox import OutboxMessage

STARTUP_SECONDS = 12.0  # messages fall due after every process and its render child started


@contextmanager
def slow_sink(delay: float, ids_file: Path):
    """The counting sink answering each message after ``delay`` seconds."""
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "benchmarks.smtp_sink",
            str(port),
            "--delay",
            str(delay),
            "--ids",
            str(ids_file),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "ready"
    try:
        yield port
    finally:
        proc.terminate()
        proc.stdout.read()
        proc.wait(timeout=30)


def _run(db: str, processes: int, count: int, delay: float, connections: int) -> tuple:
    """Send ``count`` messages with ``processes`` schedulers; return (seconds, ids, lost)."""
    with tempfile.TemporaryDirectory() as tmp, fresh_database(db) as url:
        ids_file = Path(tmp) / "ids.txt"
        engine = get_engine(url)
        org_id = _organization(engine)
        due = datetime.now(UTC) + timedelta(seconds=STARTUP_SECONDS)
        rows = [_row(org_id, i, due, f"s{processes}-") for i in range(count)]
        _insert(engine, rows)
        expected = {r["message_id"] for r in rows}
        with slow_sink(delay, ids_file) as port:
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "DATABASE_URL": url,
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(port),
                "SMTP_MAX_CONNECTIONS": str(connections),
                "SCHEDULER_POLL_SECONDS": "0.05",
            }
            workers = [
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "rxapp.scheduler", "--log-level", "ERROR"],
                    cwd=ROOT,
                    env=env,
                )
                for _ in range(processes)
            ]
            try:
                while datetime.now(UTC) < due:
                    time.sleep(0.01)
                started = time.perf_counter()
                deadline = started + 600
                while time.perf_counter() < deadline:
                    with engine.connect() as conn:
                        sent = conn.execute(
                            select(func.count()).where(OutboxMessage.state == "sent")
                        ).scalar_one()
                    if sent >= count:
                        break
                    time.sleep(0.05)
                seconds = time.perf_counter() - started
            finally:
                for proc in workers:
                    proc.send_signal(signal.SIGTERM)
                for proc in workers:
                    proc.wait(timeout=60)
        received = Counter(
            line.decode() for line in ids_file.read_bytes().splitlines() if line.strip()
        )
        with engine.connect() as conn:
            sent = conn.execute(
                select(func.count()).where(OutboxMessage.state == "sent")
            ).scalar_one()
        engine.dispose()
    lost = (count - sent) + len(expected - set(received))
    duplicates = sum(n - 1 for n in received.values())
    return seconds, duplicates, lost


def main() -> None:
    """Run 1 then 4 scheduler processes and print the figures."""
    from tests.dbs import postgres_url

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="PostgreSQL URL (default: the tests')")
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--delay", type=float, default=0.020, help="sink answer delay (s)")
    parser.add_argument("--connections", type=int, default=4, help="per process")
    args = parser.parse_args()
    db = args.db or postgres_url()
    if not db:
        raise SystemExit("bench-scale needs PostgreSQL (127.0.0.1:5432 or --db)")
    duplicates = lost = 0
    timings = {}
    for processes in (1, 4):
        seconds, dup, missing = _run(db, processes, args.count, args.delay, args.connections)
        timings[processes] = seconds
        duplicates += dup
        lost += missing
        print(
            f"{processes} scheduler process(es): {args.count} messages in {seconds:.1f} s "
            f"({args.count / seconds:.0f} msgs/s; {args.connections} connections each, "
            f"sink answers after {args.delay * 1000:.0f} ms); duplicates {dup}, lost {missing}"
        )
    print(f"speedup 4 vs 1: {timings[1] / timings[4]:.2f}")
    print(f"duplicates: {duplicates}")
    print(f"lost: {lost}")


if __name__ == "__main__":
    main()
