"""Attendees through the shared CSV pipeline: aliases in four languages, mapping step (R-BM-1)."""

import pytest
from sqlmodel import select

from rxapp.models.meetings import Attendee
from rxapp.services.common.errors import NotAllowed
from rxapp.services.meetings import attendee_import
from tests.conftest import START
from tests.factories import make_org
from tests.meeting_factories import make_world


@pytest.fixture
def world(session):
    return make_world(session, now=START)


def _import(session, w, data: bytes, **kw):
    return attendee_import.import_attendees_csv(
        session, organization_id=w.org_id, event_id=w.event.id, data=data, now=START, **kw)


def _by_email(session, w, email):
    return session.exec(select(Attendee).where(Attendee.event_id == w.event.id,
                                               Attendee.email == email)).one()


@pytest.mark.parametrize(("header", "encoding"), [
    ("First name,Last name,Email,Company,Job title,Country,Interests,Registration status,"
     "Has account", "utf-8"),
    ("Vorname;Nachname;E-Mail;Firma;Berufsbezeichnung;Land;Interessen;Anmeldestatus;Konto",
     "utf-8-sig"),
    ("Prénom;Nom;Courriel;Société;Poste;Pays;Centres d'intérêt;Statut d'inscription;"
     "A un compte", "windows-1252"),
    ("Förnamn\tEfternamn\tE-post\tFöretag\tBefattning\tLand\tIntressen\tAnmälningsstatus\t"
     "Har konto", "utf-16"),
], ids=["en", "de", "fr", "sv"])
def test_attendee_headers_in_four_languages_fill_every_field(session, world, header, encoding):
    sep = "\t" if "\t" in header else (";" if ";" in header else ",")
    row = sep.join(("Zoé", "Müller", "zoe@example.com", "Acier Bleu", "CTO", "FR",
                    "energy", "pending", "yes"))
    report = _import(session, world, f"{header}\n{row}\n".encode(encoding))
    assert report.ok, report.errors
    assert report.imported == 1 and not report.needs_mapping
    a = _by_email(session, world, "zoe@example.com")
    assert (a.first_name, a.last_name, a.company, a.job_title, a.country, a.interests,
            a.registration_status, a.has_account) == (
        "Zoé", "Müller", "Acier Bleu", "CTO", "FR", "energy", "pending", True)


def test_registration_status_words_in_four_languages(session, world):
    data = (b"Vorname;Nachname;E-Mail;Anmeldestatus\nA;B;a@example.com;angemeldet\n"
            b"C;D;c@example.com;en attente\nE;F;e@example.com;avbokad\n")
    report = _import(session, world, data)
    assert report.ok, report.errors
    assert [_by_email(session, world, f"{x}@example.com").registration_status
            for x in "ace"] == ["registered", "pending", "cancelled"]


def test_unknown_headers_ask_for_a_mapping_then_import(session, world):
    data = b"Given,Family,Contact,Firm\nAnn,Lee,ann@example.com,Solvik\n"
    report = _import(session, world, data)
    assert report.needs_mapping and not report.ok
    assert report.columns == ["Given", "Family", "Contact", "Firm"]
    assert report.preview == [["Ann", "Lee", "ann@example.com", "Solvik"]]
    assert report.errors[0].field == "first_name,last_name,email"
    # A mapping that still misses the email is refused the same way.
    report = _import(session, world, data, mapping=["first_name", "last_name", "", ""])
    assert report.needs_mapping and report.errors[0].field == "email"
    # A field chosen twice is a clear error, not a crash.
    report = _import(session, world, data,
                     mapping=["first_name", "first_name", "email", "company"])
    assert report.errors[0].code == "import.mapping_invalid"
    report = _import(session, world, data,
                     mapping=["first_name", "last_name", "email", "company"])
    assert report.ok and report.imported == 1
    assert _by_email(session, world, "ann@example.com").company == "Solvik"


def test_bad_rows_import_nothing_and_report_lines(session, world):
    data = (b"first_name,last_name,email,registration_status\n"
            b"A,B,a@example.com,registered\nC,D,nope,registered\nE,F,a@example.com,maybe\n")
    report = _import(session, world, data)
    assert not report.ok
    assert {e.line for e in report.errors} == {3, 4}
    assert "meetings.bad_registration_status" in {e.code for e in report.errors}
    assert session.exec(select(Attendee).where(Attendee.event_id == world.event.id,
                                               Attendee.email == "a@example.com")).first() is None


def test_progress_is_reported_and_binary_refused(session, world):
    seen = []
    rows = "".join(f"P{n},L{n},p{n}@example.com\n" for n in range(120))
    report = _import(session, world, ("first_name,last_name,email\n" + rows).encode(),
                     progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.imported == 120
    assert seen[0] == (0, 120) and seen[-1] == (120, 120)
    report = _import(session, world, b"\x00\x01\x02" * 100)
    assert report.errors[0].code == "import.encoding_binary"


def test_another_organizations_event_is_refused(session, world):
    other = make_org(session)
    with pytest.raises(NotAllowed):
        attendee_import.import_attendees_csv(
            session, organization_id=other.id, event_id=world.event.id,
            data=b"first_name,last_name,email\nA,B,a@example.com\n", now=START)
