"""Fresh, migrated databases for tests: SQLite always, PostgreSQL when one answers.

Migrations run once per database kind into a template; each test gets a copy
(a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so every
test starts from exactly what `alembic upgrade head` makes, quickly.
"""

import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

from rxapp import db

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """The PostgreSQL server for tests, or None when none answers."""
    url = os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            pass
    except OSError:
        return None
    try:
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "no server for tests"
        return None
    return url


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class SqliteFactory:
    """Copies of one migrated SQLite file."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.template = workdir / "template.db"
        url = f"sqlite:///{self.template}"
        db.upgrade(url)
        # Closing the pool checkpoints the WAL into the file we copy.
        db.get_engine(url).dispose()
        db.get_engine.cache_clear()

    def new(self) -> str:
        """Return the URL of a fresh migrated database."""
        target = self.workdir / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"


class PostgresFactory:
    """Databases created from one migrated template database."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"beckon_tpl_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.template}"'))
        template_url = _with_db(admin_url, self.template)
        db.upgrade(template_url)
        # The template must have no open connection when it is copied.
        db.get_engine(template_url).dispose()
        db.get_engine.cache_clear()

    def new(self) -> str:
        """Return the URL of a fresh migrated database."""
        name = f"beckon_t_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self.created.append(name)
        return _with_db(self.admin_url, name)

    def close(self) -> None:
        """Drop every database this factory made."""
        db.get_engine.cache_clear()
        with self.admin.connect() as conn:
            for name in [*self.created, self.template]:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()
