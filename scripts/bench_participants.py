"""Benchmark the participant search at 100,000 rows on PostgreSQL (R-INT-1).

Service level (the state handler adds little on top). Creates and drops its own database:

    PYTHONPATH=. python scripts/bench_participants.py [admin-url]
"""

import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from rxapp.db import get_engine, upgrade
from rxapp.models.accounts import Organization
from rxapp.models.participants import Participant
from rxapp.services.participants import search_participants

ROWS = 100_000
SYLLABLES = ["mü", "an", "ber", "son", "lind", "qvist", "du", "bois", "ga", "rc", "ö", "berg"]
QUERIES = ["müber", "berg", "an", "", "lind ber", "ga mü"]


def main(admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test") -> None:
    """Fill a fresh database with 100,000 participants and time typical searches."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"beckon_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = get_engine(url)
        now = datetime.now(UTC)
        with Session(engine) as s:
            org = Organization(name="Bench", slug=name, modules=[])
            s.add(org)
            s.commit()
            org_id = org.id
        rnd = random.Random(1)
        rows = []
        for i in range(ROWS):
            first = "".join(rnd.choice(SYLLABLES) for _ in range(2)).capitalize()
            last = "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()
            rows.append(
                {
                    "organization_id": org_id,
                    "first_name": first,
                    "last_name": last,
                    "first_name_lower": first.lower(),
                    "last_name_lower": last.lower(),
                    "email": f"p{i}@example.com",
                    "language": "en",
                    "created_at": now,
                }
            )
        with engine.begin() as conn:
            conn.execute(insert(Participant.__table__), rows)
            conn.execute(text("ANALYZE participant"))
        for query in QUERIES:
            timings = []
            with Session(engine) as s:
                for _ in range(21):
                    start = time.perf_counter()
                    page = search_participants(
                        s, organization_id=org_id, query=query, page=3, page_size=25
                    )
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            print(
                f"{query!r:12} matches {page.total:6d}  median {statistics.median(timings):5.1f} ms"
                f"  p95 {timings[int(len(timings) * 0.95) - 1]:5.1f} ms"
            )
    finally:
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:2])
