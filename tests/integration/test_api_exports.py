"""Download endpoints: staff of the organization only, its own data only (R-INT-7, R-INT-9)."""

import io
import warnings
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session
from starlette.applications import Starlette

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; httpx is what the project installs.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from rxapp import routes
from rxapp.api.exports import export_routes
from rxapp.models import Module, Role
from rxapp.services.accounts import auth
from rxapp.services.common.qr import qr_svg
from rxapp.services.interactions import (
    complete_interaction,
    create_interaction,
    delete_interaction,
    link_of,
)
from rxapp.services.interactions.reports import results_csv
from tests.conftest import T0
from tests.factories import make_org, make_participant, make_user
from tests.integration.test_reports import _answer, pdf_text
from tests.states import TEST_BROWSER

CSV = "/api/export/results.csv"
XLSX = "/api/export/results.xlsx"


def _cookie_for(s: Session, user) -> str:
    ticket = auth.issue_login_ticket(s, user_id=user.id, now=T0, browser_key=TEST_BROWSER)
    token = auth.redeem_login_ticket(s, ticket=ticket, now=T0, browser_key=TEST_BROWSER)
    s.commit()
    return token


@pytest.fixture
def world(app_db, engine, clock):
    """Two organizations with one completed interaction each, and users of every kind."""
    with Session(engine, expire_on_commit=False) as s:
        acme = make_org(s, name="Acme", reports_included=True)
        other = make_org(s, name="Other", reports_included=True)
        no_module = make_org(s, name="Reviews only", modules=[Module.REVIEWS.value])
        ids = {}
        for org, first in ((acme, "Åsa"), (other, "Secret")):
            person = make_participant(s, organization_id=org.id, now=T0, first_name=first)
            created = create_interaction(
                s, organization_id=org.id, participant_id=person.id, now=T0
            )
            _answer(s, org.id, created.interaction_id, [4])
            complete_interaction(
                s, organization_id=org.id, interaction_id=created.interaction_id, now=T0
            )
            ids[org.name] = created.interaction_id
        person = make_participant(s, organization_id=acme.id, now=T0, first_name="Pending")
        ids["open"] = create_interaction(
            s, organization_id=acme.id, participant_id=person.id, now=T0
        ).interaction_id
        s.commit()
        cookies = {
            "organizer": _cookie_for(s, make_user(s, acme, role=Role.ORGANIZER.value)),
            "admin": _cookie_for(s, make_user(s, acme, role=Role.ADMIN.value)),
            "partner": _cookie_for(s, make_user(s, acme, role=Role.PARTNER.value)),
            "other_admin": _cookie_for(s, make_user(s, other, role=Role.ADMIN.value)),
            "no_module": _cookie_for(s, make_user(s, no_module, role=Role.ADMIN.value)),
        }
    return {"acme": acme, "other": other, "ids": ids, "cookies": cookies}


def _client(world, who: str | None) -> TestClient:
    client = TestClient(Starlette(routes=export_routes()))
    if who:
        client.cookies.set(routes.SESSION_COOKIE, world["cookies"][who])
    return client


def _all_urls(world):
    acme_id = world["ids"]["Acme"]
    return [
        CSV,
        XLSX,
        f"/api/interactions/{acme_id}/qr.svg",
        f"/api/interactions/{acme_id}/report.pdf",
    ]


@pytest.mark.parametrize("who", [None, "partner", "no_module"])
def test_r_acc_3_no_cookie_partner_or_module_missing_is_403(world, who):
    client = _client(world, who)
    for url in _all_urls(world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Åsa" not in response.text and b"%PDF" not in response.content


def test_r_acc_3_forged_cookie_is_403(world):
    client = TestClient(Starlette(routes=export_routes()))
    client.cookies.set(routes.SESSION_COOKIE, "not-a-session")
    assert client.get(CSV).status_code == 403


def test_r_int_9_organizer_downloads_only_own_results(world, engine):
    client = _client(world, "organizer")
    response = client.get(CSV)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="results.csv"'
    text = response.content.decode("utf-8-sig")
    assert "Åsa" in text and "Secret" not in text and "Pending" not in text
    with Session(engine) as s:
        assert response.content == results_csv(s, organization_id=world["acme"].id, language="en")

    response = _client(world, "admin").get(XLSX)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    firsts = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert firsts == ["Åsa"]


def test_r_int_9_other_admin_gets_only_their_rows_and_404_for_our_interaction(world):
    client = _client(world, "other_admin")
    text = client.get(CSV).content.decode("utf-8-sig")
    assert "Secret" in text and "Åsa" not in text
    acme_id = world["ids"]["Acme"]
    for url in (f"/api/interactions/{acme_id}/qr.svg", f"/api/interactions/{acme_id}/report.pdf"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"%PDF" not in response.content and b"<svg" not in response.content


def test_r_int_7_qr_encodes_the_participant_link(world, engine):
    from rxapp.models.participants import Interaction

    client = _client(world, "organizer")
    open_id = world["ids"]["open"]
    response = client.get(f"/api/interactions/{open_id}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-store"
    with Session(engine) as s:
        expected = qr_svg(link_of(s.get(Interaction, open_id)))
    assert response.text == expected
    assert client.get("/api/interactions/999999/qr.svg").status_code == 404


def test_r_int_10_deleted_interaction_has_no_qr(world, engine):
    open_id = world["ids"]["open"]
    with Session(engine) as s:
        delete_interaction(
            s, organization_id=world["acme"].id, interaction_id=open_id, now=T0 + timedelta(hours=1)
        )
        s.commit()
    assert _client(world, "organizer").get(f"/api/interactions/{open_id}/qr.svg").status_code == 404


def test_r_int_9_report_pdf_for_completed_only(world):
    client = _client(world, "organizer")
    response = client.get(f"/api/interactions/{world['ids']['Acme']}/report.pdf?lang=fr")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="report.pdf"'
    assert response.content.startswith(b"%PDF")
    assert b"Vos r" in pdf_text(response.content)
    assert client.get(f"/api/interactions/{world['ids']['open']}/report.pdf").status_code == 404
