"""Real invitee links for page audits (Lighthouse, axe-core), made with the services.

Links are derived from the server secret, which lives in the app's data folder, so the
work runs in a subprocess with the app's ``DATA_DIR`` and ``DATABASE_URL``: the links
then are the ones the app under test accepts. :func:`remove_audit_data` undoes what
other tests could notice (a pending invitation, extra attribute values).
"""

import json
import os
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from rxapp import clock, db
from rxapp.models import Organization, Role, TeamInvitation, User
from rxapp.models.meetings import Attendee, Event
from rxapp.models.reviews import ReviewInvitation
from rxapp.services.accounts.auth import Principal, request_password_reset
from rxapp.services.common.tokens import derive_token
from rxapp.services.interactions.lifecycle import create_interaction
from rxapp.services.interactions.participants import add_participant
from rxapp.services.meetings.attendees import agenda_token
from rxapp.services.reviews.rules import TOKEN_PURPOSE as REVIEW_PURPOSE
from rxapp.services.team.attributes import add_option, list_options, remove_option
from rxapp.services.team.invitations import invite_many, revoke
from rxapp.services.team.mail import TOKEN_PURPOSE as TEAM_PURPOSE
from rxapp.settings import SECRET_FILE_NAME

ATTRIBUTE_LISTS = ("channels", "services", "sites", "skills")


@dataclass(frozen=True)
class InviteeTokens:
    """Raw tokens of one fresh interaction, team invitation and password reset."""

    take: str
    join: str
    reset: str
    participant_id: int  # has the open interaction of ``take``
    new_participant_id: int  # never invited: the "new interaction" page
    invitation_id: int
    agenda: str  # a demo attendee's agenda token ("" without a demo event)
    event_id: int  # the demo event (0 without one)
    review: str  # a demo review invitation waiting for its review ("" without one)
    added_options: tuple[tuple[str, str], ...] = field(default=())

    def paths(self) -> dict[str, str]:
        """Every invitee page, by a short name."""
        return {
            "login": "/login",
            "forgot": "/forgot",
            "reset": f"/reset/{self.reset}",
            "take": f"/i/{self.take}",
            "join": f"/join/{self.join}",
            **({"agenda": f"/agenda/{self.agenda}"} if self.agenda else {}),
            **({"review": f"/r/{self.review}"} if self.review else {}),
        }


def _demo_admin(session: Session) -> Principal:
    org = session.exec(select(Organization).where(Organization.slug == "demo")).one()
    admin = session.exec(
        select(User).where(User.organization_id == org.id, User.role == Role.ADMIN.value)
    ).first()
    return Principal(
        user_id=admin.id, organization_id=org.id, role=admin.role, email=admin.email,
        full_name=admin.full_name, language=admin.language, organization_name=org.name,
        modules=tuple(org.modules),
    )


def _in_app_env(data_dir: Path, database_url: str, *args: str) -> str:
    env = {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": database_url}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-m", "tests.e2e.invitee_tokens", *args], env=env,
                         cwd=root, check=True, capture_output=True, text=True)
    return out.stdout


def create_invitee_tokens(database_url: str, *, data_dir: Path,
                          language: str = "de") -> InviteeTokens:
    """Create two participants (one invited), a team invitation and a reset token.

    Args:
        database_url: The seeded database of the app under test.
        data_dir: The app's data folder (its secret).
        language: The participant's language (the page follows it).

    Returns:
        The raw tokens and ids.

    """
    if not (Path(data_dir) / SECRET_FILE_NAME).exists():
        raise RuntimeError(f"no server secret in {data_dir}: is the app running there?")
    raw = json.loads(_in_app_env(Path(data_dir), database_url, "create", language))
    raw["added_options"] = tuple(tuple(o) for o in raw["added_options"])
    return InviteeTokens(**raw)


def remove_audit_data(database_url: str, tokens: InviteeTokens, *, data_dir: Path) -> None:
    """Revoke the team invitation and remove the attribute values added for the audit."""
    _in_app_env(Path(data_dir), database_url, "remove", json.dumps(asdict(tokens)))


def _create(database_url: str, language: str) -> InviteeTokens:
    now = clock.now()
    tag = uuid.uuid4().hex[:8]
    with db.session_scope(database_url) as session:
        admin = _demo_admin(session)
        org_id = admin.organization_id
        participant = add_participant(
            session, organization_id=org_id, first_name="Lena", last_name="Audit",
            email=f"lena.{tag}@audit.example", language=language, now=now,
        )
        fresh = add_participant(
            session, organization_id=org_id, first_name="Nils", last_name="Audit",
            email=f"nils.{tag}@audit.example", language=language, now=now,
        )
        created = create_interaction(session, organization_id=org_id,
                                     participant_id=participant.id, now=now, auto_invite=False)
        # A value in every list, so the invite dialog's attribute step has checkboxes.
        added: list[tuple[str, str]] = []
        for kind in ATTRIBUTE_LISTS:
            if not list_options(session, principal=admin).get(kind):
                add_option(session, principal=admin, kind=kind, value=f"Audit {kind}")
                added.append((kind, f"Audit {kind}"))
        [result] = invite_many(session, principal=admin, emails=[f"new.{tag}@audit.example"],
                               role=Role.ORGANIZER.value, attributes={}, now=now)
        invitation = session.get(TeamInvitation, result.invitation_id)
        join = derive_token(TEAM_PURPOSE, invitation.link_salt)
        reset = request_password_reset(session, email=admin.email, now=now)
        attendee = session.exec(
            select(Attendee).join(Event, Event.id == Attendee.event_id)
            .where(Event.organization_id == org_id).order_by(Attendee.id)
        ).first()
        waiting = session.exec(
            select(ReviewInvitation).where(ReviewInvitation.organization_id == org_id,
                                           ReviewInvitation.state == "sent")
            .order_by(ReviewInvitation.id)
        ).first()
        return InviteeTokens(
            review=derive_token(REVIEW_PURPOSE, waiting.link_salt) if waiting else "",
            agenda=agenda_token(attendee) if attendee else "",
            event_id=attendee.event_id if attendee else 0,
            take=created.token, join=join, reset=reset.raw_token,
            participant_id=participant.id, new_participant_id=fresh.id,
            invitation_id=invitation.id, added_options=tuple(added),
        )


def _remove(database_url: str, tokens: InviteeTokens) -> None:
    with db.session_scope(database_url) as session:
        admin = _demo_admin(session)
        revoke(session, principal=admin, invitation_id=tokens.invitation_id, now=clock.now())
        for kind, value in tokens.added_options:
            remove_option(session, principal=admin, kind=kind, value=value)


if __name__ == "__main__":
    # python -m tests.e2e.invitee_tokens create LANG | remove TOKENS_JSON (DATABASE_URL set)
    url = os.environ["DATABASE_URL"]
    if sys.argv[1] == "create":
        sys.stdout.write(json.dumps(asdict(_create(url, sys.argv[2]))))
    else:
        data = json.loads(sys.argv[2])
        data["added_options"] = tuple(tuple(o) for o in data["added_options"])
        _remove(url, InviteeTokens(**data))
