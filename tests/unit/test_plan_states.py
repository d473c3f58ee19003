"""Plans, requests, overrides, members and profile handlers called directly (R-ACC-5, R-INT-3).

As a crafted websocket message would call them: a non-operator cannot read or change
plans, a wrong role or another organization's ids change nothing.
"""

import pytest
from sqlmodel import select

from rxapp.models import (
    AuthSession,
    Organization,
    OutboxMessage,
    Participant,
    PlanChange,
    PlanRequest,
    TeamInvitation,
    User,
)
from rxapp.services import platform, team
from rxapp.services.accounts.auth import resolve_session
from rxapp.services.interactions.participants import add_participant
from rxapp.states.accounts.profile import HomeState, ProfileState
from rxapp.states.interactions import ParticipantState
from rxapp.states.platform import PlatformOrgState, PlatformState
from rxapp.states.team import InvitationsState, MembersState
from tests.conftest import START
from tests.factories import PASSWORD, make_org, make_user
from tests.states import make_state, signed_in_token


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha", interactions_bought=0)
    beta = make_org(session, name="Beta")
    operator = platform.create_operator(session, email="op@vendor.example", password=PASSWORD,
                                        full_name="Olga Operator", now=START)
    session.commit()
    admin = make_user(session, alpha, email="boss@alpha.example")
    organizer = make_user(session, alpha, role="organizer", email="org@alpha.example")
    agent = make_user(session, alpha, role="agent", email="agent@alpha.example")
    beta_admin = make_user(session, beta, email="boss@beta.example")
    person = add_participant(session, organization_id=alpha.id, first_name="Anna",
                             last_name="Müller", email="anna@p.example", language="de",
                             now=START)
    other = add_participant(session, organization_id=beta.id, first_name="Bo",
                            last_name="Berg", email="bo@p.example", language="sv", now=START)
    session.commit()
    return {"session": session, "alpha": alpha, "beta": beta, "operator": operator,
            "admin": admin, "organizer": organizer, "agent": agent, "beta_admin": beta_admin,
            "person": person, "other": other}


def _state(cls, session, user, path="/"):
    return make_state(cls, token=signed_in_token(session, user.id, START), path=path)


# --- the console: operators only ----------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer", "agent", "beta_admin", None])
def test_r_acc_5_non_operators_get_nothing_from_the_console(world, who):
    s = world["session"]
    if who is None:
        state = make_state(PlatformState, path="/platform")
    else:
        state = _state(PlatformState, s, world[who], "/platform")
    state.load()
    assert state.orgs == [] and state.requests == []
    org_path = f"/platform/org/{world['alpha'].id}"
    page = (make_state(PlatformOrgState, path=org_path) if who is None
            else _state(PlatformOrgState, s, world[who], org_path))
    page.load()
    assert not page.found
    page.org_id = world["alpha"].id
    page.modules = ["interactions"]
    page.save({"interactions_bought": "999", "max_interactions_per_participant": "9",
               "team_seats": "999"})
    s.expire_all()
    assert s.get(Organization, world["alpha"].id).interactions_bought == 0
    assert s.exec(select(PlanChange)).all() == []


def test_r_acc_5_operator_changes_a_plan_and_the_history_says_what(world):
    s = world["session"]
    alpha = world["alpha"]
    console = _state(PlatformState, s, world["operator"], "/platform")
    console.load()
    names = [o["name"] for o in console.orgs]
    assert names == ["Alpha", "Beta"]  # the platform organization is not a customer
    state = _state(PlatformOrgState, s, world["operator"], f"/platform/org/{alpha.id}")
    state.load()
    assert state.found and state.interactions_bought == "0"
    state.toggle_module("reviews")  # off
    state.save({"interactions_bought": "20", "max_interactions_per_participant": "3",
                "team_seats": "100000", "note": "ticket 42"})
    s.expire_all()
    org = s.get(Organization, alpha.id)
    assert org.interactions_bought == 20 and "reviews" not in org.modules
    fields = {h["field"]: (h["old"], h["new"], h["note"]) for h in state.history}
    assert fields["interactions_bought"] == ("0", "20", "ticket 42")
    assert "modules" in fields and "team_seats" not in fields  # unchanged fields: no line
    # A bad number changes nothing and says which field.
    state.save({"interactions_bought": "-5", "max_interactions_per_participant": "3",
                "team_seats": "25"})
    assert state.errors == {"interactions_bought": "plans.error.number"}
    s.expire_all()
    assert s.get(Organization, alpha.id).interactions_bought == 20


