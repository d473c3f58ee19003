"""Sales contacts invited as partner users through the team invitation flow (R-BM-3)."""

import pytest
from sqlmodel import select

from rxapp.models import Organization, OutboxMessage, Role, TeamInvitation, User
from rxapp.models.meetings import PartnerContact
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tokens import derive_token
from rxapp.services.meetings import contact_invites
from rxapp.services.meetings.access import partner_scope
from rxapp.services.team import joining
from rxapp.services.team.mail import TOKEN_PURPOSE
from rxapp.states.meetings.partners import PartnersState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.meeting_factories import make_world
from tests.states import make_state, signed_in_token


def _principal(session, user, role=None) -> Principal:
    org = session.get(Organization, user.organization_id)
    return Principal(user_id=user.id, organization_id=org.id, role=role or user.role,
                     email=user.email, full_name=user.full_name or "", language="en",
                     organization_name=org.name, modules=("meetings",))


@pytest.fixture
def world(session):
    w = make_world(session, now=START)
    w.organizer = make_user(session, session.get(Organization, w.org_id), role="organizer")
    session.commit()
    return w


def _invite(session, w, email="ines@acier.example", partner="P1", **kw):
    args = {"name": "Inès Martin", "language": "fr"} | kw
    return contact_invites.invite_sales_contact(
        session, principal=_principal(session, w.organizer), partner_id=w.partners[partner].id,
        email=email, now=START, **args)


def test_invited_contact_registers_into_the_partners_space(session, world):
    w = world
    inv = _invite(session, w, email="Ines@Acier.example")
    session.commit()
    assert (inv.role, inv.email, inv.language) == ("partner", "ines@acier.example", "fr")
    assert inv.attributes["partner_id"] == w.partners["P1"].id
    mail = session.exec(select(OutboxMessage).where(
        OutboxMessage.recipient == "ines@acier.example")).all()
    assert "team_invitation" in {m.kind for m in mail}
    assert [i["email"] for i in contact_invites.pending_contact_invitations(
        session, organization_id=w.org_id, partner_ids=[w.partners["P1"].id], now=START)] == [
        "ines@acier.example"]
    token = derive_token(TOKEN_PURPOSE, inv.link_salt)
    user_id = joining.accept(session, token=token, full_name="Inès Martin",
                             password="a long pass phrase 42", now=START)
    session.commit()
    user = session.get(User, user_id)
    assert user.role == Role.PARTNER.value and "partner_id" not in (user.attributes or {})
    assert session.exec(select(PartnerContact).where(
        PartnerContact.user_id == user_id)).one().partner_id == w.partners["P1"].id
    scope = partner_scope(session, organization_id=w.org_id, user_id=user_id)
    assert scope.partner_id == w.partners["P1"].id and scope.event_id == w.event.id
    assert contact_invites.pending_contact_invitations(
        session, organization_id=w.org_id, partner_ids=[w.partners["P1"].id], now=START) == []


def test_invite_refuses_bad_input_duplicates_and_strangers(session, world):
    w = world
    for kw, code in (({"email": "nope"}, "participant.email_invalid"),
                     ({"name": "  "}, "meetings.contact_name_required"),
                     ({"language": "xx"}, "participant.language_unknown"),
                     ({"language": None}, "participant.language_unknown")):
        with pytest.raises(DomainError) as err:
            _invite(session, w, **kw)
        assert err.value.code == code
    _invite(session, w)
    with pytest.raises(DomainError) as err:
        _invite(session, w, partner="P2")
    assert err.value.code == "meetings.contact_already_invited"
    partner_user = session.get(User, w.users["P0"])
    with pytest.raises(DomainError) as err:
        _invite(session, w, email=partner_user.email)
    assert err.value.code == "meetings.contact_already_member"
    # A partner user cannot invite; another organization's organizer cannot touch P1.
    with pytest.raises(NotAllowed):
        contact_invites.invite_sales_contact(
            session, principal=_principal(session, partner_user), email="x@example.com",
            partner_id=w.partners["P1"].id, name="X", language="en", now=START)
    other = make_org(session)
    stranger = make_user(session, other, role="admin")
    with pytest.raises(NotAllowed):
        contact_invites.invite_sales_contact(
            session, principal=_principal(session, stranger), email="x@example.com",
            partner_id=w.partners["P1"].id, name="X", language="en", now=START)
    assert len(session.exec(select(TeamInvitation)).all()) == 1


def test_handler_invites_and_answers_junk(app_db, session, world, frozen_clock):
    w = world
    token = signed_in_token(session, w.organizer.id, START)
    state = make_state(PartnersState, token=token, path=f"/events/{w.event.id}/partners")
    state.event_id = w.event.id
    for junk in (None, "x", [], {"partner_id": {"a": 1}, "email": 5},
                 {"partner_id": "999999", "email": "a@example.com", "name": "A",
                  "language": "en"}):
        state.invite_contact(junk)
    assert session.exec(select(TeamInvitation)).all() == []
    state.invite_contact({"partner_id": str(w.partners["P0"].id), "email": "bad",
                          "name": "Ann", "language": "en"})
    assert state.invite_errors == {"email": "participant.email_invalid"}
    result = state.invite_contact({"partner_id": str(w.partners["P0"].id),
                                   "email": "ann@example.com", "name": "Ann",
                                   "language": "de"})
    assert result is not None and state.invite_errors == {}
    assert [i["email"] for i in state.invited] == ["ann@example.com"]
    assert session.exec(select(TeamInvitation)).one().language == "de"
    # A partner user's socket is refused.
    partner_token = signed_in_token(session, w.users["P0"], START)
    state = make_state(PartnersState, token=partner_token,
                       path=f"/events/{w.event.id}/partners")
    state.event_id = w.event.id
    state.invite_contact({"partner_id": str(w.partners["P0"].id), "email": "eve@example.com",
                          "name": "Eve", "language": "en"})
    assert len(session.exec(select(TeamInvitation)).all()) == 1
