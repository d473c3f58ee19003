"""Team invitations service on SQLite and PostgreSQL (§5, R-TEAM-1..5, R-PLUS-2/3/10)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from rxapp.models import (
    AttributeOption,
    InvitationState,
    MessageState,
    Organization,
    OutboxMessage,
    TeamInvitation,
    User,
)
from rxapp.scheduler.kinds import check as check_still_wanted
from rxapp.services import team
from rxapp.services.accounts.auth import authenticate, resolve_session
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tokens import hash_token
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import signed_in_token

ATTRS = {"channels": ["Chat", "Phone"], "skills": ["Swedish"], "class_of_service":
         "local_with_mobile"}


def _principal(session, user):
    return resolve_session(session, token=signed_in_token(session, user.id, START), now=START)


@pytest.fixture
def admin(session, frozen_clock):
    org = make_org(session, name="Alpha")
    user = make_user(session, org, email="boss@alpha.example")
    for kind, value in (("channels", "Chat"), ("channels", "Phone"), ("skills", "Swedish"),
                        ("services", "Sales"), ("sites", "Malmö")):
        session.add(AttributeOption(organization_id=org.id, kind=kind, value=value))
    session.commit()
    return _principal(session, user)


def _messages(session, inv_id, kind=None):
    q = select(OutboxMessage).where(OutboxMessage.entity_type == team.ENTITY,
                                    OutboxMessage.entity_id == inv_id)
    if kind:
        q = q.where(OutboxMessage.kind == kind)
    return session.exec(q.order_by(OutboxMessage.id)).all()


def _link_sent(session, message):
    """The link the email carries, as the render-time hook rebuilds it."""
    return team.join_link_of(session.get(TeamInvitation, message.entity_id))


def _token_of(session, inv_id):
    msg = _messages(session, inv_id, team.KIND_INVITATION)[0]
    assert "link" not in msg.context  # never stored in the queued row
    return _link_sent(session, msg).rsplit("/", 1)[-1]


def test_r_team_3_invite_many_reports_each_address(session, admin):
    results = team.invite_many(
        session, principal=admin,
        emails=["new@x.example", "not-an-address", "BOSS@alpha.example", "new@x.example"],
        role="agent", attributes=ATTRS, now=START)
    session.commit()
    assert [r.outcome for r in results] == ["invited", "invalid", "already_member", "duplicate"]
    again = team.invite_many(session, principal=admin, emails=["new@x.example"], role="agent",
                             attributes={}, now=START)
    assert again[0].outcome == "already_invited"
    inv = session.get(TeamInvitation, results[0].invitation_id)
    assert inv.attributes["channels"] == ["Chat", "Phone"]
    assert inv.expires_at == START + timedelta(days=7)
    # One invitation email now, one "expires soon" a day before the end (R-PLUS-2).
    msgs = _messages(session, inv.id)
    assert [(m.kind, m.due_at) for m in msgs] == [
        (team.KIND_INVITATION, START), (team.KIND_EXPIRING, START + timedelta(days=6))]
    # Only the hash is stored; the link in the email matches it.
    assert inv.token_hash == hash_token(_token_of(session, inv.id))


def test_r_team_2_unknown_role_or_attribute_is_refused(session, admin):
    with pytest.raises(DomainError) as err:
        team.invite_many(session, principal=admin, emails=["a@x.example"], role="partner",
                         attributes={}, now=START)
    assert err.value.field == "role"
    with pytest.raises(DomainError) as err:
        team.invite_many(session, principal=admin, emails=["a@x.example"], role="agent",
                         attributes={"skills": ["Klingon"]}, now=START)
    assert err.value.field == "skills"
    assert session.exec(select(TeamInvitation)).all() == []


def test_r_acc_3_non_admin_and_other_org_are_refused(session, admin):
    res = team.invite_many(session, principal=admin, emails=["a@x.example"], role="agent",
                           attributes={}, now=START)
    session.commit()
    org = session.get(Organization, admin.organization_id)
    organizer = _principal(session, make_user(session, org, role="organizer"))
    with pytest.raises(NotAllowed):
        team.invite_many(session, principal=organizer, emails=["b@x.example"], role="agent",
                         attributes={}, now=START)
    other = _principal(session, make_user(session, make_org(session)))
    for fn in (team.revoke, team.resend):
        with pytest.raises(NotAllowed):
            fn(session, principal=other, invitation_id=res[0].invitation_id, now=START)
    with pytest.raises(NotAllowed):
        team.update_member_attributes(session, principal=other, user_id=admin.user_id,
                                      attributes={})
    assert team.list_invitations(session, principal=other, now=START) == []


def test_r_plus_3_resend_keeps_link_and_expiry(session, admin, frozen_clock):
    inv_id = team.invite_many(session, principal=admin, emails=["a@x.example"], role="agent",
                              attributes={}, now=START)[0].invitation_id
    session.commit()
    later = START + timedelta(days=2)
    expires = team.resend(session, principal=admin, invitation_id=inv_id, now=later)
    session.commit()
    assert expires == START + timedelta(days=7)
    first, second = _messages(session, inv_id, team.KIND_INVITATION)
    assert second.context == first.context and second.entity_id == first.entity_id
    assert _link_sent(session, second) == _link_sent(session, first)
    assert second.due_at == later


def test_r_team_1_revoke_cancels_messages_and_kills_link(session, admin):
    inv_id = team.invite_many(session, principal=admin, emails=["a@x.example"], role="agent",
                              attributes={}, now=START)[0].invitation_id
    session.commit()
    token = _token_of(session, inv_id)
    team.revoke(session, principal=admin, invitation_id=inv_id, now=START)
    session.commit()
    assert {m.state for m in _messages(session, inv_id)} == {MessageState.CANCELLED.value}
    assert team.link_status(session, token=token, now=START).status == "revoked"
    with pytest.raises(DomainError) as err:
        team.accept(session, token=token, full_name="A", password="long-enough-pw", now=START)
    assert err.value.code == "team.link.revoked"
    # Revoked invitations leave the pending list.
    assert team.list_invitations(session, principal=admin, now=START) == []


def test_r_team_4_accept_creates_member_once(session, admin):
    inv_id = team.invite_many(session, principal=admin, emails=["ann@x.example"], role="agent",
                              attributes=ATTRS, now=START)[0].invitation_id
    session.commit()
    token = _token_of(session, inv_id)
    with pytest.raises(DomainError) as err:
        team.accept(session, token=token, full_name="Ann", password="short", now=START)
    assert err.value.field == "password"
    user_id = team.accept(session, token=token, full_name="Ann Agent",
                          password="long-enough-pw", now=START + timedelta(hours=1))
    session.commit()
    user = session.get(User, user_id)
    assert (user.role, user.attributes["skills"]) == ("agent", ["Swedish"])
    assert authenticate(session, email="ann@x.example", password="long-enough-pw")
    with pytest.raises(DomainError) as err:
        team.accept(session, token=token, full_name="Ann", password="long-enough-pw", now=START)
    assert err.value.code == "team.link.used"
    # The "expires soon" email is no longer wanted.
    expiring = _messages(session, inv_id, team.KIND_EXPIRING)[0]
    assert expiring.state == MessageState.CANCELLED.value
    members = team.list_members(session, principal=admin, filters={"skills": "Swedish"})
    assert [m.email for m in members] == ["ann@x.example"]
    assert team.list_members(session, principal=admin, filters={"channels": "Email"}) == []


def test_r_plus_2_expired_link_asks_admins_once(session, admin):
    inv_id = team.invite_many(session, principal=admin, emails=["a@x.example"], role="agent",
                              attributes={}, now=START)[0].invitation_id
    session.commit()
    token = _token_of(session, inv_id)
    late = START + timedelta(days=8)
    # The send check stops a queued email for an expired invitation.
    msg = _messages(session, inv_id, team.KIND_EXPIRING)[0]
    assert check_still_wanted(session, msg, late) == "invitation expired"
    assert team.link_status(session, token=token, now=late).status == "expired"
    with pytest.raises(DomainError):
        team.accept(session, token=token, full_name="A", password="long-enough-pw", now=late)
    assert team.request_renewal(session, token=token, now=late)
    assert team.request_renewal(session, token=token, now=late)
    session.commit()
    notices = _messages(session, inv_id, team.KIND_RENEWAL)
    assert [m.recipient for m in notices] == ["boss@alpha.example"]
    row = team.list_invitations(session, principal=admin, now=late)[0]
    assert row.state == "expired" and row.renewal_requested_at == late
    renewed = team.renew(session, principal=admin, invitation_id=inv_id, now=late)
    session.commit()
    assert renewed.outcome == "invited"
    assert session.get(TeamInvitation, inv_id).state == InvitationState.EXPIRED.value


def test_r_plus_10_csv_checked_whole_before_sending(session, admin):
    bad = ("email,role,channels,class_of_service,skills\n"
           "a@x.example,agent,Chat;Phone,internal_only,Swedish\n"
           "b@x.example,wizard,Chat,,\n"
           "c@x.example,agent,Fax,,\n"
           "a@x.example,agent,,,\n")
    report = team.invite_csv(session, principal=admin, text=bad, now=START)
    assert not report.ok and not report.sent
    assert [r.problems for r in report.rows] == [
        [], ["team.csv.unknown_role"], ["team.csv.unknown_channels"],
        ["team.outcome.duplicate"]]
    assert session.exec(select(TeamInvitation)).all() == []
    good = "email,role,channels\na@x.example,agent,Chat\nb@x.example,team_leader,\n"
    report = team.invite_csv(session, principal=admin, text=good, now=START)
    session.commit()
    assert report.ok and report.sent
    assert len(session.exec(select(TeamInvitation)).all()) == 2
    assert team.check_csv(session, principal=admin, text="x,y\n1,2\n", now=START).file_problem


def test_r_team_5_attribute_lists_and_member_edit(session, admin):
    team.add_option(session, principal=admin, kind="skills", value="German")
    with pytest.raises(DomainError):
        team.add_option(session, principal=admin, kind="skills", value="German")
    with pytest.raises(DomainError):
        team.add_option(session, principal=admin, kind="class_of_service", value="x")
    row = team.update_member_attributes(session, principal=admin, user_id=admin.user_id,
                                        attributes={"skills": ["German"], "sites": ["Malmö"]})
    assert row.attributes["skills"] == ["German"]
    team.remove_option(session, principal=admin, kind="skills", value="German")
    assert "German" not in team.list_options(session, principal=admin)["skills"]
    assert team.pending_count(session, principal=admin, now=START) == 0