def test_r_acc_5_operator_cannot_open_the_platform_organization(world):
    s = world["session"]
    platform_org = s.get(User, world["operator"].id).organization_id
    state = _state(PlatformOrgState, s, world["operator"], f"/platform/org/{platform_org}")
    state.load()
    assert not state.found


# --- request more -------------------------------------------------------------------------


def test_r_int_4_request_more_records_emails_operators_once(world):
    s = world["session"]
    path = f"/participants/{world['person'].id}"
    state = _state(ParticipantState, s, world["organizer"], path)
    state.load()
    assert state.reason == "interaction.none_left"
    state.request_more("interactions")
    state.request_more("interactions")  # a second click: no second request or email
    requests = s.exec(select(PlanRequest)).all()
    assert [(r.organization_id, r.kind) for r in requests] == [(world["alpha"].id,
                                                                "interactions")]
    mails = s.exec(select(OutboxMessage).where(OutboxMessage.kind == "plan_request")).all()
    assert [m.recipient for m in mails] == ["op@vendor.example"]
    assert mails[0].context["customer"] == "Alpha"
    assert state.requested == ["interactions"]
    # The operator sees it, and closes it.
    console = _state(PlatformState, s, world["operator"], "/platform")
    console.load()
    assert [r["org"] for r in console.requests] == ["Alpha"]
    console.mark_handled(int(console.requests[0]["id"]))
    assert console.requests == []


@pytest.mark.parametrize("who", ["agent", None])
def test_r_int_4_request_more_refused_for_wrong_role(world, who):
    s = world["session"]
    path = f"/participants/{world['person'].id}"
    state = (make_state(ParticipantState, path=path) if who is None
             else _state(ParticipantState, s, world[who], path))
    state.request_more("interactions")
    assert s.exec(select(PlanRequest)).all() == []


def test_r_int_4_request_more_rejects_unknown_kind_and_operator_cannot_request(world):
    s = world["session"]
    state = _state(ParticipantState, s, world["admin"], f"/participants/{world['person'].id}")
    state.request_more("unlimited_everything")
    op = _state(ParticipantState, s, world["operator"], f"/participants/{world['person'].id}")
    op.request_more("interactions")
    assert s.exec(select(PlanRequest)).all() == []


def test_non_operator_cannot_mark_requests_handled(world):
    s = world["session"]
    principal = resolve_session(s, token=signed_in_token(s, world["admin"].id, START), now=START)
    request, _ = platform.request_more(s, principal=principal, kind="team_seats", now=START)
    s.commit()
    for who in ("admin", "beta_admin"):
        _state(PlatformState, s, world[who], "/platform").mark_handled(request.id)
    s.expire_all()
    assert s.get(PlanRequest, request.id).handled_at is None


# --- the admin's override of one participant's maximum ---------------------------------------


def test_r_int_3_admin_overrides_one_participants_maximum(world):
    s = world["session"]
    pid = world["person"].id
    state = _state(ParticipantState, s, world["admin"], f"/participants/{pid}")
    state.load()
    state.save_max_override({"max_override": "5"})
    s.expire_all()
    assert s.get(Participant, pid).max_interactions_override == 5
    assert state.max_override == "5"
    state.save_max_override({"max_override": "many"})
    assert state.override_error == "participant.max_interactions_invalid"
    state.save_max_override({"max_override": ""})
    s.expire_all()
    assert s.get(Participant, pid).max_interactions_override is None


def test_r_int_3_override_refused_for_organizer_and_other_org(world):
    s = world["session"]
    pid = world["person"].id
    _state(ParticipantState, s, world["organizer"], f"/participants/{pid}").save_max_override(
        {"max_override": "9"})
    _state(ParticipantState, s, world["beta_admin"], f"/participants/{pid}").save_max_override(
        {"max_override": "9"})
    s.expire_all()
    assert s.get(Participant, pid).max_interactions_override is None


# --- modules: a team handler checks the plan has the team module -------------------------------


def test_r_acc_5_team_handlers_refuse_without_the_team_module(world):
    s = world["session"]
    alpha = s.get(Organization, world["alpha"].id)
    alpha.modules = ["interactions"]
    s.add(alpha)
    s.commit()
    members = _state(MembersState, s, world["admin"], "/team/members")
    members.load()
    assert members.rows == []
    members.change_role(world["agent"].id, "admin")
    inv = _state(InvitationsState, s, world["admin"], "/team/invitations")
    inv.open_stepper()
    assert inv.step == 0
    s.expire_all()
    assert s.get(User, world["agent"].id).role == "agent"


