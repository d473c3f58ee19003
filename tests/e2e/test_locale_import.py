"""Issue 9 in the real browser: a German organizer's Excel export, the mapping step, the
team CSV in the same shape, and the results export imported into another organization."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from rxapp import db
from rxapp.models import Module, Organization, Role, TeamInvitation, User
from rxapp.models.participants import Interaction, Participant
from rxapp.services.accounts.passwords import hash_password
from rxapp.services.interactions import complete_interaction, create_interaction, record_answer
from rxapp.services.interactions.participants import add_participant
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire, questions_of
from tests.e2e.helpers import open_page, sign_in

DATA = Path(__file__).resolve().parents[1] / "data" / "csv"
PASSWORD = "locale-e2e-pass"


def _org(s, name, slug, language, zone):
    org = Organization(name=name, slug=slug, timezone=zone, default_language=language,
                       modules=[m.value for m in Module], interactions_bought=50)
    s.add(org)
    s.flush()
    users = {}
    for role in (Role.ADMIN.value, Role.ORGANIZER.value):
        user = User(organization_id=org.id, email=f"{role}@{slug}.example", full_name=role,
                    password_hash=hash_password(PASSWORD), role=role, language=language)
        s.add(user)
        users[role] = user.email
    s.flush()
    return org, users


def _completed(s, org, first, last, email, language):
    now = datetime.now(UTC) - timedelta(days=2)
    person = add_participant(s, organization_id=org.id, first_name=first, last_name=last,
                             email=email, language=language, now=now)
    made = create_interaction(s, organization_id=org.id, participant_id=person.id, now=now)
    ensure_default_questionnaire(s)
    qid = s.get(Interaction, made.interaction_id).questionnaire_id
    for i, q in enumerate(questions_of(s, questionnaire_id=qid)):
        record_answer(s, organization_id=org.id, interaction_id=made.interaction_id,
                      question_id=q.id, value=(3, 4, 5)[i % 3], now=now)
    complete_interaction(s, organization_id=org.id, interaction_id=made.interaction_id, now=now)


@pytest.fixture(scope="module")
def orgs(live_app):
    engine = db.get_engine(live_app.database_url)
    with Session(engine, expire_on_commit=False) as s:
        german, german_users = _org(s, "Beispiel GmbH", "beispiel", "de", "Europe/Berlin")
        swedish, swedish_users = _org(s, "Exempel AB", "exempel", "sv", "Europe/Stockholm")
        _completed(s, german, "Émilie", "Åström", "emilie@example.fr", "fr")
        _completed(s, german, "=1+1", "-Minus; \"quoted\"", "formula@example.de", "sv")
        s.commit()
    return {"de": (german.id, german_users), "sv": (swedish.id, swedish_users),
            "engine": engine}


def _people(orgs, key):
    with Session(orgs["engine"]) as s:
        return sorted(s.exec(
            select(Participant.first_name, Participant.last_name, Participant.email,
                   Participant.language)
            .where(Participant.organization_id == orgs[key][0])).all())


def _choose(page: Page, trigger_label: str, option: str) -> None:
    page.get_by_role("combobox", name=trigger_label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_german_organizer_imports_excel_export_and_maps_unknown_headers(page: Page, orgs):
    sign_in(page, orgs["de"][1]["organizer"], PASSWORD)
    open_page(page, "/participants")
    before = len(_people(orgs, "de"))
    # Semicolons, BOM, CRLF, German headers, no language column.
    page.set_input_files("#csv-upload input[type=file]", str(DATA / "de-excel-bom-semicolon.csv"))
    expect(page.locator("#import-ok")).to_have_text("2 Personen importiert.")
    expect(page.locator("#import-read-as")).to_contain_text("Semikolons")
    people = _people(orgs, "de")
    assert len(people) == before + 2
    assert ("Jörg", "Schäfer", "joerg@example.de", "de") in people  # the org's language
    expect(page.get_by_text("Schäfer", exact=True)).to_be_visible()

    # Unknown headers: the mapping step, with the first rows previewed.
    page.set_input_files("#csv-upload input[type=file]", str(DATA / "unknown-headers.csv"))
    step = page.locator("#mapping-step")
    expect(step).to_be_visible()
    expect(step).to_contain_text("joerg@example.de")
    page.locator("#mapping-apply").click()
    expect(page.locator("#mapping-missing")).to_contain_text("Vorname")
    _choose(page, "Beckon-Feld: Spalte A", "Vorname")
    _choose(page, "Beckon-Feld: Spalte B", "Nachname")
    _choose(page, "Beckon-Feld: Kontakt", "E-Mail")
    page.locator("#mapping-apply").click()
    # The same two people again: refused as already there, with line numbers.
    expect(page.locator("#import-errors")).to_contain_text("Zeile 2")
    assert len(_people(orgs, "de")) == before + 2


def test_team_csv_import_takes_the_same_german_shape(page: Page, orgs):
    sign_in(page, orgs["de"][1]["admin"], PASSWORD)
    open_page(page, "/team/import")
    _choose(page, "Sprache der E-Mails", "Svenska")
    page.set_input_files("#team-csv-upload input[type=file]",
                         str(DATA / "de-excel-bom-semicolon.csv"))
    expect(page.get_by_text("Alle 2 Zeilen sind in Ordnung", exact=False)).to_be_visible()
    page.locator("#csv-send").click()
    expect(page.get_by_text("2 Einladungen sind unterwegs.")).to_be_visible()
    with Session(orgs["engine"]) as s:
        rows = s.exec(select(TeamInvitation.email, TeamInvitation.role, TeamInvitation.language)
                      .where(TeamInvitation.organization_id == orgs["de"][0])).all()
    assert sorted(rows) == [("anna@example.de", "agent", "sv"), ("joerg@example.de", "agent", "sv")]
    open_page(page, "/team/invitations")
    body = page.locator("body").inner_text()
    assert "UTC" not in body and not re.search(r"\d{4}-\d{2}-\d{2}", body)


def test_results_export_imports_into_another_organization_unchanged(page: Page, orgs,
                                                                   tmp_path):
    sign_in(page, orgs["de"][1]["organizer"], PASSWORD)
    open_page(page, "/participants")
    page.locator("#export").click()
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    # Saved under its own name: the upload takes .csv files, as a user's browser saves it.
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.suffix == ".csv"
    text = exported.read_text(encoding="utf-8-sig")
    assert text.startswith('"Vorname";"Nachname";"E-Mail";"Sprache"')
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))

    sign_in(page, orgs["sv"][1]["organizer"], PASSWORD)
    open_page(page, "/participants")
    page.set_input_files("#csv-upload input[type=file]", str(exported))
    expect(page.locator("#import-ok")).to_have_text("2 deltagare importerade.")
    completed = [p for p in _people(orgs, "de") if p[2] in ("emilie@example.fr",
                                                           "formula@example.de")]
    assert _people(orgs, "sv") == completed
    assert ("=1+1", "-Minus; \"quoted\"", "formula@example.de", "sv") in completed
