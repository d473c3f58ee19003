"""Database engine and session scope, shared by the app, the scheduler and tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from rxapp.settings import PROJECT_ROOT, get_settings


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
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


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
