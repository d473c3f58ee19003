"""Passwords, tokens and sessions (R-ACC-1, R-ACC-2)."""

from datetime import timedelta

from sqlmodel import select

from rxapp.models import AuthSession, OneTimeToken, TokenPurpose
from rxapp.services.accounts import auth
from rxapp.services.accounts.passwords import hash_password, verify_password
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tokens import hash_token
from tests.conftest import START
from tests.factories import PASSWORD, make_org, make_user
from tests.states import TEST_BROWSER, signed_in_token


def test_r_acc_1_passwords_are_argon2id_and_verify():
    h = hash_password("a long enough password")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "a long enough password")
    assert not verify_password(h, "another password")
    assert not verify_password(None, "anything")


def test_r_acc_1_authenticate_refuses_wrong_password_unknown_email_and_inactive(session):
    org = make_org(session)
    user = make_user(session, org, email="ann@example.com")
    assert auth.authenticate(session, email=" ANN@example.com ", password=PASSWORD).id == user.id
    assert auth.authenticate(session, email="ann@example.com", password="wrong") is None
    assert auth.authenticate(session, email="nobody@example.com", password=PASSWORD) is None
    user.is_active = False
    session.add(user)
    session.commit()
    assert auth.authenticate(session, email="ann@example.com", password=PASSWORD) is None


def test_r_acc_1_session_token_is_hashed_at_rest_and_ticket_single_use(session):
    org = make_org(session)
    user = make_user(session, org)
    ticket = auth.issue_login_ticket(
        session, user_id=user.id, now=START, browser_key=TEST_BROWSER
    )
    token = auth.redeem_login_ticket(
        session, ticket=ticket, now=START, browser_key=TEST_BROWSER
    )
    session.commit()
    assert token and token != ticket
    stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    ticket_row = session.exec(select(OneTimeToken)).one()
    assert ticket_row.token_hash == hash_token(ticket)
    # The ticket works once.
    assert (
        auth.redeem_login_ticket(session, ticket=ticket, now=START, browser_key=TEST_BROWSER)
        is None
    )


def test_r_acc_1_login_ticket_expires_within_a_minute(session):
    org = make_org(session)
    user = make_user(session, org)
    ticket = auth.issue_login_ticket(
        session, user_id=user.id, now=START, browser_key=TEST_BROWSER
    )
    session.commit()
    later = START + timedelta(minutes=2)
    assert (
        auth.redeem_login_ticket(session, ticket=ticket, now=later, browser_key=TEST_BROWSER)
        is None
    )


def test_r_acc_1_session_resolves_then_expires_after_inactivity(session):
    org = make_org(session)
    user = make_user(session, org, role="organizer")
    ticket = auth.issue_login_ticket(
        session, user_id=user.id, now=START, browser_key=TEST_BROWSER
    )
    token = auth.redeem_login_ticket(
        session, ticket=ticket, now=START, browser_key=TEST_BROWSER
    )
    session.commit()
    p = auth.resolve_session(session, token=token, now=START + timedelta(hours=1))
    assert p is not None and p.user_id == user.id and p.organization_id == org.id
    assert p.role == "organizer"
    session.commit()
    # Activity an hour in moved last_seen on; 13 idle hours later the session is gone.
    assert auth.resolve_session(session, token=token, now=START + timedelta(hours=14)) is None
    assert auth.resolve_session(session, token="not-a-token", now=START) is None
    assert auth.resolve_session(session, token=None, now=START) is None


def test_r_acc_1_activity_keeps_session_but_not_beyond_absolute_limit(session):
    org = make_org(session)
    user = make_user(session, org)
    token = signed_in_token(session, user.id, START)
    session.commit()
    # Touched every 6 hours for 31 days: still cut at 30 days.
    t = START
    alive = True
    while t < START + timedelta(days=31):
        t += timedelta(hours=6)
        alive = auth.resolve_session(session, token=token, now=t) is not None
        session.commit()
    assert not alive


