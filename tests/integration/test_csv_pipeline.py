"""Participants and team invitees through the one CSV pipeline (issue 9)."""

from pathlib import Path

from sqlmodel import Session, select

from rxapp.models import TeamInvitation
from rxapp.models.participants import Participant
from rxapp.services.interactions.participants import import_participants_csv
from rxapp.services.interactions.reports import results_csv
from tests.conftest import T0
from tests.factories import make_organization

DATA = Path(__file__).resolve().parents[1] / "data" / "csv"


def _people(s, org_id):
    return s.exec(
        select(Participant.first_name, Participant.last_name, Participant.email,
               Participant.language, Participant.time_zone)
        .where(Participant.organization_id == org_id).order_by(Participant.email)
    ).all()


def test_german_excel_export_without_language_takes_the_org_default(engine):
    with Session(engine, expire_on_commit=False) as s:
        for name in ("de-excel-bom-semicolon.csv", "de-windows1252-semicolon.csv"):
            org = make_organization(s, default_language="de", timezone="Europe/Berlin")
            report = import_participants_csv(
                s, organization_id=org.id, data=(DATA / name).read_bytes(), now=T0)
            assert report.ok and report.imported == 2, report.errors
            assert _people(s, org.id) == [
                ("Anna", "Müller", "anna@example.de", "de", None),
                ("Jörg", "Schäfer", "joerg@example.de", "de", None),
            ]


def test_french_swedish_english_files_with_languages_and_zones(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, default_language="sv")
        for name in ("fr-utf8-semicolon.csv", "sv-utf16-tab.csv", "en-utf8-comma.csv"):
            report = import_participants_csv(
                s, organization_id=org.id, data=(DATA / name).read_bytes(), now=T0)
            assert report.ok, (name, report.errors)
        s.flush()
        people = {p[2]: p for p in _people(s, org.id)}
        assert people["francois@example.fr"][1:4] == ("L'Hôpital", "francois@example.fr", "fr")
        assert people["bjorn@example.se"][3:] == ("sv", None)
        assert people["asa@example.se"][4] == "Europe/Stockholm"
        assert people["emma@example.com"][4] == "America/New_York"
        assert people["lukas@example.com"][3] == "de"


def test_unknown_headers_ask_for_a_mapping_then_import(engine):
    data = (DATA / "unknown-headers.csv").read_bytes()
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, default_language="de")
        report = import_participants_csv(s, organization_id=org.id, data=data, now=T0)
        assert report.needs_mapping and not report.ok
        assert report.columns == ["Spalte A", "Spalte B", "Kontakt"]
        assert report.preview[0] == ["Jörg", "Schäfer", "joerg@example.de"]
        assert _people(s, org.id) == []
        report = import_participants_csv(s, organization_id=org.id, data=data, now=T0,
                                         mapping=["first_name", "last_name", "email"])
        assert report.ok and report.imported == 2


def test_bad_rows_and_bad_zones_write_nothing_and_name_the_lines(engine):
    data = ("Vorname;Nachname;E-Mail;Zeitzone\r\nA;B;a@example.de;Mars/Olympus\r\n"
            "C;D;kaputt;\r\nE;F;e@example.de;Europe/Paris\r\n").encode("utf-8-sig")
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s)
        report = import_participants_csv(s, organization_id=org.id, data=data, now=T0)
        assert [(e.line, e.code) for e in report.errors] == [
            (2, "participant.time_zone_unknown"), (3, "participant.email_invalid")]
        assert _people(s, org.id) == []
        report = import_participants_csv(s, organization_id=org.id, data=b"\x00\x01", now=T0)
        assert [e.code for e in report.errors] == ["import.encoding_binary"]


def test_results_export_imports_back_into_another_organization_unchanged(engine):
    from tests.integration.test_reports import _completed

    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, interactions_bought=10, reports_included=True)
        _completed(s, org, first_name="Émilie", last_name="Åström", language="fr",
                   email="emilie@example.fr")
        _completed(s, org, first_name="=1+1", last_name="-Minus", language="sv",
                   email="formula@example.se")
        s.flush()
        before = sorted(p[:4] for p in _people(s, org.id))
        for lang in ("de", "en", "sv"):
            other = make_organization(s, default_language="en")
            data = results_csv(s, organization_id=org.id, language=lang)
            report = import_participants_csv(s, organization_id=other.id, data=data, now=T0)
            assert report.ok, (lang, report.errors)
            assert sorted(p[:4] for p in _people(s, other.id)) == before


def test_team_csv_takes_the_same_german_excel_shape(engine):
    from rxapp.services.accounts.auth import Principal
    from rxapp.services.team import check_csv, invite_csv
    from tests.factories import make_user

    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, default_language="de", modules=["team"])
        admin = make_user(s, org, role="admin")
        principal = Principal(user_id=admin.id, organization_id=org.id, role="admin",
                              email=admin.email, full_name="", language="de",
                              organization_name=org.name, modules=("team",))
        data = (DATA / "de-excel-bom-semicolon.csv").read_bytes()
        report = check_csv(s, principal=principal, text=data, now=T0, default_role="agent")
        assert report.ok, [r.problems for r in report.rows]
        report = invite_csv(s, principal=principal, text=data, now=T0, default_role="agent",
                            default_language="sv")
        assert report.sent
        invs = s.exec(select(TeamInvitation.email, TeamInvitation.role, TeamInvitation.language)
                      .order_by(TeamInvitation.email)).all()
        assert invs == [("anna@example.de", "agent", "sv"), ("joerg@example.de", "agent", "sv")]
        unknown = check_csv(s, principal=principal, text=(DATA / "unknown-headers.csv")
                            .read_bytes(), now=T0, default_role="agent")
        assert unknown.needs_mapping and unknown.columns[2] == "Kontakt"
