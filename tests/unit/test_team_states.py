"""Team handlers called directly, as a crafted websocket message would call them (§5).

A non-admin cannot invite, revoke or change attributes; an admin of one organization
cannot touch another's invitations or members.
"""

import inspect
import time

import pytest
from sqlmodel import select

from rxapp.models import AttributeOption, OutboxMessage, TeamInvitation, User
from rxapp.services import team
from rxapp.services.accounts.auth import resolve_session
from rxapp.states.team import InvitationsState, JoinState, MembersState, TeamDashboardState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token


async def _drive(result):
    """Run a handler's result to the end, whether plain, coroutine or async generator."""
    if inspect.isasyncgen(result):
        async for _ in result:
            pass
    elif inspect.iscoroutine(result):
        await result


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha")
    beta = make_org(session, name="Beta")
    admin = make_user(session, alpha, email="boss@alpha.example")
    organizer = make_user(session, alpha, role="organizer")
    agent = make_user(session, alpha, role="agent", email="agent@alpha.example")
    beta_admin = make_user(session, beta)
    session.add(AttributeOption(organization_id=alpha.id, kind="skills", value="Swedish"))
    session.add(AttributeOption(organization_id=beta.id, kind="skills", value="Swedish"))
    session.commit()
    principal = resolve_session(session, token=signed_in_token(session, admin.id, START),
                                now=START)
    inv_id = team.invite_many(session, principal=principal, emails=["new@x.example"],
                              role="agent", attributes={}, now=START)[0].invitation_id
    session.commit()
    return {"session": session, "admin": admin, "organizer": organizer, "agent": agent,
            "beta_admin": beta_admin, "inv_id": inv_id}


def _background(state, name):
    """A background handler's body, as the event processor would run it."""
    return type(state).event_handlers[name].fn(state)


def _state(cls, session, user, path="/team/invitations"):
    return make_state(cls, token=signed_in_token(session, user.id, START), path=path)


def _invitations(session):
    session.expire_all()
    return session.exec(select(TeamInvitation).order_by(TeamInvitation.id)).all()


def _message_count(session):
    return len(session.exec(select(OutboxMessage.id)).all())


async def test_r_acc_3_non_admin_cannot_invite(world):
    session = world["session"]
    state = _state(InvitationsState, session, world["organizer"])
    state.chips = ["sneaky@x.example"]
    state.send()
    # The background handler refuses too, even when called straight away.
    state.sending = True
    await _drive(_background(state, "run_send"))
    state.add_addresses({"addresses": "a@x.example"})
    assert state.chips == ["sneaky@x.example"]
    assert [i.email for i in _invitations(session)] == ["new@x.example"]


def test_r_acc_3_non_admin_cannot_revoke_or_resend(world):
    session = world["session"]
    before = _message_count(session)
    for user in (world["organizer"], world["agent"]):
        state = _state(InvitationsState, session, user)
        state.load()
        assert state.rows == []
        state.revoke(world["inv_id"])
        state.resend(world["inv_id"])
    assert _invitations(session)[0].state == "pending"
    assert _message_count(session) == before


def test_r_acc_3_non_admin_cannot_change_attributes(world):
    session = world["session"]
    state = _state(MembersState, session, world["organizer"], path="/team/members")
    state.edit_id = world["agent"].id
    state.edit_chosen = {"skills": ["Swedish"]}
    state.save_edit()
    session.expire_all()
    assert session.get(User, world["agent"].id).attributes == {}


def test_r_acc_3_admin_of_other_org_cannot_touch_invitations(world):
    session = world["session"]
    before = _message_count(session)
    state = _state(InvitationsState, session, world["beta_admin"])
    state.load()
    assert state.rows == []
    state.resend(world["inv_id"])
    state.revoke(world["inv_id"])
    state.renew(world["inv_id"])
    assert _invitations(session)[0].state == "pending"
    assert _message_count(session) == before
    members = _state(MembersState, session, world["beta_admin"], path="/team/members")
    members.load()
    assert all(r["email"] != "agent@alpha.example" for r in members.rows)
    members.edit_id = world["agent"].id
    members.edit_chosen = {"skills": ["Swedish"]}
    members.save_edit()
    session.expire_all()
    assert session.get(User, world["agent"].id).attributes == {}


def test_r_team_3_admin_adds_chips_and_revokes_with_confirmation(world):
    session = world["session"]
    state = _state(InvitationsState, session, world["admin"])
    state.load()
    state.open_stepper()
    state.add_addresses({"addresses": "one@x.example, bad-address\nagent@alpha.example "
                                      "new@x.example one@x.example"})
    assert state.chips == ["one@x.example"]
    assert state.draft == "bad-address" and "bad-address" in state.draft_error
    assert {r["email"]: r["outcome"] for r in state.reported} == {
        "agent@alpha.example": "already_member", "new@x.example": "already_invited"}
    state.ask_revoke(world["inv_id"])
    assert state.revoke_open and state.revoke_email == "new@x.example"
    state.confirm_revoke()
    assert _invitations(session)[0].state == "revoked"
    assert state.rows == []


