"""Database engine and session scope, shared by the app, the scheduler and tests."""

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from rxapp.settings import PROJECT_ROOT, get_settings

T = TypeVar("T")


def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # WAL lets the scheduler write while pages read; foreign keys are off by default.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL stays consistent after an app crash and skips an fsync per
            # commit; only a power cut can lose the last commits (the embedded default).
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10)
    _ping_after_idle(engine)
    return engine


# A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 10.0


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle (a restarted server).

    ``pool_pre_ping`` would cost every checkout a round trip, and under load (bench-load:
    an answer every few milliseconds) connections come back within milliseconds: they
    are known good. One that sat idle may have been cut (server restart, idle timeout);
    it is pinged, and a dead one is replaced, as SQLAlchemy's own recipe does by raising
    DisconnectionError, which makes the pool retry with a new connection.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as err:  # noqa: BLE001 - any failure: the pool takes a new one
            raise exc.DisconnectionError from err


@lru_cache
def _cached_engine(url: str) -> Engine:
    return _engine_for(url)


def get_engine(url: str | None = None) -> Engine:
    """Return the engine for ``url`` (default: the configured database), created once."""
    return _cached_engine(url or get_settings().database_url)


get_engine.cache_clear = _cached_engine.cache_clear  # type: ignore[attr-defined]


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def in_session(
    work: Callable[..., T], /, *, autocommit: bool = False, **kwargs: object
) -> T:
    """Run ``work(session, **kwargs)`` in its own committed session on a worker thread.

    For page handlers on hot paths: while the thread waits on the database, the event
    loop serves every other tab instead of standing still (bench-load).

    Args:
        work: The service call; gets the session first.
        autocommit: ``work`` writes with one statement that is atomic on its own: on
            PostgreSQL it then runs without BEGIN and COMMIT (two round trips fewer).
        **kwargs: Passed on to ``work``.
    """

    def run() -> T:
        engine = _autocommit_engine() if autocommit else None
        if engine is not None:
            with Session(engine) as session:
                return work(session, **kwargs)
        with session_scope() as session:
            return work(session, **kwargs)

    return await asyncio.to_thread(run)


def _autocommit_engine() -> Engine | None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return None  # SQLite: no round trips to save; keep the transaction
    return _autocommit_view(engine)


@lru_cache
def _autocommit_view(engine: Engine) -> Engine:
    # A view of the same pool whose connections run in autocommit while checked out.
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def alembic_config(url: str | None = None):  # noqa: ANN201
    """Return an Alembic config for this project pointed at ``url``."""
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None) -> None:
    """Apply every migration to the database at ``url`` (the only way the schema is made)."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
