"""Invitees answering at once, as browsers talk to Reflex (issue 14.9): ``make bench-load``.

Each invitee is a python-socketio ``AsyncClient`` on Reflex's ``/_event`` socket, sending
the events the page sends (hydrate, the take page's ``load``, ``start``, twelve
``answer``s, ``finish``) with a think time between them, and timing each event from its
emit to the backend's final update. First ``--sessions`` invitees against one backend
worker, then ``--scale-sessions`` against ``--workers`` workers sharing Redis; each phase
on a fresh PostgreSQL database seeded through the services (participants imported,
interactions created, links kept). Loopback only, bounded in count and time.

Prints per phase p50/p95/p99 event latency, errors (failed or timed-out events,
sessions that could not connect, answers missing from the database) and memory per
session (growth of the backend processes' RSS, plus Redis's memory in the Redis phase),
and the lines ``p95 500 sessions: <ms> ms`` and ``errors: <n>`` (all phases).

The clients share this machine's CPU with the backend: on 2 cores the figures include
the clients' own loop lag, so they are an upper bound.
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# Links are derived from the secret: the seeding (here) and the backend share it.
os.environ.setdefault("SECRET_KEY", "bench-load-secret-" + "k" * 32)

import aiohttp  # noqa: E402
import psutil  # noqa: E402
import socketio  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from benchmarks.bench_send import ROOT, _free_port, fresh_database  # noqa: E402
from rxapp.db import get_engine  # noqa: E402
from tests.dbs import postgres_url  # noqa: E402

QUESTIONS = 12
EVENT_TIMEOUT_S = float(os.environ.get("BENCH_EVENT_TIMEOUT", "30"))
REDIS_URL = "redis://127.0.0.1:6379/12"
# Reflex serves its events on the socket.io namespace named like the path.
NAMESPACE = "/_event"


def _state_names() -> tuple[str, str]:
    import reflex as rx

    from rxapp.states.interactions.take import TakeState

    return rx.State.get_full_name(), TakeState.get_full_name()


def seed(url: str, count: int) -> list[str]:
    """Demo data plus ``count`` participants with one interaction each; their link tokens."""
    from rxapp.models import Interaction, Organization
    from rxapp.seed import seed as seed_demo
    from rxapp.services.interactions.lifecycle import create_interaction
    from rxapp.services.interactions.participant_import import import_participants_csv

    now = datetime.now(UTC)
    engine = get_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        seed_demo(s, now=now)
        s.commit()
        org = s.exec(select(Organization).order_by(Organization.id)).first()
        assert org is not None and org.id is not None
        org.interactions_bought = 10**7
        s.add(org)
        s.commit()
        csv = "first_name,last_name,email,language\n" + "".join(
            f"Load,Person{i},load{i}@bench.example,en\n" for i in range(count))
        report = import_participants_csv(s, organization_id=org.id, data=csv.encode(), now=now)
        assert report.ok, report.errors[:3]
        s.commit()
        ids = _ids(s, org.id, count)
        tokens = []
        for n, pid in enumerate(ids, start=1):
            created = create_interaction(s, organization_id=org.id, participant_id=pid,
                                         now=now, auto_invite=False, send_report=False)
            tokens.append(created.token)
            if n % 200 == 0:
                s.commit()
        s.commit()
        assert s.exec(select(func.count()).select_from(Interaction)).one() >= count
    return tokens


def _ids(s: Session, org_id: int, count: int) -> list[int]:
    from rxapp.models import Participant

    rows = s.exec(select(Participant.id).where(
        Participant.organization_id == org_id,
        Participant.email.like("load%@bench.example"),  # type: ignore[union-attr]
    ).order_by(Participant.id)).all()
    assert len(rows) == count
    return [r for r in rows if r is not None]


def answers_saved(url: str) -> int:
    """Answers in the database (each invitee should have saved twelve)."""
    from rxapp.models import Answer

    with Session(get_engine(url)) as s:
        return s.exec(select(func.count()).select_from(Answer)).one()


@contextmanager
def backend(url: str, workers: int, redis_url: str | None, workdir: Path):
    """The production backend (no frontend needed: the clients speak the socket)."""
    port = _free_port()
    env = {
        **os.environ, "DATABASE_URL": url, "DATA_DIR": str(workdir / "data"),
        "BASE_URL": f"http://127.0.0.1:{port}", "SMTP_HOST": "", "SCHEDULER_ENABLED": "false",
        "GRANIAN_WORKERS": str(workers), "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_API_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "WARNING",
    }
    env.pop("REFLEX_REDIS_URL", None)
    if redis_url:
        env["REFLEX_REDIS_URL"] = redis_url
    log = open(workdir / f"backend-{workers}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
         "--backend-host", "127.0.0.1", "--backend-port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _wait_up(port, proc, workdir / f"backend-{workers}.log")
        yield port, proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _wait_up(port: int, proc: subprocess.Popen, log: Path) -> None:
    import urllib.request

    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"backend exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2):  # noqa: S310
                time.sleep(2)  # every worker has booted
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"backend did not start:\n{log.read_text()[-3000:]}")


def tree_rss(pid: int) -> int:
    """Resident memory of a process and its children, in bytes."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