# --- members: role and deactivation ------------------------------------------------------------


def test_r_team_members_role_change_and_deactivation(world):
    s = world["session"]
    agent_id = world["agent"].id
    agent_token = signed_in_token(s, agent_id, START)
    # The agent had invited someone (as an admin, earlier): that invitation must stop.
    s.add(TeamInvitation(organization_id=world["alpha"].id, email="x@y.example", role="agent",
                         token_hash="h" * 64, invited_by=agent_id, created_at=START,
                         expires_at=START.replace(year=2027)))
    s.commit()
    state = _state(MembersState, s, world["admin"], "/team/members")
    state.load()
    state.change_role(agent_id, "team_leader")
    s.expire_all()
    assert s.get(User, agent_id).role == "team_leader"
    state.ask_deactivate(agent_id)
    assert state.confirm_deactivate_id == agent_id
    state.deactivate()
    s.expire_all()
    assert s.get(User, agent_id).is_active is False
    assert s.exec(select(AuthSession).where(AuthSession.user_id == agent_id)).all() == []
    assert resolve_session(s, token=agent_token, now=START) is None
    assert s.exec(select(TeamInvitation.state)).all() == ["revoked"]
    # The admin's own account is out of reach; another organization's member too.
    state.change_role(world["admin"].id, "agent")
    state.change_role(world["beta_admin"].id, "agent")
    state.ask_deactivate(world["admin"].id)
    assert state.confirm_deactivate_id == 0
    s.expire_all()
    assert s.get(User, world["admin"].id).role == "admin"
    assert s.get(User, world["beta_admin"].id).role == "admin"


@pytest.mark.parametrize("who", ["organizer", "agent", "beta_admin"])
def test_r_team_role_change_refused_for_non_admins_and_other_orgs(world, who):
    s = world["session"]
    state = _state(MembersState, s, world[who], "/team/members")
    state.change_role(world["agent"].id, "admin")
    state.confirm_deactivate_id = world["agent"].id
    state.deactivate()
    s.expire_all()
    agent = s.get(User, world["agent"].id)
    assert agent.role == "agent" and agent.is_active


# --- seats (R-PLUS-10) ----------------------------------------------------------------------------


def test_r_plus_10_stepper_checks_seats_before_sending(world):
    s = world["session"]
    alpha = s.get(Organization, world["alpha"].id)
    alpha.team_seats = 4  # 3 members already
    s.add(alpha)
    s.commit()
    state = _state(InvitationsState, s, world["admin"], "/team/invitations")
    state.open_stepper()
    state.add_addresses({"addresses": "a@n.example b@n.example"})
    result = state.send()
    assert result is None and not state.sending
    assert "4 team seats" in state.seats_error and "Nothing was sent" in state.seats_error
    assert s.exec(select(TeamInvitation)).all() == []
    assert s.exec(select(OutboxMessage)).all() == []


def test_r_plus_10_csv_import_checks_seats_before_sending(world):
    s = world["session"]
    alpha = s.get(Organization, world["alpha"].id)
    alpha.team_seats = 4
    s.add(alpha)
    s.commit()
    principal = resolve_session(s, token=signed_in_token(s, world["admin"].id, START), now=START)
    text = "email,role\nc1@n.example,agent\nc2@n.example,agent\n"
    report = team.invite_csv(s, principal=principal, text=text, now=START)
    assert not report.ok and not report.sent
    assert report.file_problem == "team.error.seats"
    assert report.problem_params == {"seats": 4, "used": 3, "adding": 2, "free": 1}
    assert s.exec(select(TeamInvitation)).all() == []


# --- profile and home ---------------------------------------------------------------------


def test_r_team_4_profile_name_language_password(world):
    s = world["session"]
    agent = world["agent"]
    other_device = signed_in_token(s, agent.id, START)
    state = _state(ProfileState, s, agent, "/profile")
    state.load()
    assert state.email == "agent@alpha.example"
    state.set_my_language("sv")
    state.save({"full_name": "  Agnes Agent "})
    s.expire_all()
    me = s.get(User, agent.id)
    assert (me.full_name, me.language) == ("Agnes Agent", "sv")
    state.save({"full_name": " "})
    assert state.errors == {"full_name": "profile.error.name_required"}
    state.change_password({"current_password": "wrong", "new_password": "n3w-passw0rd-ok",
                           "confirm_password": "n3w-passw0rd-ok"})
    assert state.errors == {"current": "profile.error.current_wrong"}
    state.change_password({"current_password": PASSWORD, "new_password": "n3w-passw0rd-ok",
                           "confirm_password": "n3w-passw0rd-ok"})
    assert state.errors == {}
    # This device stays signed in, the other one is signed out.
    assert resolve_session(s, token=state._session_token(), now=START) is not None
    assert resolve_session(s, token=other_device, now=START) is None


