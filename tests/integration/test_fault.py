"""Crash safety and multi-worker claiming (R-MSG-3) with real processes and a real SMTP server."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlmodel import Session

from rxapp.mail.transport import SmtpTransport
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler.worker import Worker
from rxapp.settings import Settings
from tests.conftest import T0
from tests.factories import bulk_messages

ROOT = Path(__file__).resolve().parents[2]


def _states(engine):
    with Session(engine) as s:
        return dict(
            s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all()
        )


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


async def test_r_msg_3_worker_killed_mid_batch_loses_nothing(engine, org, db_url, smtp):
    total, connections, lease = 500, 4, 30  # lease >= 2 x SMTP timeout + 5
    start = datetime.now(UTC) - timedelta(seconds=1)
    expected = set(
        bulk_messages(engine, organization_id=org.id, now=start, count=total, prefix="f")
    )
    smtp.handler.delay = 0.004  # a little server latency, so the kill lands mid-batch
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": db_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_MAX_CONNECTIONS": str(connections),
        "SCHEDULER_POLL_SECONDS": "0.05",
        "SCHEDULER_LEASE_SECONDS": str(lease),
        "SMTP_TIMEOUT_SECONDS": "10",
    }
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-X",
            "faulthandler",
            "-m",
            "rxapp.scheduler",
            "--log-level",
            os.environ.get("FAULT_LOG_LEVEL", "WARNING"),
        ],
        cwd=ROOT,
        env=env,
        stderr=open(os.environ.get("FAULT_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp.handler.received) < 150:
            assert proc.poll() is None, "worker exited early"
            assert time.monotonic() < deadline, "worker sent nothing"
            await asyncio.sleep(0.002)
        render_children = _children(proc.pid)
        assert render_children, "the scheduler process renders in a child process"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    delivered_by_dead = len(smtp.handler.received)
    # Its render process notices the scheduler is gone and exits (no orphan left behind).
    deadline = time.monotonic() + 5
    while any(os.path.exists(f"/proc/{pid}") for pid in render_children):
        assert time.monotonic() < deadline, "the render process outlived its scheduler"
        await asyncio.sleep(0.1)
    states = _states(engine)
    assert states.get("sent", 0) < total, "the kill came too late to test anything"

    # The second worker comes after the dead one's lease expired (leases follow the
    # database clock; the sweep is told the time the expiry would come at).
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_max_connections=connections,
        smtp_timeout_seconds=10,
        scheduler_lease_seconds=lease,
    )
    later = datetime.now(UTC) + timedelta(seconds=lease + 1)
    worker = Worker(
        engine=engine, transport=SmtpTransport(settings), settings=settings, clock=lambda: later
    )
    swept = await worker.sweep(now=later)
    await worker.run_until_idle()
    await worker.aclose()

    counts = smtp.handler.message_ids()
    duplicates = sum(n - 1 for n in counts.values())
    print(
        f"\n[fault {engine.dialect.name}] dead worker delivered {delivered_by_dead}, "
        f"states after kill {states}, swept {swept}, duplicates {duplicates} "
        f"(bound: {connections} open connections)"
    )
    assert set(counts) == expected
    assert _states(engine) == {"sent": total}
    assert duplicates <= connections


@pytest.mark.postgres
async def test_r_msg_2_two_workers_on_postgres_drain_2000_without_duplicates(pg_url, smtp):
    from rxapp.db import get_engine
    from tests.factories import make_organization

    engine_a = get_engine(pg_url)
    engine_b = create_engine(pg_url, pool_size=10)
    with Session(engine_a, expire_on_commit=False) as s:
        org = make_organization(s)
        s.commit()
    expected = set(bulk_messages(engine_a, organization_id=org.id, now=T0, count=2000, prefix="w"))
    settings = Settings(
        _env_file=None,
        database_url=pg_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_max_connections=4,
        scheduler_batch_size=50,
    )
    workers = [
        Worker(engine=eng, transport=SmtpTransport(settings), settings=settings, clock=lambda: T0)
        for eng in (engine_a, engine_b)
    ]
    results = await asyncio.gather(*(w.run_until_idle() for w in workers))
    for w in workers:
        await w.aclose()
    engine_b.dispose()
    counts = smtp.handler.message_ids()
    print(f"\n[two workers] sent {[r.sent for r in results]}")
    assert set(counts) == expected and max(counts.values()) == 1
    assert sum(r.sent for r in results) == 2000
    assert all(r.sent > 0 for r in results)
    assert _states(engine_a) == {"sent": 2000}


async def test_r_msg_2_run_forever_sends_and_stops_cleanly(engine, org, smtp, smtp_settings):
    expected = set(
        bulk_messages(engine, organization_id=org.id, now=datetime.now(UTC), count=30, prefix="rf")
    )
    settings = smtp_settings.model_copy(update={"scheduler_poll_seconds": 0.02})
    worker = Worker(engine=engine, transport=SmtpTransport(settings), settings=settings)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    deadline = time.monotonic() + 10
    while len(smtp.handler.received) < 30 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    stop.set()
    result = await asyncio.wait_for(task, 10)
    await worker.aclose()
    assert set(smtp.handler.message_ids()) == expected and result.sent == 30


async def test_r_msg_2_lifespan_task_respects_scheduler_enabled(monkeypatch):
    from rxapp.scheduler import lifespan
    from rxapp.settings import get_settings

    monkeypatch.setenv("SCHEDULER_ENABLED", "false")
    get_settings.cache_clear()
    try:
        await asyncio.wait_for(lifespan.scheduler_lifespan_task(), 2)
    finally:
        get_settings.cache_clear()