class Invitee:
    """One browser tab on a participant link: one socket, one event at a time.

    It speaks as Reflex's ``state.js`` does: first a GET that hands the browser its id
    cookie (the backend binds the tab token to it), then a websocket to ``/_event`` with
    the tab token in the query string, the page's ``Origin`` and the cookie, and the
    hydrate event in the CONNECT packet's auth. Events carry the full state path and
    the router data of ``/i/<link>``. The backend answers with ``event`` messages whose
    ``delta`` is keyed by state path (no "final" flag since Reflex 0.9): an event is
    done when an update for the take page's state arrives.
    """

    def __init__(self, port: int, link_token: str, names: tuple[str, str],
                 think: float, rng: random.Random) -> None:
        self.port, self.link, self.think, self.rng = port, link_token, think, rng
        self.root, self.take = names
        self.origin = f"http://127.0.0.1:{port}"
        self.latencies: list[float] = []
        # The same latencies by event (hydrate, load, start, answer, finish).
        self.by_kind: dict[str, list[float]] = {}
        self.errors = 0
        self.status = ""
        self.hydrating = False
        self.waiter: asyncio.Future | None = None
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_event, namespace=NAMESPACE)

    async def _on_event(self, data) -> None:  # noqa: ANN001
        if os.environ.get("BENCH_DEBUG"):
            print("update:", str(data)[:300])
        delta = data.get("delta") if isinstance(data, dict) else None
        if self.hydrating and delta and self.waiter and not self.waiter.done():
            # The hydrate's answer is the root state (its on_load events follow).
            self.waiter.set_result(time.perf_counter())
            return
        mine = (delta or {}).get(self.take)
        if not mine:
            return
        for key, value in mine.items():
            if key.startswith("status"):
                self.status = value
        if self.waiter and not self.waiter.done() and self.status != "loading":
            self.waiter.set_result(time.perf_counter())

    def _event(self, name: str, payload: dict) -> dict:
        path = f"/i/{self.link}"
        return {"name": name, "payload": payload,
                "router_data": {"pathname": path, "asPath": path,
                                "query": {"token": self.link}}}

    async def _wait(self, name: str, started: float) -> None:
        assert self.waiter is not None
        try:
            done = await asyncio.wait_for(self.waiter, EVENT_TIMEOUT_S)
            self.latencies.append(done - started)
            self.by_kind.setdefault(name.rsplit(".", 1)[-1], []).append(done - started)
        except TimeoutError:
            self.errors += 1
            if os.environ.get("BENCH_DEBUG"):
                print("no update for", name)

    async def _send(self, name: str, payload: dict) -> None:
        self.waiter = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self.sio.emit("event", self._event(name, payload), namespace=NAMESPACE)
        await self._wait(name, started)

    async def _browser_cookie(self, http: aiohttp.ClientSession) -> str:
        """The id cookie a browser gets with its first page (or the API's redirect)."""
        async with http.get(f"{self.origin}/api/session/browser",
                            params={"next": f"{self.origin}/i/{self.link}"},
                            allow_redirects=False) as response:
            morsel = response.cookies.get("beckon_browser")
            if morsel is None:
                raise RuntimeError(f"no browser cookie ({response.status})")
            return f"beckon_browser={morsel.value}"

    async def run(self, http: aiohttp.ClientSession) -> None:
        """Open the link, start, answer every question with think time, finish."""
        try:
            cookie = await self._browser_cookie(http)
            self.waiter = asyncio.get_running_loop().create_future()
            started = time.perf_counter()
            self.hydrating = True
            await self.sio.connect(
                f"{self.origin}?token={uuid.uuid4()}", socketio_path="/_event",
                transports=["websocket"], namespaces=[NAMESPACE],
                headers={"Origin": self.origin, "Cookie": cookie},
                auth={"event": self._event(f"{self.root}.hydrate", {})},
                wait_timeout=EVENT_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - a refused connection is an error, counted
            self.errors += 1
            if os.environ.get("BENCH_DEBUG"):
                print("connect failed:", repr(exc))
            return
        try:
            # Then the page's on_load, as the tab sends it once hydrated.
            await self._wait("hydrate", started)
            self.hydrating = False
            await self._send(f"{self.take}.load", {})
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
            await self._send(f"{self.take}.start", {})
            for _ in range(QUESTIONS):
                await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
                await self._send(f"{self.take}.answer", {"value": self.rng.randint(1, 5)})
            await self._send(f"{self.take}.finish", {})
        except Exception:  # noqa: BLE001 - a dropped socket is an error, counted
            self.errors += 1
        finally:
            await self.sio.disconnect()


async def _drive(port: int, tokens: list[str], think: float, ramp: float,
                 pid: int) -> tuple[list[float], int, int]:
    names = _state_names()
    rng = random.Random(14)
    invitees = [Invitee(port, t, names, think, random.Random(rng.random())) for t in tokens]
    peak = {"rss": 0}
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            peak["rss"] = max(peak["rss"], await asyncio.to_thread(tree_rss, pid))
            await asyncio.sleep(1)

    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def start(i: int, inv: Invitee) -> None:
            await asyncio.sleep(ramp * i / max(1, len(invitees)))
            await inv.run(http)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(start(i, inv) for i, inv in enumerate(invitees)))
    stop.set()
    await sampler
    latencies = [x for inv in invitees for x in inv.latencies]
    by_kind: dict[str, list[float]] = {}
    for inv in invitees:
        for kind, values in inv.by_kind.items():
            by_kind.setdefault(kind, []).extend(values)
    parts = []
    for kind, values in by_kind.items():
        ordered = sorted(values)
        parts.append(f"{kind} {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f}")
    print("  p95 by event (ms): " + ", ".join(parts), flush=True)
    return latencies, sum(inv.errors for inv in invitees), peak["rss"]


