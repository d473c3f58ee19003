"""`make bench-import`: a 100,000-row participants CSV through the import pipeline.

The file is a German Excel export (BOM, semicolons, CRLF, German headers, no language
column). Prints rows/s for the check (decode, sniff, map, validate every row) and for
the write (batched inserts, commit), on SQLite; the goal is the whole import under 20 s.
The last line reads exactly ``import 100000 rows: <seconds> s``.
"""

import random
import tempfile
import time
import uuid
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from rxapp import db
from rxapp.models import Organization
from rxapp.models.participants import Participant
from rxapp.services.interactions.participant_import import (
    check_participants_csv,
    write_participants,
)

ROWS = 100_000
LAST = ["Müller", "Schäfer", "Dubois", "Lindqvist", "Öberg", "García", "L'Hôpital", "Weber"]
FIRST = ["Anna", "Jörg", "Léa", "François", "Åsa", "Björn", "Emma", "Lukas", "Chloé"]


def make_file(rows: int = ROWS) -> bytes:
    """A German Excel export of ``rows`` participants."""
    rnd = random.Random(9)
    lines = ["Vorname;Nachname;E-Mail"]
    for i in range(rows):
        lines.append(f"{rnd.choice(FIRST)};{rnd.choice(LAST)};person{i}@example.de")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def main() -> None:
    """Check and write the file into a fresh SQLite database; print the figures."""
    data = make_file()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        db.upgrade(url)
        engine = db.get_engine(url)
        now = datetime.now(UTC)
        with Session(engine) as s:
            org = Organization(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}",
                               default_language="de", modules=["interactions"])
            s.add(org)
            s.commit()
            org_id = org.id
        with Session(engine) as s:
            started = time.perf_counter()
            report, rows = check_participants_csv(s, organization_id=org_id, data=data, now=now)
            checked = time.perf_counter()
            assert report.ok and len(rows) == ROWS, report.errors[:3]
            write_participants(s, rows)
            s.commit()
            written = time.perf_counter()
            count = s.exec(select(func.count()).select_from(Participant)).one()
        assert count == ROWS, count
        engine.dispose()
    check_s, write_s = checked - started, written - checked
    print(f"file: {len(data) / 1e6:.1f} MB, German Excel shape (BOM, ';', CRLF)")
    print(f"check: {check_s:.2f} s, {ROWS / check_s:,.0f} rows/s")
    print(f"write: {write_s:.2f} s, {ROWS / write_s:,.0f} rows/s (SQLite)")
    print(f"import {ROWS} rows: {written - started:.2f} s")


if __name__ == "__main__":
    main()