def test_r_acc_1_end_session_stops_token(session):
    org = make_org(session)
    user = make_user(session, org)
    token = signed_in_token(session, user.id, START)
    auth.end_session(session, token=token)
    session.commit()
    assert auth.resolve_session(session, token=token, now=START) is None


def test_r_acc_2_reset_token_hashed_single_use_and_expires_in_an_hour(session):
    org = make_org(session)
    make_user(session, org, email="bo@example.com")
    req = auth.request_password_reset(session, email="bo@example.com", now=START)
    session.commit()
    row = session.exec(
        select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET.value)
    ).one()
    assert row.token_hash == hash_token(req.raw_token)
    assert row.expires_at == START + timedelta(hours=1)
    assert auth.reset_token_is_usable(session, token=req.raw_token, now=START)
    assert not auth.reset_token_is_usable(
        session, token=req.raw_token, now=START + timedelta(minutes=61)
    )
    auth.reset_password(session, token=req.raw_token, new_password="a brand new one", now=START)
    session.commit()
    assert auth.authenticate(session, email="bo@example.com", password="a brand new one")
    try:
        auth.reset_password(session, token=req.raw_token, new_password="yet another one", now=START)
    except DomainError as err:
        assert err.code == "error.reset_link_invalid"
    else:
        raise AssertionError("a reset link worked twice")


def test_r_acc_2_expired_reset_link_refused_and_password_unchanged(session):
    org = make_org(session)
    make_user(session, org, email="cy@example.com")
    req = auth.request_password_reset(session, email="cy@example.com", now=START)
    session.commit()
    try:
        auth.reset_password(session, token=req.raw_token, new_password="a brand new one",
                            now=START + timedelta(hours=2))
    except DomainError as err:
        assert err.code == "error.reset_link_invalid"
    session.rollback()
    assert auth.authenticate(session, email="cy@example.com", password=PASSWORD)


def test_r_acc_2_unknown_address_gets_no_token(session):
    assert auth.request_password_reset(session, email="ghost@example.com", now=START) is None
    assert session.exec(select(OneTimeToken)).first() is None


def test_r_acc_2_short_password_refused_before_token_is_spent(session):
    org = make_org(session)
    make_user(session, org, email="di@example.com")
    req = auth.request_password_reset(session, email="di@example.com", now=START)
    session.commit()
    try:
        auth.reset_password(session, token=req.raw_token, new_password="short", now=START)
    except DomainError as err:
        assert err.field == "password"
    assert auth.reset_token_is_usable(session, token=req.raw_token, now=START)


def test_r_acc_2_reset_ends_every_session(session):
    org = make_org(session)
    user = make_user(session, org, email="ed@example.com")
    token = signed_in_token(session, user.id, START)
    req = auth.request_password_reset(session, email="ed@example.com", now=START)
    session.commit()
    auth.reset_password(session, token=req.raw_token, new_password="a brand new one", now=START)
    session.commit()
    assert auth.resolve_session(session, token=token, now=START) is None


def test_r_acc_2_queued_reset_email_holds_no_link_and_is_dropped_once_used(session):
    import rxapp.services.accounts.reset_mail as password_mail
    from rxapp.models.outbox import OutboxMessage

    org = make_org(session)
    make_user(session, org, email="fay@example.com")
    req = auth.request_password_reset(session, email="fay@example.com", now=START)
    password_mail.schedule_reset_email(session, request=req, now=START)
    session.commit()
    message = session.exec(select(OutboxMessage)).one()
    assert req.raw_token not in repr(message.context)
    # The link the email will carry is rebuilt from the salt and the server secret.
    link = auth.reset_link_of(session, token_id=req.token_id, now=START)
    assert link.endswith("/reset/" + req.raw_token)
    assert password_mail.check_reset_usable(session, message, START) is None
    auth.reset_password(session, token=req.raw_token, new_password="a brand new one", now=START)
    session.commit()
    assert password_mail.check_reset_usable(session, message, START) == "link expired"