def _cpu_seconds(pid: int, *, children: bool = True) -> float:
    """User+system CPU seconds of a process, with its children unless told otherwise."""
    total = 0.0
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)] if children else [root]
    except psutil.NoSuchProcess:
        return 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL server process on this machine, by pid."""
    seen = {}
    for p in psutil.process_iter(["name", "cpu_times"]):
        if (p.info["name"] or "").startswith("postgres") and p.info["cpu_times"]:
            seen[p.pid] = p.info["cpu_times"].user + p.info["cpu_times"].system
    return seen


def _postgres_cpu_since(before: dict[int, float]) -> float:
    # Connections come and go: count what each process now alive used since then.
    return sum(now - before.get(pid, 0.0) for pid, now in _postgres_cpu().items())


def _redis_used() -> int:
    import redis

    return int(redis.Redis.from_url(REDIS_URL).info("memory")["used_memory"])


def phase(db: str, sessions: int, workers: int, redis_url: str | None, think: float,
          ramp: float) -> tuple[float, int]:
    """One run; prints its figures and returns (p95 ms, errors)."""
    with fresh_database(db) as url, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        tokens = seed(url, sessions)
        print(f"[{sessions} sessions, {workers} worker(s)"
              f"{', Redis' if redis_url else ''}] seeded in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        with backend(url, workers, redis_url, Path(tmp)) as (port, proc):
            base_rss = tree_rss(proc.pid)
            redis_before = _redis_used() if redis_url else 0
            started = time.perf_counter()
            # Where the 2 cores went: the backend, this process's clients, PostgreSQL.
            # (This process's own CPU only: the backend is its child.)
            backend_cpu, clients_cpu = (_cpu_seconds(proc.pid),
                                        _cpu_seconds(os.getpid(), children=False))
            postgres_before = _postgres_cpu()
            latencies, errors, peak = asyncio.run(_drive(port, tokens, think, ramp, proc.pid))
            took = time.perf_counter() - started
            cpu = [100 * x / took for x in (
                _cpu_seconds(proc.pid) - backend_cpu,
                _cpu_seconds(os.getpid(), children=False) - clients_cpu,
                _postgres_cpu_since(postgres_before))]
            redis_growth = max(0, _redis_used() - redis_before) if redis_url else 0
        saved = answers_saved(url)
        missing = max(0, sessions * QUESTIONS - saved)
        errors += missing
        ms = sorted(x * 1000 for x in latencies) or [0.0]
        q = statistics.quantiles(ms, n=100) if len(ms) > 1 else [ms[0]] * 99
        per_session = (max(0, peak - base_rss) + redis_growth) / max(1, sessions)
        print(f"  {len(ms)} events in {took:.0f} s ({len(ms) / took:.0f}/s): "
              f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms, max {ms[-1]:.0f} ms")
        print(f"  cpu (% of one core): backend {cpu[0]:.0f}, clients {cpu[1]:.0f}, "
              f"postgresql {cpu[2]:.0f}", flush=True)
        redis_text = f", Redis +{redis_growth / 2**20:.1f} MB" if redis_url else ""
        print(f"  errors {errors} (answers missing: {missing}); memory per session "
              f"{per_session / 1024:.0f} KB (backend RSS {base_rss / 2**20:.0f} -> "
              f"{peak / 2**20:.0f} MB{redis_text})", flush=True)
        return q[94], errors


def main() -> None:
    """Run the one-worker phase, then the Redis phase, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--scale-sessions", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--think", type=float, default=2.0, help="mean think time, seconds")
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds to start everyone")
    parser.add_argument("--db", default=None, help="PostgreSQL server (default: the tests')")
    args = parser.parse_args()
    db = args.db or postgres_url()
    if db is None:
        sys.exit("bench-load needs PostgreSQL (127.0.0.1:5432 or TEST_DATABASE_URL)")
    p95, errors = phase(db, args.sessions, 1, None, args.think, args.ramp)
    print(f"p95 {args.sessions} sessions: {p95:.0f} ms", flush=True)
    total_errors = errors
    if args.scale_sessions:
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except Exception:  # noqa: BLE001
            print(f"Redis does not answer at {REDIS_URL}: the scale phase is skipped")
        else:
            p95_scale, errors = phase(db, args.scale_sessions, args.workers, REDIS_URL,
                                      args.think, args.ramp)
            print(f"p95 {args.scale_sessions} sessions ({args.workers} workers, Redis): "
                  f"{p95_scale:.0f} ms")
            total_errors += errors
    print(f"errors: {total_errors}")


if __name__ == "__main__":
    main()
