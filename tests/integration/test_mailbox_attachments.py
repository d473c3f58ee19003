"""Kept emails: attachments stored, listed and downloadable by the organization's admins only.

Also the mail itself: Reply-To from the organization's contact address, a preheader,
a table-based button and ``name=`` on attachments (issue 12, points 4 and 8).
"""

import asyncio
import warnings

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from rxapp import routes
from rxapp.api.mailbox import mailbox_routes
from rxapp.mail.render import preheader_of, render_message
from rxapp.mail.transport import MailboxTransport
from rxapp.models import MailboxAttachment, MailboxMessage, Role
from rxapp.models.outbox import OutboxMessage
from rxapp.services.accounts import auth, mailbox
from rxapp.services.common.attachments import Attachment
from rxapp.states.accounts.mailbox import text_segments, with_blank_target
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import TEST_BROWSER

NOW = START
PDF = b"%PDF-1.4\n% report\n"


def _email(org_id: int, **render):
    message = OutboxMessage(
        organization_id=org_id, recipient="ann@example.com", recipient_name="Ann",
        kind="interaction_report", template="interaction_report", language="en",
        context={"first_name": "Ann"}, due_at=NOW, idempotency_key="k",
        message_id="<k@beckon.example>",
    )
    return render_message(message, organization_name="Acme AB",
                          sender="Beckon <no-reply@beckon.example>", now=NOW,
                          attachments=[Attachment(filename="report-ann.pdf",
                                                  mime="application/pdf", content=PDF)],
                          **render)


def test_trusted_mail_headers_preheader_button_and_attachment_name():
    email = _email(1, reply_to="contact@acme.example")
    assert email["Reply-To"] == "Acme AB <contact@acme.example>"
    raw = email.as_string()
    assert 'name="report-ann.pdf"' in raw and 'filename="report-ann.pdf"' in raw
    html = email.get_body(("html",)).get_content()
    text = email.get_body(("plain",)).get_content()
    assert preheader_of(text) in html and "display:none" in html
    assert not preheader_of(text).startswith("Hello")
    assert _email(1)["Reply-To"] is None
    invitation = OutboxMessage(
        organization_id=1, recipient="a@x.example", kind="interaction_invitation",
        template="interaction_invitation", language="de", due_at=NOW, idempotency_key="i",
        context={"first_name": "Ann", "link": "https://app.example/i/x"}, message_id="<i@x>")
    html = render_message(invitation, organization_name="Acme", sender="a@b.example",
                          now=NOW).get_body(("html",)).get_content()
    # The button is a table cell with a background colour: Outlook desktop draws it.
    assert 'bgcolor="#3e63dd"' in html and '<table role="presentation"' in html


@pytest.fixture
def world(app_db, engine, clock):
    with Session(engine, expire_on_commit=False) as s:
        acme = make_org(s, name="Acme")
        other = make_org(s, name="Other")
        admin = make_user(s, acme, role=Role.ADMIN.value)
        organizer = make_user(s, acme, role=Role.ORGANIZER.value)
        other_admin = make_user(s, other, role=Role.ADMIN.value)
        cookies = {}
        for name, user in (("admin", admin), ("organizer", organizer),
                           ("other_admin", other_admin)):
            ticket = auth.issue_login_ticket(s, user_id=user.id, now=NOW,
                                             browser_key=TEST_BROWSER)
            cookies[name] = auth.redeem_login_ticket(s, ticket=ticket, now=NOW,
                                                     browser_key=TEST_BROWSER)
        outbox = OutboxMessage(organization_id=acme.id, recipient="ann@example.com",
                               kind="interaction_report", template="interaction_report",
                               language="en", context={},
                               due_at=NOW, idempotency_key="kept", message_id="<kept@x>")
        s.add(outbox)
        s.commit()
    asyncio.run(MailboxTransport(engine).send(_email(acme.id), outbox=outbox))
    with Session(engine) as s:
        kept = s.exec(select(MailboxMessage)).one()
    return {"acme": acme, "cookies": cookies, "kept_id": kept.id}


def _client(world, who):
    client = TestClient(Starlette(routes=mailbox_routes()))
    if who:
        client.cookies.set(routes.SESSION_COOKIE, world["cookies"][who])
    return client


def test_r_msg_4_attachments_are_kept_listed_and_downloadable(world, engine):
    with Session(engine) as s:
        files = s.exec(select(MailboxAttachment)).all()
        assert [(f.filename, f.mime, f.content) for f in files] == [
            ("report-ann.pdf", "application/pdf", PDF)]
        view = mailbox.get_mailbox_message(s, organization_id=world["acme"].id,
                                           mailbox_id=world["kept_id"])
    assert [(a.position, a.filename, a.size) for a in view.attachments] == [
        (0, "report-ann.pdf", len(PDF))]
    response = _client(world, "admin").get(f"/api/mailbox/{world['kept_id']}/attachments/0")
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("who", "status"), [(None, 403), ("organizer", 403),
                                             ("other_admin", 404)])
def test_r_msg_4_attachment_download_refused(world, who, status):
    response = _client(world, who).get(f"/api/mailbox/{world['kept_id']}/attachments/0")
    assert response.status_code == status and PDF not in response.content
    missing = _client(world, "admin").get(f"/api/mailbox/{world['kept_id']}/attachments/7")
    assert missing.status_code == 404


def test_kept_html_and_text_links_open_in_a_new_tab():
    html = with_blank_target('<html><head><meta charset="utf-8"></head><body><a href="x">')
    assert html.startswith('<html><head><base target="_blank">')
    assert with_blank_target("<p>x</p>") == '<base target="_blank"><p>x</p>'
    assert text_segments("Open https://a.example/i/x now") == [
        {"text": "Open ", "url": ""},
        {"text": "https://a.example/i/x", "url": "https://a.example/i/x"},
        {"text": " now", "url": ""},
    ]
