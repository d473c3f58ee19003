"""Participants: adding, CSV import (all or nothing), search and paging (R-INT-1)."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from rxapp.models.participants import Participant
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.interactions.participants import (
    add_participant,
    get_participant,
    import_participants_csv,
    search_participants,
)
from tests.conftest import T0
from tests.factories import make_organization, make_participant

TESTDATA = Path(__file__).resolve().parents[1] / "data"
GOOD_CSV = TESTDATA / "participants.csv"
BAD_CSV = TESTDATA / "participants-bad.csv"


def _count(engine, organization_id) -> int:
    with Session(engine) as s:
        return len(
            s.exec(select(Participant).where(Participant.organization_id == organization_id)).all()
        )


def test_r_int_1_add_participant_validates_fields(engine, org):
    with Session(engine) as s:
        p = add_participant(
            s,
            organization_id=org.id,
            first_name="  Åsa ",
            last_name="Öberg",
            email="Asa.Oberg@Example.se",
            language="sv",
            now=T0,
        )
        assert (p.first_name, p.email, p.last_name_lower) == (
            "Åsa",
            "asa.oberg@example.se",
            "oberg",  # the search key: case and accents folded away
        )
        cases = [
            ({"first_name": ""}, "participant.first_name_required", "first_name"),
            ({"last_name": " "}, "participant.last_name_required", "last_name"),
            ({"email": "nope"}, "participant.email_invalid", "email"),
            ({"email": "  "}, "error.email_required", "email"),  # empty says "required"
            ({"email": "ASA.OBERG@example.se"}, "participant.email_taken", "email"),
            ({"language": "xx"}, "participant.language_unknown", "language"),
        ]
        for override, code, field in cases:
            values = {
                "first_name": "A",
                "last_name": "B",
                "email": "ab@example.com",
                "language": "en",
            }
            values.update(override)
            with pytest.raises(DomainError) as exc:
                add_participant(s, organization_id=org.id, now=T0, **values)
            assert (exc.value.code, exc.value.field) == (code, field)


def test_r_int_1_same_email_allowed_in_another_organization(engine, org):
    with Session(engine) as s:
        other = make_organization(s)
        make_participant(s, organization_id=org.id, now=T0, email="same@example.com")
        make_participant(s, organization_id=other.id, now=T0, email="same@example.com")
        s.commit()


def test_r_int_1_import_good_csv_imports_twelve_with_progress(engine, org):
    calls = []
    with Session(engine) as s:
        report = import_participants_csv(
            s,
            organization_id=org.id,
            data=GOOD_CSV.read_bytes(),
            now=T0,
            progress=lambda done, total: calls.append((done, total)),
        )
        s.commit()
    assert report.ok and report.imported == 12 and report.errors == []
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    assert _count(engine, org.id) == 12
    with Session(engine) as s:
        page = search_participants(s, organization_id=org.id, query="l'h")
        assert [r.last_name for r in page.rows] == ["L'Hôpital"]
        page = search_participants(s, organization_id=org.id, query="Schäfer")
        assert [r.first_name for r in page.rows] == ["Jörg"]


def test_r_int_1_import_bad_csv_changes_nothing_and_reports_each_bad_row(engine, org):
    with Session(engine) as s:
        report = import_participants_csv(
            s, organization_id=org.id, data=BAD_CSV.read_bytes(), now=T0
        )
        s.commit()
    assert not report.ok and report.imported == 0
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "participant.first_name_required"),
        (4, "participant.email_invalid"),
        (5, "import.email_duplicate_in_file"),
        (6, "participant.language_unknown"),
    ]
    assert _count(engine, org.id) == 0


def test_r_int_1_markup_name_is_stored_as_is(engine, org):
    data = BAD_CSV.read_bytes().decode().splitlines()
    good = "\n".join([data[0], data[1], data[-1]]).encode()
    with Session(engine) as s:
        report = import_participants_csv(s, organization_id=org.id, data=good, now=T0)
        s.commit()
        assert report.imported == 2
        names = s.exec(select(Participant.first_name).order_by(Participant.id)).all()
    assert names == ["Valid", "<script>alert(1)</script>"]


def test_r_int_1_import_reports_emails_already_in_the_organization(engine, org):
    with Session(engine) as s:
        make_participant(s, organization_id=org.id, now=T0, email="lea.dubois@example.fr")
        report = import_participants_csv(
            s, organization_id=org.id, data=GOOD_CSV.read_bytes(), now=T0
        )
    assert [(e.line, e.code) for e in report.errors] == [(4, "participant.email_taken")]


def test_r_int_1_import_missing_columns(engine, org):
    with Session(engine) as s:
        report = import_participants_csv(
            s, organization_id=org.id, data=b"first_name,email\nA,a@example.com\n", now=T0
        )
    assert [(e.line, e.code) for e in report.errors] == [(1, "import.missing_columns")]


def test_r_int_1_search_by_first_and_or_last_name_with_paging(engine, org):
    with Session(engine) as s:
        other = make_organization(s)
        make_participant(s, organization_id=other.id, now=T0, first_name="Anna", last_name="Zed")
        for i in range(30):
            make_participant(
                s, organization_id=org.id, now=T0, first_name=f"Anna{i:02d}", last_name="Meyer"
            )
        make_participant(s, organization_id=org.id, now=T0, first_name="Bo", last_name="Annander")
        make_participant(s, organization_id=org.id, now=T0, first_name="Carl", last_name="Meyerson")
        s.commit()
        page = search_participants(s, organization_id=org.id, query="ann", page=1, page_size=10)
        assert page.total == 31 and page.pages == 4 and len(page.rows) == 10
        assert page.rows[0].last_name == "Annander"  # sorted by last name, then first
        last = search_participants(s, organization_id=org.id, query="ANN", page=4, page_size=10)
        assert [r.first_name for r in last.rows] == ["Anna29"]
        both = search_participants(s, organization_id=org.id, query="anna0 mey")
        assert both.total == 10
        reversed_words = search_participants(s, organization_id=org.id, query="meyer anna1")
        assert reversed_words.total == 10
        assert search_participants(s, organization_id=org.id, query="meyers").total == 1
        assert search_participants(s, organization_id=org.id, query="").total == 32
        desc = search_participants(s, organization_id=org.id, sort="-first_name", page_size=1)
        assert desc.rows[0].first_name == "Carl"
        with pytest.raises(DomainError):
            search_participants(s, organization_id=org.id, sort="password_hash")


def test_r_int_1_participant_of_another_organization_is_refused(engine, org):
    with Session(engine) as s:
        other = make_organization(s)
        p = make_participant(s, organization_id=other.id, now=T0)
        with pytest.raises(NotAllowed):
            get_participant(s, organization_id=org.id, participant_id=p.id)


def test_r_int_1_import_accepts_semicolon_csv_from_european_spreadsheets(engine, org):
    data = "\ufefffirst_name;last_name;email;language\r\nJörg;Schäfer, Jr.;j@example.de;de\r\n"
    with Session(engine) as s:
        report = import_participants_csv(
            s, organization_id=org.id, data=data.encode("utf-8"), now=T0
        )
        s.commit()
        assert report.imported == 1
        assert s.exec(select(Participant.last_name)).one() == "Schäfer, Jr."
