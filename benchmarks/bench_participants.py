"""`make bench-participants`: the overview's search at 100,000 participants (R-INT-1).

Times the state handler itself (guard with a real session cookie, service, view rows),
as the browser's search box calls it, on SQLite and on PostgreSQL when one answers.
Prints the median and p95 per database; the goal is a median under 100 ms.
"""

import random
import statistics
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, text
from sqlmodel import Session

from benchmarks.harness import on_each_database, timings_ms
from rxapp import db
from rxapp.models import Organization, Role, User
from rxapp.models.participants import Participant
from rxapp.services.accounts.passwords import hash_password
from tests.states import make_state, signed_in_token

ROWS = 100_000
LAST = [
    "Müller",
    "Schäfer",
    "Dubois",
    "Lindqvist",
    "Andersson",
    "García",
    "Öberg",
    "Martin",
    "Bernard",
    "Johansson",
    "Weber",
    "Fischer",
    "Lefèvre",
    "Nilsson",
    "Schmidt",
    "Karlsson",
]
FIRST = ["Anna", "Jörg", "Léa", "François", "Åsa", "Björn", "Emma", "Lukas", "Chloé", "Erik"]
QUERIES = ["Dub", "Lindq", "Öberg", "mar", "Anna Mü", "schm", "Karlsson", "z"]


def _fill(url: str) -> tuple[int, int]:
    db.upgrade(url)
    engine = db.get_engine(url)
    now = datetime.now(UTC)
    with Session(engine) as s:
        org = Organization(
            name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}", modules=["interactions"]
        )
        s.add(org)
        s.commit()
        user = User(
            organization_id=org.id,
            email=f"o{uuid.uuid4().hex[:6]}@example.com",
            password_hash=hash_password("bench-password"),
            role=Role.ORGANIZER.value,
        )
        s.add(user)
        s.commit()
        org_id, user_id = org.id, user.id
    rnd = random.Random(7)
    rows = []
    for i in range(ROWS):
        # Make last names varied, like a real directory: a base name plus a suffix.
        last = f"{rnd.choice(LAST)}{rnd.choice(['', 'son', 'er', '-Berg', 'i'])}"
        first = rnd.choice(FIRST)
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
        for start in range(0, ROWS, 10_000):
            conn.execute(insert(Participant.__table__), rows[start : start + 10_000])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE participant"))
        else:
            conn.execute(text("ANALYZE"))
    return org_id, user_id


def _measure(label: str, url: str) -> None:
    from rxapp.states.interactions import ParticipantsState

    started = time.perf_counter()
    _org_id, user_id = _fill(url)
    fill_s = time.perf_counter() - started
    with Session(db.get_engine(url)) as s:
        token = signed_in_token(s, user_id, datetime.now(UTC))
    state = make_state(ParticipantsState, token=token, path="/participants")
    state.search("Dub")
    # A refused guard would answer instantly with nothing: make sure real rows came back.
    assert state.total > 1000 and len(state.rows) == 25, (state.total, len(state.rows))
    dub_matches = state.total
    # Five rounds of every query, in order.
    timings = sorted(timings_ms(lambda i: state.search(QUERIES[i % len(QUERIES)]),
                                5 * len(QUERIES)))
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:10} {ROWS:,} participants (filled in {fill_s:.1f} s; 'Dub' matches "
        f"{dub_matches:,}): "
        f"search handler median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
        f"over {len(timings)} searches (goal: median < 100 ms)"
    )


def main() -> None:
    """Run on SQLite, then on PostgreSQL if a server answers."""
    on_each_database(_measure)


if __name__ == "__main__":
    main()
