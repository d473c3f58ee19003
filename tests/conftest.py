"""Shared fixtures: fresh migrated databases (SQLite, and PostgreSQL when it answers), the
app pointed at them, a pinned clock, and a real SMTP server on loopback."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from rxapp import clock as app_clock
from rxapp import db
from rxapp.settings import Settings, get_settings
from tests.dbs import PostgresFactory, SqliteFactory, postgres_url
from tests.factories import make_organization
from tests.smtp_server import SmtpServer

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T0 = START


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_factory() -> Iterator[PostgresFactory | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    factory = PostgresFactory(url)
    yield factory
    factory.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, sqlite_factory: SqliteFactory) -> Iterator[str]:
    """A fresh migrated database; every test using it runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        url = sqlite_factory.new()
    else:
        factory = request.getfixturevalue("postgres_factory")
        if factory is None:
            pytest.skip("no PostgreSQL on 127.0.0.1:5432 and TEST_DATABASE_URL not set")
        url = factory.new()
    yield url
    # Close the pool, so per-test databases do not pile up open connections.
    db.get_engine(url).dispose()


@pytest.fixture
def sqlite_url(sqlite_factory: SqliteFactory) -> str:
    """A fresh migrated SQLite database, for tests that need only one kind."""
    return sqlite_factory.new()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with Session(db.get_engine(db_url), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def frozen_clock() -> Iterator[app_clock.FrozenClock]:
    """The app clock stands still at START until the test moves it."""
    fc = app_clock.FrozenClock(START)
    app_clock.install(fc)
    yield fc
    app_clock.install(None)


@pytest.fixture
def app_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the whole app (settings, engine) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SMTP_HOST", "")
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


@pytest.fixture
def pg_url(postgres_factory: PostgresFactory | None) -> Iterator[str]:
    """A fresh PostgreSQL database (for PostgreSQL-only tests)."""
    if postgres_factory is None:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 and TEST_DATABASE_URL not set")
    url = postgres_factory.new()
    yield url
    db.get_engine(url).dispose()


@pytest.fixture
def engine(db_url: str):
    return db.get_engine(db_url)


@pytest.fixture
def org(engine):
    with Session(engine, expire_on_commit=False) as s:
        organization = make_organization(s, name="Acme & Co")
        s.commit()
        return organization


@pytest.fixture
def clock(frozen_clock: app_clock.FrozenClock) -> app_clock.FrozenClock:
    """The engine tests' name for the pinned clock."""
    return frozen_clock


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(smtp: SmtpServer, db_url: str) -> Settings:
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
