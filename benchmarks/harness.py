"""What the state-handler benchmarks share: the databases they run on, the timing loop.

``bench_participants`` and ``bench_meetings`` time the handlers the pages call on SQLite,
then on PostgreSQL when a server answers, each in a database of its own that is dropped
afterwards, so a run never leaves data behind or reads another's.
"""

import os
import tempfile
import time
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rxapp import db
from rxapp.settings import get_settings
from tests.dbs import postgres_url


def on_each_database(measure: Callable[[str, str], None]) -> None:
    """Call ``measure(label, url)`` on a fresh SQLite file, then on a fresh PostgreSQL database.

    The app's settings point at the database being measured (the handlers open their own
    sessions from ``DATABASE_URL``). PostgreSQL is skipped, with a line saying so, when no
    server answers.

    Args:
        measure: Fills the empty database at ``url`` and prints its figures under ``label``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        _run(measure, "SQLite", f"sqlite:///{tmp}/bench.db")
    admin_url = postgres_url()
    if admin_url is None:
        print("PostgreSQL: skipped (no server on 127.0.0.1:5432, TEST_DATABASE_URL not set)")
        return
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"beckon_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        _run(measure, "PostgreSQL", url)
    finally:
        db.get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _run(measure: Callable[[str, str], None], label: str, url: str) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    measure(label, url)


def timings_ms(fn: Callable[[int], object], runs: int) -> list[float]:
    """How long each of ``runs`` calls ``fn(0)``, ``fn(1)``, ... took, in milliseconds."""
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        timings.append((time.perf_counter() - started) * 1000)
    return timings