async def test_r_ui_2_bulk_1000_addresses_in_one_action(world, capsys):
    session = world["session"]
    state = _state(InvitationsState, session, world["admin"])
    state.open_stepper()
    state.toggle_option("skills", "Swedish")
    pasted = "\n".join(f"person{i}@bulk.example" for i in range(1000))
    started = time.perf_counter()
    state.add_addresses({"addresses": pasted})
    checked = time.perf_counter()
    assert len(state.chips) == 1000
    state.send()
    assert state.sending and state.total == 1000
    await _drive(_background(state, "run_send"))
    finished = time.perf_counter()
    assert not state.sending and state.progress == 1000
    # The list shows one page at a time, newest first.
    assert (len(state.rows), state.row_count, state.page_label) == (50, 1001, "1–50 / 1001")
    state.next_page()
    assert state.page == 1 and state.rows[0]["email"] != "new@x.example"
    invs = _invitations(session)
    assert len(invs) == 1001
    assert invs[-1].attributes["skills"] == ["Swedish"]
    with capsys.disabled():
        print(f"\n[bench] 1000 addresses ({session.bind.dialect.name}): check "
              f"{checked - started:.2f}s, invite {finished - checked:.2f}s")


def _token_of(session, message):
    from rxapp.models import TeamInvitation

    link = team.join_link_of(session.get(TeamInvitation, message.entity_id))
    return link.rsplit("/", 1)[-1]


async def test_r_team_4_join_page_registers_once(world):
    session = world["session"]
    msg = session.exec(select(OutboxMessage).where(
        OutboxMessage.entity_id == world["inv_id"],
        OutboxMessage.kind == team.KIND_INVITATION)).first()
    token = _token_of(session, msg)
    path = f"/join/{token}"
    page = make_state(JoinState, path=path)
    page.load()
    assert (page.status, page.invite_org, page.invite_role) == ("ok", "Alpha", "agent")
    await page.submit({"full_name": "", "password": "long-enough-pw", "confirm": "other"})
    assert page.name_error and page.confirm_error
    await page.submit({"full_name": "Nia New", "password": "long-enough-pw",
                       "confirm": "long-enough-pw"})
    assert page.done
    again = make_state(JoinState, path=path)
    again.load()
    assert again.status == "used"
    await again.submit({"full_name": "X", "password": "long-enough-pw",
                        "confirm": "long-enough-pw"})
    assert again.status == "used" and not again.done
    unknown = make_state(JoinState, path="/join/nope")
    unknown.load()
    assert unknown.status == "unknown"


def test_r_team_1_dashboard_counts_pending_and_renewals(world, frozen_clock):
    from datetime import timedelta

    session = world["session"]
    state = _state(TeamDashboardState, session, world["admin"], path="/team")
    state.load()
    assert (state.pending, state.renewals, state.members) == (1, 0, 3)
    msg = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == team.KIND_INVITATION)).first()
    token = _token_of(session, msg)
    later = frozen_clock.advance(timedelta(days=8))
    team.request_renewal(session, token=token, now=later)
    session.commit()
    state = make_state(TeamDashboardState, path="/team",
                       token=signed_in_token(session, world["admin"].id, later))
    state.load()
    assert (state.pending, state.renewals) == (0, 1)


@pytest.mark.parametrize("language", ["en", "de", "fr", "sv"])
def test_r_ui_1_team_emails_render_in_each_language(language):
    from rxapp.mail.render import render_parts

    context = {"name": "Ann", "link": "https://beckon.example/join/abc", "role": "Agent",
               "inviter": "Ada", "organization_name": "Acme", "expires": "2026-03-09 09:00 UTC",
               "invitee": "ann@x.example"}
    for kind in (team.KIND_INVITATION, team.KIND_EXPIRING, team.KIND_RENEWAL):
        subject, text, html = render_parts(kind=kind, language=language, context=context)
        assert subject and "{{" not in subject + text + html
        assert "https://beckon.example/join/abc" in text and "Acme" in text


def test_r_team_5_admin_edits_member_attributes(world):
    session = world["session"]
    state = _state(MembersState, session, world["admin"], path="/team/members")
    state.load()
    state.start_edit(world["agent"].id)
    state.toggle_edit("skills", "Swedish")
    state.toggle_edit("skills", "Klingon")  # not in the list: ignored
    state.set_edit_cos("internal_only")
    state.save_edit()
    session.expire_all()
    assert session.get(User, world["agent"].id).attributes["skills"] == ["Swedish"]
    state.set_filter("skills", "Swedish")
    assert [r["email"] for r in state.rows] == ["agent@alpha.example"]
    state.set_filter("class_of_service", "local_with_mobile")
    assert state.rows == []
    state.clear_filters()
    assert len(state.rows) == 3
