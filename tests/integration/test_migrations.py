"""Alembic migrations are the only way the schema is made; they match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import rxapp.models  # noqa: F401
from rxapp import db


def test_migrations_and_models_agree(db_url):
    with db.get_engine(db_url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"models differ from migrations: {diff}"
