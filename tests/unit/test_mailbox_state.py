"""The mailbox page's handlers: admins only, own organization only (R-MSG-4, R-ACC-3)."""

from rxapp.models.outbox import MailboxMessage
from rxapp.states.accounts.mailbox import MailboxState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token


def _mail(session, org, subject):
    row = MailboxMessage(organization_id=org.id, recipient="x@example.com", subject=subject,
                         text_body="hello", html_body="<p>hello <script>x</script></p>",
                         received_at=START)
    session.add(row)
    session.commit()
    return row


def test_r_msg_4_mailbox_lists_only_own_org_and_refuses_others(app_db, session, frozen_clock):
    alpha, beta = make_org(session), make_org(session)
    a_mail = _mail(session, alpha, "Alpha secret")
    _mail(session, beta, "Beta note")
    beta_admin = make_user(session, beta)
    organizer = make_user(session, alpha, role="organizer")

    state = make_state(MailboxState, token=signed_in_token(session, beta_admin.id, START))
    state.load()
    assert [r["subject"] for r in state.rows] == ["Beta note"]
    # Crafted call with Alpha's message id: nothing opens.
    state.open_message(str(a_mail.id))
    assert state.open_id == 0 and state.open_subject == ""
    state.open_message({"id": 1})
    assert state.open_id == 0

    org_state = make_state(MailboxState, token=signed_in_token(session, organizer.id, START))
    org_state.load()
    assert org_state.rows == [] and org_state.total == 0
    org_state.open_message(str(a_mail.id))
    assert org_state.open_id == 0

    anon = make_state(MailboxState)
    anon.load()
    assert anon.rows == []


def test_r_msg_4_admin_opens_own_message(app_db, session, frozen_clock):
    org = make_org(session)
    mail = _mail(session, org, "Hello")
    admin = make_user(session, org)
    state = make_state(MailboxState, token=signed_in_token(session, admin.id, START))
    state.load()
    state.open_message(str(mail.id))
    assert state.open_id == mail.id and state.open_text == "hello"


def test_13_6_credential_links_are_masked_except_for_their_recipient(
    app_db, session, frozen_clock
):
    from rxapp import routes

    org = make_org(session)
    admin = make_user(session, org, email="admin@example.com")
    colleague = make_user(session, org, email="colleague@example.com")
    reset = routes.reset_url("ResetTok_abc-123")
    join = routes.join_url("JoinTok_xyz-789")
    row = MailboxMessage(
        organization_id=org.id, recipient="Colleague@example.com", subject="Reset",
        text_body=f"Set a new password: {reset}\nOr join: {join}",
        html_body=f'<p><a href="{reset}">Set a new password</a> {reset}</p>',
        received_at=START,
    )
    session.add(row)
    session.commit()
    other = make_state(MailboxState, token=signed_in_token(session, admin.id, START))
    other.open_message(str(row.id))
    assert other.open_id == row.id
    for body in (other.open_text, other.open_html):
        assert "ResetTok_abc-123" not in body and "JoinTok_xyz-789" not in body
        assert "/reset/••••••••" in body
    assert "ResetTok" not in repr(other.dict())
    # The recipient (an admin too) sees the working link.
    own = make_state(MailboxState, token=signed_in_token(session, colleague.id, START))
    own.open_message(str(row.id))
    assert reset in own.open_text and reset in own.open_html
