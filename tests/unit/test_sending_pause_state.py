"""The settings page shows admins one alert while sending is paused (issue 14, point 4)."""

from rxapp.services.common import sending_pause
from rxapp.states.accounts.settings import SettingsState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token

REPLY = "550 5.7.1 Relaying denied for no-reply@beckon.example"


def test_admins_see_the_pause_with_the_servers_reply_and_it_goes_when_resumed(
    app_db, session, frozen_clock
):
    org = make_org(session)
    admin = make_user(session, org)
    organizer = make_user(session, org, role="organizer")
    assert sending_pause.pause_sending(session, reply=REPLY, now=START)
    assert not sending_pause.pause_sending(session, reply=REPLY, now=START)  # one alert

    state = make_state(SettingsState, token=signed_in_token(session, admin.id, START))
    state.load()
    assert state.sending_paused and state.sending_paused_reply == REPLY
    assert state.sending_paused_since == "2026-03-02 09:00 UTC"

    other = make_state(SettingsState, token=signed_in_token(session, organizer.id, START))
    other.load()
    assert not other.sending_paused and other.sending_paused_reply == ""

    assert sending_pause.resume_sending(session)
    state.load()
    assert not state.sending_paused and state.sending_paused_reply == ""
