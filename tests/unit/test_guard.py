"""The one guard: handlers refuse callers without a session, the role or the organization.

Handlers are called directly, as a crafted websocket message would call them.
"""

from rxapp.models import Organization, User
from rxapp.states.accounts.auth import ForgotState, LoginState, finish_reset_requests
from rxapp.states.accounts.settings import SettingsState
from rxapp.states.base import AppState
from tests.conftest import START
from tests.factories import PASSWORD, make_org, make_user
from tests.states import make_state, signed_in_token

FORM = {
    "name": "Renamed",
    "sender_name": "X",
    "timezone": "Europe/Paris",
}


def _org_name(session, org_id):
    session.expire_all()
    return session.get(Organization, org_id).name


def test_r_acc_3_no_session_is_refused_and_changes_nothing(app_db, session, frozen_clock):
    org = make_org(session, name="Alpha")
    state = make_state(SettingsState)
    state.load()
    assert state.name == ""
    state.save(FORM)
    assert _org_name(session, org.id) == "Alpha"
    assert state.saved is False


def test_r_acc_3_forged_cookie_is_refused(app_db, session, frozen_clock):
    org = make_org(session, name="Alpha")
    make_user(session, org)
    state = make_state(SettingsState, token="forged-token-value")
    state.save(FORM)
    assert _org_name(session, org.id) == "Alpha"


def test_r_acc_3_wrong_role_is_refused(app_db, session, frozen_clock):
    org = make_org(session, name="Alpha")
    organizer = make_user(session, org, role="organizer")
    state = make_state(SettingsState, token=signed_in_token(session, organizer.id, START))
    state.load()
    assert state.name == ""
    state.save(FORM)
    assert _org_name(session, org.id) == "Alpha"


def test_r_acc_3_admin_of_other_org_only_touches_own(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha")
    beta = make_org(session, name="Beta")
    make_user(session, alpha)
    beta_admin = make_user(session, beta)
    state = make_state(SettingsState, token=signed_in_token(session, beta_admin.id, START))
    state.load()
    # Beta's admin sees Beta, never Alpha.
    assert state.name == "Beta"
    state.save(FORM)
    assert _org_name(session, beta.id) == "Renamed"
    assert _org_name(session, alpha.id) == "Alpha"


def test_r_ui_4_bad_input_shows_field_error_and_changes_nothing(app_db, session, frozen_clock):
    org = make_org(session, name="Alpha")
    admin = make_user(session, org)
    state = make_state(SettingsState, token=signed_in_token(session, admin.id, START))
    state.save({**FORM, "timezone": "Mars/Olympus"})
    assert state.errors == {"timezone": "settings.error.timezone_unknown"}
    state.save({**FORM, "name": "  "})
    assert state.errors == {"name": "settings.error.name_required"}
    assert _org_name(session, org.id) == "Alpha"


def test_r_acc_3_page_guards_redirect(app_db, session, frozen_clock):
    org = make_org(session)
    organizer = make_user(session, org, role="organizer")
    anon = make_state(AppState, path="/settings")
    event = anon.enter_admin()
    assert "/login" in str(event)
    state = make_state(AppState, token=signed_in_token(session, organizer.id, START))
    assert "/forbidden" in str(state.enter_admin())
    assert state.enter_staff() is None
    assert state.signed_in and state.user_role == "organizer"


def test_r_ui_1_language_is_remembered_per_user_and_validated(app_db, session, frozen_clock):
    org = make_org(session)
    user = make_user(session, org, language="en")
    state = make_state(AppState, token=signed_in_token(session, user.id, START))
    state.set_lang("sv")
    session.expire_all()
    assert session.get(User, user.id).language == "sv"
    state.set_lang({"evil": 1})
    state.set_lang("xx")
    session.expire_all()
    assert session.get(User, user.id).language == "sv"
    assert state.t["login.title"] == "Logga in"


async def test_r_acc_1_wrong_password_gets_one_message_and_no_ticket(app_db, session, frozen_clock):
    org = make_org(session)
    make_user(session, org, email="ann@example.com")
    state = make_state(LoginState, path="/login")
    assert await state.submit({"email": "ann@example.com", "password": "wrong"}) is None
    assert state.form_error == "login.failed"
    state2 = make_state(LoginState, path="/login")
    await state2.submit({"email": "nobody@example.com", "password": PASSWORD})
    assert state2.form_error == "login.failed"
    state3 = make_state(LoginState, path="/login")
    await state3.submit({"email": "not an email", "password": ""})
    assert state3.email_error == "error.email_invalid"
    assert state3.password_error == "error.password_required"
    state4 = make_state(LoginState, path="/login")
    await state4.submit("not a dict")
    assert state4.email_error == "error.email_required"


async def test_r_acc_1_state_never_holds_tokens_or_hashes(app_db, session, frozen_clock):
    org = make_org(session)
    user = make_user(session, org, email="ann@example.com")
    token = signed_in_token(session, user.id, START)
    state = make_state(SettingsState, token=token)
    state.enter_admin()
    state.load()
    dumped = repr(state.dict())
    assert token not in dumped
    assert user.password_hash not in dumped
    login = make_state(LoginState, path="/login")
    await login.submit({"email": "ann@example.com", "password": PASSWORD})
    assert "ticket" not in repr(login.dict())


async def test_r_acc_2_forgot_answers_the_same_for_known_and_unknown(app_db, session, frozen_clock):
    org = make_org(session)
    make_user(session, org, email="ann@example.com")
    known = make_state(ForgotState)
    await known.submit({"email": "ann@example.com"})
    unknown = make_state(ForgotState)
    await unknown.submit({"email": "ghost@example.com"})
    await finish_reset_requests()
    assert known.sent and unknown.sent
    assert known.email_error == unknown.email_error == ""
    bad = make_state(ForgotState)
    await bad.submit({"email": "nope"})
    assert not bad.sent and bad.email_error == "error.email_invalid"