def test_r_team_4_home_shows_role_and_attributes(world):
    s = world["session"]
    agent = s.get(User, world["agent"].id)
    agent.attributes = {"skills": ["Swedish"], "class_of_service": "internal_only"}
    s.add(agent)
    s.commit()
    state = _state(HomeState, s, agent)
    state.load()
    assert (state.me_org, state.me_role) == ("Alpha", "agent")
    assert {"kind": "skills", "value": "Swedish", "cos": ""} in state.me_attributes
    anonymous = make_state(HomeState)
    anonymous.load()
    assert anonymous.me_role == ""


# --- team settings: invitation expiry, reply address; attribute values ------------------------


def test_r_team_1_invitation_expiry_is_an_organization_setting(world):
    from datetime import timedelta

    from rxapp.states.accounts.contact_settings import ContactSettingsState

    s = world["session"]
    state = _state(ContactSettingsState, s, world["admin"], "/settings")
    state.load()
    assert state.invitation_days == "7"
    state.save({"invitation_days": "91", "contact_email": ""})
    assert state.errors == {"invitation_days": "settings.error.days"}
    state.save({"invitation_days": "3", "contact_email": "not an address"})
    assert state.errors == {"contact_email": "error.email_invalid"}
    state.save({"invitation_days": "3", "contact_email": "Hello@Alpha.example"})
    assert state.errors == {}
    s.expire_all()
    org = s.get(Organization, world["alpha"].id)
    assert (org.invitation_days, org.contact_email) == (3, "hello@alpha.example")
    principal = resolve_session(s, token=signed_in_token(s, world["admin"].id, START), now=START)
    inv_id = team.invite_many(s, principal=principal, emails=["late@x.example"], role="agent",
                              attributes={}, now=START)[0].invitation_id
    assert s.get(TeamInvitation, inv_id).expires_at == START + timedelta(days=3)
    # Organizers and other organizations' admins change nothing.
    for who in ("organizer", "beta_admin"):
        _state(ContactSettingsState, s, world[who], "/settings").save(
            {"invitation_days": "30", "contact_email": "x@y.example"})
    s.expire_all()
    assert s.get(Organization, world["alpha"].id).invitation_days == 3


def test_r_team_2_attribute_values_unique_regardless_of_case(world):
    from rxapp.services.common.errors import DomainError

    s = world["session"]
    principal = resolve_session(s, token=signed_in_token(s, world["admin"].id, START), now=START)
    team.add_option(s, principal=principal, kind="skills", value="Swedish")
    with pytest.raises(DomainError) as err:
        team.add_option(s, principal=principal, kind="skills", value="  sWEDISH ")
    assert err.value.code == "team.error.option_exists"


def test_r_acc_5_module_pages_guard_the_plan_on_load(world):
    from rxapp.states.base import AppState

    s = world["session"]
    alpha = s.get(Organization, world["alpha"].id)
    alpha.modules = ["reviews"]
    s.add(alpha)
    s.commit()
    for guard in ("enter_team", "enter_interactions"):
        state = _state(AppState, s, world["admin"], "/team")
        result = type(state).event_handlers[guard].fn(state)
        assert "forbidden" in str(result), guard
    alpha.modules = ["team", "interactions"]
    s.add(alpha)
    s.commit()
    state = _state(AppState, s, world["admin"], "/team")
    assert type(state).event_handlers["enter_team"].fn(state) is None
    assert [m["module"] for m in state.module_nav] == ["interactions", "team"]
    # With a selector, the modules leave the link bar; the operator has the console.
    assert "/team" not in [n["route"] for n in state.bar_nav]
    op = _state(AppState, s, world["operator"], "/platform")
    assert type(op).event_handlers["enter_operator"].fn(op) is None
    assert [n["route"] for n in op.nav] == ["/", "/platform", "/profile"]
    assert "forbidden" in str(type(state).event_handlers["enter_operator"].fn(state))
