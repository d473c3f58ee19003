"""Shared fixtures: a fresh migrated database per test (SQLite, and PostgreSQL when it
answers), a pinned clock, and a real SMTP server on loopback."""

import os
import uuid
from datetime import UTC, datetime
from functools import lru_cache

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from rxapp import clock as app_clock
from rxapp.db import get_engine, upgrade
from rxapp.settings import Settings
from tests.factories import make_organization
from tests.smtp_server import SmtpServer

PG_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@lru_cache
def postgres_unavailable() -> str | None:
    """Return why PostgreSQL tests cannot run, or None when they can."""
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
    except Exception as exc:
        return f"PostgreSQL not reachable at {make_url(PG_ADMIN_URL).render_as_string()}: {exc}"
    return None


def _pg_admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template():
    """A migrated PostgreSQL database that each test clones (CREATE DATABASE ... TEMPLATE)."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"beckon_tpl_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    get_engine(url).dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_pg(request) -> str:
    template = request.getfixturevalue("pg_template")
    name = f"beckon_t_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    request.addfinalizer(drop)
    return url


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_url(request, tmp_path) -> str:
    """A fresh, migrated database URL: SQLite file, or a new PostgreSQL database."""
    if request.param == "postgres":
        return _fresh_pg(request)
    url = f"sqlite:///{tmp_path / 'test.db'}"
    upgrade(url)
    request.addfinalizer(get_engine(url).dispose)
    return url


@pytest.fixture
def pg_url(request) -> str:
    """A fresh PostgreSQL database (for PostgreSQL-only tests)."""
    return _fresh_pg(request)


@pytest.fixture
def engine(db_url):
    return get_engine(db_url)


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def org(engine):
    with Session(engine, expire_on_commit=False) as s:
        organization = make_organization(s, name="Acme & Co")
        s.commit()
        return organization


@pytest.fixture
def clock():
    frozen = app_clock.FrozenClock(T0)
    app_clock.install(frozen)
    yield frozen
    app_clock.install(None)


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(smtp, db_url) -> Settings:
    return Settings(
        _env_file=None,
        database_url=db_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_timeout_seconds=5,
        smtp_max_connections=4,
        scheduler_batch_size=100,
        scheduler_lease_seconds=60,
    )
