"""Search ignores case and accents on SQLite and PostgreSQL ("muller" finds Müller, R-INT-1).

Also: the migration backfills the search keys of participants created before it.
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from rxapp.services.common.search import search_key
from rxapp.services.interactions.participants import add_participant, search_participants
from tests.conftest import T0

MIGRATION = "7d3e1f0a9b21"
ROOT = Path(__file__).resolve().parents[2]


def test_search_key_folds_case_and_accents():
    assert search_key("Müller") == "muller"
    assert search_key("ÅSA") == "asa"
    assert search_key("Straße") == "strasse"
    assert search_key("Søren Ærø") == "soren aero"
    assert search_key("Łukasz") == "lukasz"


def test_r_int_1_muller_finds_mueller_both_ways(engine, org):
    with Session(engine) as s:
        for first, last in (("Anna", "Müller"), ("Åke", "Ström"), ("Zoë", "Lefèvre")):
            add_participant(s, organization_id=org.id, first_name=first, last_name=last,
                            email=f"{search_key(first)}@x.example", language="de", now=T0)
        s.commit()
        found = search_participants(s, organization_id=org.id, query="muller")
        assert [r.last_name for r in found.rows] == ["Müller"]
        assert search_participants(s, organization_id=org.id, query="MÜL").total == 1
        assert search_participants(s, organization_id=org.id, query="ake strom").total == 1
        assert search_participants(s, organization_id=org.id, query="zoe lefev").total == 1
        assert search_participants(s, organization_id=org.id, query="mueller").total == 0


def _migration():
    path = next((ROOT / "alembic" / "versions").glob(f"*_{MIGRATION}_*.py"))
    spec = importlib.util.spec_from_file_location("search_key_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfills_search_keys(engine, org):
    """Rows written before the migration (lower-cased, accents kept) get folded keys."""
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO participant (organization_id, first_name, last_name,"
            " first_name_lower, last_name_lower, email, language, created_at)"
            " VALUES (:org, 'Jörg', 'Müller', 'jörg', 'müller', 'j@x.example', 'de', :now)"),
            {"org": org.id, "now": T0})
        assert _migration().backfill_search_keys(conn) == 1
    with engine.connect() as conn:
        keys = conn.execute(sa.text(
            "SELECT first_name_lower, last_name_lower FROM participant")).one()
    assert tuple(keys) == ("jorg", "muller")
    with Session(engine) as s:
        assert search_participants(s, organization_id=org.id, query="muller").total == 1
