"""The pool hands out working connections without a round trip per checkout.

PostgreSQL only: SQLite has no server to lose. Instead of ``pool_pre_ping`` (a
``SELECT 1`` before every use), a connection is checked only after it sat idle
(``rxapp.db.IDLE_PING_SECONDS``); these tests cut pooled connections on the server
side, as a database restart does, and expect the next session to work.
"""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from rxapp import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(postgres_factory):
    if postgres_factory is None:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL)")
    url = postgres_factory.new()
    engine = db.get_engine(url)
    yield engine
    engine.dispose()


def _cut(engine, pid: int) -> None:
    """End one server process from outside the pool, as a database restart would."""
    other = create_engine(engine.url, poolclass=NullPool)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    other.dispose()


def _pid(engine) -> int:
    with Session(engine) as s:
        return s.execute(text("SELECT pg_backend_pid()")).scalar()


def test_an_idle_connection_cut_by_the_server_is_replaced(pg_engine, monkeypatch):
    first = _pid(pg_engine)  # now idle in the pool
    _cut(pg_engine, first)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every pooled connection is "idle"
    assert _pid(pg_engine) != first  # the dead one was noticed and replaced


def test_a_busy_connection_is_not_pinged(pg_engine, monkeypatch):
    pings: list[int] = []
    real = pg_engine.dialect.do_ping
    monkeypatch.setattr(pg_engine.dialect, "do_ping",
                        lambda conn: pings.append(1) or real(conn))
    first = _pid(pg_engine)
    for _ in range(5):
        assert _pid(pg_engine) == first  # the same connection, straight back
    assert pings == []  # no round trip spent on checking it
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    assert _pid(pg_engine) == first
    assert pings == [1]  # idle long enough: checked once, and still good
