"""Team invitations, members and their attributes (§5, R-TEAM-1..5, R-PLUS-2/3/10).

Every function takes the signed-in :class:`Principal` and refuses anyone but an admin
of the organization concerned (``NotAllowed``); ids of another organization are
refused the same way as unknown ids. The invitee's functions (:func:`link_status`,
:func:`accept`, :func:`request_renewal`) take the link token instead.

The link token is random and only its hash is stored. The invitation email carries
the link in its outbox context; "resend" copies that context into a new message, so
the same link keeps working with the same expiry (R-PLUS-3).
"""

import csv
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from rxapp import routes
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.mail.render import register_context_hook
from rxapp.models import (
    AttributeKind,
    AttributeOption,
    ClassOfService,
    InvitationState,
    Organization,
    OutboxMessage,
    Role,
    StatusEvent,
    StatusKind,
    TeamInvitation,
    User,
)
from rxapp.models.team import LIST_KINDS
from rxapp.services import outbox
from rxapp.services.auth import Principal, email_problem, normalize_email
from rxapp.services.errors import DomainError, NotAllowed
from rxapp.services.passwords import hash_password, password_problem
from rxapp.services.status_log import StatusRow, record_status
from rxapp.services.tenancy import owned_row
from rxapp.services.tokens import derive_token, hash_token, new_salt

logger = logging.getLogger(__name__)

ENTITY = "team_invitation"
KIND_INVITATION = "team_invitation"
KIND_EXPIRING = "team_invitation_expiring"
KIND_RENEWAL = "team_renewal_request"

# Organization-level setting kept as a constant for now (R-TEAM-1: default 7 days).
INVITATION_DAYS = 7
# The one "expires soon" email goes this long before the end (R-PLUS-2).
EXPIRY_NOTICE = timedelta(days=1)
MAX_ADDRESSES = 5000
MAX_OPTION_LENGTH = 80

INVITABLE_ROLES: tuple[str, ...] = (
    Role.AGENT.value,
    Role.TEAM_LEADER.value,
    Role.QUALITY_ASSESSOR.value,
    Role.ORGANIZER.value,
    Role.ADMIN.value,
)
ATTRIBUTE_KINDS: tuple[str, ...] = tuple(k.value for k in AttributeKind)
CLASSES_OF_SERVICE: tuple[str, ...] = tuple(c.value for c in ClassOfService)


class Outcome:
    """What happened to one address of an invite (R-TEAM-3)."""

    INVITED = "invited"  # a new invitation and its email are queued
    INVALID = "invalid"  # not an email address
    ALREADY_MEMBER = "already_member"  # a member of this organization already
    ALREADY_INVITED = "already_invited"  # a pending invitation exists already
    DUPLICATE = "duplicate"  # given twice in the same list
    UNAVAILABLE = "unavailable"  # the address has an account elsewhere


class LinkStatus:
    """What an invitee's link is worth right now."""

    OK = "ok"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class InviteResult:
    """The outcome of one address."""

    email: str
    outcome: str
    invitation_id: int | None = None


@dataclass(frozen=True)
class InvitationRow:
    """A team invitation as the invitations page shows it."""

    id: int
    email: str
    role: str
    attributes: dict[str, Any]
    state: str
    created_at: datetime
    expires_at: datetime
    last_sent_at: datetime | None
    renewal_requested_at: datetime | None
    log: list[StatusRow] = field(default_factory=list)


@dataclass(frozen=True)
class MemberRow:
    """A member as the members page shows it (no password hash, no token)."""

    id: int
    email: str
    full_name: str
    role: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class JoinInfo:
    """What the invitee's page needs to know about a link."""

    status: str
    organization_name: str = ""
    role: str = ""
    email: str = ""
    language: str = "en"
    expires_at: datetime | None = None
    renewal_requested: bool = False


@dataclass
class CsvRow:
    """One line of a bulk CSV, with what is wrong with it (R-PLUS-10)."""

    line: int
    email: str
    role: str
    attributes: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    outcome: str = ""


@dataclass
class CsvReport:
    """The whole file's check; nothing is sent unless ``ok``."""

    rows: list[CsvRow]
    ok: bool
    file_problem: str = ""
    sent: bool = False


# --- guards -----------------------------------------------------------------


def _require_admin(principal: Principal | None) -> Principal:
    if principal is None or principal.role != Role.ADMIN.value:
        raise NotAllowed()
    return principal


def _own_invitation(
    session: Session, principal: Principal, invitation_id: object
) -> TeamInvitation:
    return owned_row(session, TeamInvitation, invitation_id,
                     organization_id=principal.organization_id)


def _is_expired(inv: TeamInvitation, now: datetime) -> bool:
    return inv.state == InvitationState.EXPIRED.value or (
        inv.state == InvitationState.PENDING.value and inv.expires_at <= now
    )


def effective_state(inv: TeamInvitation, now: datetime) -> str:
    """The state as it is now: a pending invitation past its end counts as expired."""
    return InvitationState.EXPIRED.value if _is_expired(inv, now) else inv.state


# --- addresses and attributes -------------------------------------------------

_SPLIT = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """Split typed or pasted text into addresses (comma, semicolon, space or newline)."""
    return [part for part in _SPLIT.split(text or "") if part]


def list_options(session: Session, *, principal: Principal) -> dict[str, list[str]]:
    """Return the organization's attribute lists, each sorted, plus the fixed class of service."""
    _require_admin(principal)
    rows = session.exec(
        select(AttributeOption)
        .where(AttributeOption.organization_id == principal.organization_id)
        .order_by(AttributeOption.kind, AttributeOption.value)
    ).all()
    options: dict[str, list[str]] = {kind: [] for kind in LIST_KINDS}
    for row in rows:
        options.setdefault(row.kind, []).append(row.value)
    options[AttributeKind.CLASS_OF_SERVICE.value] = list(CLASSES_OF_SERVICE)
    return options


def clean_attributes(
    attributes: object, *, options: dict[str, list[str]]
) -> dict[str, Any]:
    """Return attributes limited to known kinds and the organization's values.

    Raises:
        DomainError: a value is not in the organization's list (``field`` names the kind).

    """
    raw = attributes if isinstance(attributes, dict) else {}
    clean: dict[str, Any] = {}
    for kind in LIST_KINDS:
        values = raw.get(kind) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list | tuple):
            raise DomainError("team.error.attribute_unknown", field=kind)
        allowed = set(options.get(kind, []))
        chosen: list[str] = []
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                raise DomainError("team.error.attribute_unknown", field=kind)
            if value not in chosen:
                chosen.append(value)
        clean[kind] = sorted(chosen)
    cos = raw.get(AttributeKind.CLASS_OF_SERVICE.value) or ""
    if cos and cos not in CLASSES_OF_SERVICE:
        raise DomainError("team.error.attribute_unknown", field="class_of_service")
    clean[AttributeKind.CLASS_OF_SERVICE.value] = cos
    return clean


def _existing(session: Session, *, organization_id: int, emails: Sequence[str], now: datetime):
    """Members, other-organization accounts and pending invitations among ``emails``."""
    members: set[str] = set()
    elsewhere: set[str] = set()
    invited: set[str] = set()
    unique = sorted(set(emails))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        for email, org_id in session.exec(
            select(User.email, User.organization_id).where(col(User.email).in_(chunk))
        ).all():
            (members if org_id == organization_id else elsewhere).add(email)
        for email in session.exec(
            select(TeamInvitation.email).where(
                TeamInvitation.organization_id == organization_id,
                TeamInvitation.state == InvitationState.PENDING.value,
                TeamInvitation.expires_at > now,
                col(TeamInvitation.email).in_(chunk),
            )
        ).all():
            invited.add(email)
    return members, elsewhere, invited


def check_addresses(
    session: Session, *, principal: Principal, emails: Iterable[str], now: datetime
) -> list[InviteResult]:
    """Say, without changing anything, what inviting each address would do (the chips)."""
    _require_admin(principal)
    results: list[InviteResult] = []
    normalized = [normalize_email(e) for e in list(emails)[:MAX_ADDRESSES]]
    valid = [e for e in normalized if email_problem(e) is None]
    members, elsewhere, invited = _existing(
        session, organization_id=principal.organization_id, emails=valid, now=now
    )
    seen: set[str] = set()
    for email in normalized:
        if email_problem(email) is not None:
            outcome = Outcome.INVALID
        elif email in seen:
            outcome = Outcome.DUPLICATE
        elif email in members:
            outcome = Outcome.ALREADY_MEMBER
        elif email in elsewhere:
            outcome = Outcome.UNAVAILABLE
        elif email in invited:
            outcome = Outcome.ALREADY_INVITED
        else:
            outcome = Outcome.INVITED
        seen.add(email)
        results.append(InviteResult(email=email, outcome=outcome))
    return results


# --- inviting -----------------------------------------------------------------


def _role_label(language: str, role: str) -> str:
    return translate(language, f"team.role.{role}")


def _schedule_invitation_emails(
    session: Session, *, inv: TeamInvitation, org: Organization,
    inviter_name: str, now: datetime,
) -> None:
    # No link in the row: join_link_context rebuilds it when the email is rendered.
    context = {
        "name": inv.email,
        "role": _role_label(inv.language, inv.role),
        "inviter": inviter_name,
        "organization_name": org.name,
        "expires": inv.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
    }
    outbox.schedule_message(
        session, organization_id=inv.organization_id, recipient=inv.email,
        kind=KIND_INVITATION, language=inv.language, context=context, due_at=now,
        idempotency_key=f"{ENTITY}:{inv.id}:invite", entity_type=ENTITY, entity_id=inv.id,
        now=now,
    )
    notice_at = inv.expires_at - EXPIRY_NOTICE
    if notice_at > now:
        outbox.schedule_message(
            session, organization_id=inv.organization_id, recipient=inv.email,
            kind=KIND_EXPIRING, language=inv.language, context=context, due_at=notice_at,
            idempotency_key=f"{ENTITY}:{inv.id}:expiring", entity_type=ENTITY,
            entity_id=inv.id, now=now,
        )


def _validate_role(role: object) -> str:
    if not isinstance(role, str) or role not in INVITABLE_ROLES:
        raise DomainError("team.error.role_unknown", field="role")
    return role


def invite_many(
    session: Session,
    *,
    principal: Principal,
    emails: Iterable[str],
    role: str,
    attributes: object,
    now: datetime,
) -> list[InviteResult]:
    """Invite each new address with one role and one set of attributes (R-TEAM-2, R-TEAM-3).

    Each new address gets one invitation, its email (queued now) and its "expires soon"
    email (queued for a day before the end, R-PLUS-2), all in the caller's transaction.
    Members, pending invitees, duplicates and invalid addresses are reported, not invited.

    Raises:
        NotAllowed: the caller is not an admin.
        DomainError: the role or an attribute value is unknown.

    """
    _require_admin(principal)
    role = _validate_role(role)
    clean = clean_attributes(attributes, options=list_options(session, principal=principal))
    checked = check_addresses(session, principal=principal, emails=emails, now=now)
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    results: list[InviteResult] = []
    for result in checked:
        if result.outcome != Outcome.INVITED:
            results.append(result)
            continue
        inv = _create_invitation(session, principal=principal, org=org, email=result.email,
                                 role=role, attributes=clean, now=now)
        results.append(InviteResult(email=result.email, outcome=Outcome.INVITED,
                                    invitation_id=inv.id))
    logger.info("team invitations", extra={
        "organization_id": principal.organization_id,
        "invited": sum(r.outcome == Outcome.INVITED for r in results), "given": len(results),
    })
    return results


def _create_invitation(
    session: Session, *, principal: Principal, org: Organization, email: str, role: str,
    attributes: dict[str, Any], now: datetime,
) -> TeamInvitation:
    salt = new_salt()
    inv = TeamInvitation(
        organization_id=org.id, email=email, role=role, language=org.default_language,
        attributes=dict(attributes), token_hash=hash_token(derive_token(TOKEN_PURPOSE, salt)),
        link_salt=salt, invited_by=principal.user_id,
        created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(inv)
    session.flush()
    _schedule_invitation_emails(session, inv=inv, org=org,
                                inviter_name=principal.full_name or principal.email, now=now)
    return inv


def resend(session: Session, *, principal: Principal, invitation_id: int,
           now: datetime) -> datetime:
    """Send the invitation email again with the same link and expiry (R-PLUS-3).

    Returns:
        The unchanged expiry, for the page to show.

    Raises:
        NotAllowed: not an admin, or not an invitation of the admin's organization.
        DomainError: the invitation is no longer pending or has expired.

    """
    _require_admin(principal)
    inv = _own_invitation(session, principal, invitation_id)
    if effective_state(inv, now) != InvitationState.PENDING.value:
        raise DomainError("team.error.not_pending")
    original = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.entity_type == ENTITY, OutboxMessage.entity_id == inv.id,
               OutboxMessage.kind == KIND_INVITATION)
        .order_by(col(OutboxMessage.id))
    ).first()
    if original is None:
        raise DomainError("team.error.not_pending")
    count = session.exec(
        select(OutboxMessage.id).where(OutboxMessage.entity_type == ENTITY,
                                       OutboxMessage.entity_id == inv.id,
                                       OutboxMessage.kind == KIND_INVITATION)
    ).all()
    outbox.schedule_message(
        session, organization_id=inv.organization_id, recipient=inv.email,
        kind=KIND_INVITATION, language=original.language, context=dict(original.context),
        due_at=now, idempotency_key=f"{ENTITY}:{inv.id}:resend:{len(count)}",
        entity_type=ENTITY, entity_id=inv.id, now=now,
    )
    return inv.expires_at


def revoke(session: Session, *, principal: Principal, invitation_id: int, now: datetime) -> None:
    """Withdraw a pending invitation: its link dies and its queued emails are cancelled.

    Raises:
        NotAllowed: not an admin, or not an invitation of the admin's organization.
        DomainError: the invitation was already accepted or revoked.

    """
    _require_admin(principal)
    inv = _own_invitation(session, principal, invitation_id)
    if inv.state not in (InvitationState.PENDING.value, InvitationState.EXPIRED.value):
        raise DomainError("team.error.not_pending")
    inv.state = InvitationState.REVOKED.value
    inv.revoked_at = now
    session.add(inv)
    outbox.cancel_messages(session, entity_type=ENTITY, entity_id=inv.id, now=now,
                           reason="invitation revoked")
    record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                  entity_id=inv.id, event=StatusKind.REVOKED, now=now,
                  detail=principal.email)
    session.flush()


def renew(session: Session, *, principal: Principal, invitation_id: int,
          now: datetime) -> InviteResult:
    """Answer an invitee's request for a new link: a fresh invitation, same role and attributes.

    Raises:
        NotAllowed: not an admin, or not an invitation of the admin's organization.
        DomainError: the invitation has not expired.

    """
    _require_admin(principal)
    inv = _own_invitation(session, principal, invitation_id)
    if not _is_expired(inv, now):
        raise DomainError("team.error.not_expired")
    _mark_expired(session, inv, now)
    org = session.get(Organization, principal.organization_id)
    checked = check_addresses(session, principal=principal, emails=[inv.email], now=now)[0]
    if checked.outcome != Outcome.INVITED:
        return checked
    fresh = _create_invitation(session, principal=principal, org=org, email=inv.email,
                               role=inv.role, attributes=inv.attributes, now=now)
    return InviteResult(email=inv.email, outcome=Outcome.INVITED, invitation_id=fresh.id)


def _mark_expired(session: Session, inv: TeamInvitation, now: datetime) -> None:
    if inv.state == InvitationState.PENDING.value and inv.expires_at <= now:
        inv.state = InvitationState.EXPIRED.value
        session.add(inv)
        record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                      entity_id=inv.id, event=StatusKind.EXPIRED, now=now)


# --- listing ------------------------------------------------------------------


def pending_count(session: Session, *, principal: Principal, now: datetime) -> int:
    """How many invitations wait for an answer (the dashboard tile, R-TEAM-1)."""
    _require_admin(principal)
    return len(session.exec(
        select(TeamInvitation.id).where(
            TeamInvitation.organization_id == principal.organization_id,
            TeamInvitation.state == InvitationState.PENDING.value,
            TeamInvitation.expires_at > now,
        )
    ).all())


def _open_invitations(principal: Principal):  # noqa: ANN202
    return (
        TeamInvitation.organization_id == principal.organization_id,
        col(TeamInvitation.state).in_([InvitationState.PENDING.value,
                                       InvitationState.EXPIRED.value]),
    )


def count_renewal_requests(session: Session, *, principal: Principal, now: datetime) -> int:
    """How many expired invitations ask for a new link (shown on the dashboard, R-PLUS-2)."""
    _require_admin(principal)
    return session.exec(
        select(func.count()).select_from(TeamInvitation).where(
            *_open_invitations(principal),
            col(TeamInvitation.renewal_requested_at).is_not(None),
            TeamInvitation.expires_at <= now,
        )
    ).one()


def count_invitations(session: Session, *, principal: Principal) -> int:
    """How many invitations the list holds (pending and expired), for paging."""
    _require_admin(principal)
    return session.exec(
        select(func.count()).select_from(TeamInvitation).where(*_open_invitations(principal))
    ).one()


def list_invitations(
    session: Session, *, principal: Principal, now: datetime, offset: int = 0,
    limit: int | None = None,
) -> list[InvitationRow]:
    """Return the invitations not yet accepted nor revoked, newest first, with status logs.

    Args:
        session: Any session.
        principal: An admin.
        now: Current time (decides which pending ones count as expired).
        offset: Rows to skip (paging).
        limit: At most this many rows; None for all.

    """
    _require_admin(principal)
    query = (
        select(TeamInvitation)
        .where(*_open_invitations(principal))
        .order_by(col(TeamInvitation.created_at).desc(), col(TeamInvitation.id).desc())
        .offset(max(0, int(offset)))
    )
    if limit is not None:
        query = query.limit(max(1, int(limit)))
    invs = session.exec(query).all()
    logs: dict[int, list[StatusRow]] = {inv.id: [] for inv in invs}
    ids = list(logs)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for ev in session.exec(
            select(StatusEvent)
            .where(StatusEvent.organization_id == principal.organization_id,
                   StatusEvent.entity_type == ENTITY, col(StatusEvent.entity_id).in_(chunk))
            .order_by(StatusEvent.at, StatusEvent.id)
        ).all():
            logs[ev.entity_id].append(StatusRow(event=ev.event, at=ev.at, detail=ev.detail,
                                                message_id=ev.message_id))
    rows = []
    for inv in invs:
        sent = [r.at for r in logs[inv.id] if r.event == StatusKind.SENT.value]
        rows.append(InvitationRow(
            id=inv.id, email=inv.email, role=inv.role, attributes=dict(inv.attributes or {}),
            state=effective_state(inv, now), created_at=inv.created_at,
            expires_at=inv.expires_at, last_sent_at=max(sent) if sent else None,
            renewal_requested_at=inv.renewal_requested_at, log=logs[inv.id],
        ))
    return rows


def _matches(attributes: dict[str, Any], filters: dict[str, str]) -> bool:
    for kind, wanted in filters.items():
        if not wanted:
            continue
        have = attributes.get(kind)
        if isinstance(have, list):
            if wanted not in have:
                return False
        elif have != wanted:
            return False
    return True


def list_members(
    session: Session, *, principal: Principal, filters: dict[str, str] | None = None
) -> list[MemberRow]:
    """Return the organization's members, filtered by role and any attribute (R-TEAM-5).

    Args:
        session: Any session.
        principal: An admin.
        filters: ``{"role" or attribute kind: value}``; empty values are ignored.

    """
    _require_admin(principal)
    filters = {k: v for k, v in (filters or {}).items()
               if isinstance(v, str) and v and k in (*ATTRIBUTE_KINDS, "role")}
    role = filters.pop("role", "")
    query = select(User).where(User.organization_id == principal.organization_id)
    if role:
        query = query.where(User.role == role)
    users = session.exec(query.order_by(User.full_name, User.email)).all()
    return [
        MemberRow(id=u.id, email=u.email, full_name=u.full_name, role=u.role,
                  attributes=dict(u.attributes or {}))
        for u in users if _matches(u.attributes or {}, filters)
    ]


def update_member_attributes(
    session: Session, *, principal: Principal, user_id: int, attributes: object
) -> MemberRow:
    """Change a member's attributes (admin only, own organization).

    Raises:
        NotAllowed: not an admin, or the user belongs to another organization.
        DomainError: a value is not in the organization's lists.

    """
    _require_admin(principal)
    user = owned_row(session, User, user_id, organization_id=principal.organization_id)
    user.attributes = clean_attributes(attributes, options=list_options(session,
                                                                        principal=principal))
    session.add(user)
    session.flush()
    return MemberRow(id=user.id, email=user.email, full_name=user.full_name, role=user.role,
                     attributes=dict(user.attributes))


def add_option(session: Session, *, principal: Principal, kind: str, value: str) -> None:
    """Add a value to one of the organization's attribute lists.

    Raises:
        NotAllowed: not an admin.
        DomainError: unknown list, empty, too long or already there.

    """
    _require_admin(principal)
    if kind not in LIST_KINDS:
        raise DomainError("team.error.attribute_unknown", field="kind")
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        raise DomainError("team.error.option_required", field=kind)
    if len(value) > MAX_OPTION_LENGTH or "," in value or ";" in value:
        raise DomainError("team.error.option_invalid", field=kind)
    if value in list_options(session, principal=principal)[kind]:
        raise DomainError("team.error.option_exists", field=kind)
    session.add(AttributeOption(organization_id=principal.organization_id, kind=kind,
                                value=value))
    session.flush()


def remove_option(session: Session, *, principal: Principal, kind: str, value: str) -> None:
    """Remove a value from a list; members and invitations keep what they already have."""
    _require_admin(principal)
    row = session.exec(select(AttributeOption).where(
        AttributeOption.organization_id == principal.organization_id,
        AttributeOption.kind == kind, AttributeOption.value == value,
    )).first()
    if row is not None:
        session.delete(row)
        session.flush()


# --- the invitee's side -----------------------------------------------------------


def _by_token(session: Session, token: str) -> TeamInvitation | None:
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return session.exec(
        select(TeamInvitation).where(TeamInvitation.token_hash == hash_token(token))
    ).first()


def _link_status(inv: TeamInvitation | None, now: datetime) -> str:
    if inv is None:
        return LinkStatus.UNKNOWN
    if inv.state == InvitationState.ACCEPTED.value:
        return LinkStatus.USED
    if inv.state == InvitationState.REVOKED.value:
        return LinkStatus.REVOKED
    if _is_expired(inv, now):
        return LinkStatus.EXPIRED
    return LinkStatus.OK


def link_status(session: Session, *, token: str, now: datetime) -> JoinInfo:
    """Tell the invitee's page what the link is worth; the first visit is logged as opened."""
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if inv is None:
        return JoinInfo(status=status)
    org = session.get(Organization, inv.organization_id)
    if status == LinkStatus.OK:
        opened = session.exec(select(StatusEvent.id).where(
            StatusEvent.organization_id == inv.organization_id,
            StatusEvent.entity_type == ENTITY, StatusEvent.entity_id == inv.id,
            StatusEvent.event == StatusKind.OPENED.value,
        )).first()
        if opened is None:
            record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                          entity_id=inv.id, event=StatusKind.OPENED, now=now)
    elif status == LinkStatus.EXPIRED:
        _mark_expired(session, inv, now)
    return JoinInfo(
        status=status, organization_name=org.name if org else "", role=inv.role,
        email=inv.email, language=inv.language, expires_at=inv.expires_at,
        renewal_requested=inv.renewal_requested_at is not None,
    )


def accept(
    session: Session, *, token: str, full_name: str, password: str, now: datetime
) -> int:
    """Register the invitee as a member with the invitation's role and attributes (R-TEAM-4).

    The link works once: the state changes from pending to accepted in one conditional
    update, so two submissions of the same link cannot both create a user.

    Returns:
        The new user's id.

    Raises:
        DomainError: ``field`` set for a bad name or password; otherwise the link's
            problem (``team.link.expired``, ``team.link.revoked``, ``team.link.used``,
            ``team.link.unknown``).

    """
    full_name = (full_name if isinstance(full_name, str) else "").strip()
    password = password if isinstance(password, str) else ""
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if status != LinkStatus.OK:
        raise DomainError(f"team.link.{status}")
    if not full_name:
        raise DomainError("team.error.name_required", field="full_name")
    if len(full_name) > 200:
        raise DomainError("team.error.name_too_long", field="full_name")
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field="password")
    if session.exec(select(User.id).where(User.email == inv.email)).first() is not None:
        raise DomainError("team.link.used")
    claimed = session.execute(
        update(TeamInvitation)
        .where(TeamInvitation.id == inv.id,
               TeamInvitation.state == InvitationState.PENDING.value)
        .values(state=InvitationState.ACCEPTED.value, accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError("team.link.used")
    user = User(
        organization_id=inv.organization_id, email=inv.email, full_name=full_name,
        password_hash=hash_password(password), role=inv.role, language=inv.language,
        attributes=dict(inv.attributes or {}), created_at=now,
    )
    session.add(user)
    session.flush()
    session.execute(
        update(TeamInvitation).where(TeamInvitation.id == inv.id)
        .values(accepted_user_id=user.id).execution_options(synchronize_session=False)
    )
    outbox.cancel_messages(session, entity_type=ENTITY, entity_id=inv.id, now=now,
                           reason="invitation accepted")
    record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                  entity_id=inv.id, event=StatusKind.ACCEPTED, now=now, detail=full_name)
    session.expire(inv)
    return user.id


def request_renewal(session: Session, *, token: str, now: datetime) -> bool:
    """An invitee with an expired link asks for a new one; every admin is told (R-PLUS-2).

    Returns:
        True when the request is recorded (once; asking again sends nothing more).

    Raises:
        DomainError: the link is not expired (``team.link.<status>``).

    """
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if status != LinkStatus.EXPIRED:
        raise DomainError(f"team.link.{status}")
    _mark_expired(session, inv, now)
    if inv.renewal_requested_at is not None:
        return True
    inv.renewal_requested_at = now
    session.add(inv)
    org = session.get(Organization, inv.organization_id)
    admins = session.exec(select(User).where(
        User.organization_id == inv.organization_id, User.role == Role.ADMIN.value,
        User.is_active == True,  # noqa: E712 - SQL comparison
    )).all()
    for admin in admins:
        outbox.schedule_message(
            session, organization_id=inv.organization_id, recipient=admin.email,
            recipient_name=admin.full_name, kind=KIND_RENEWAL, language=admin.language,
            context={
                "name": admin.full_name or admin.email, "invitee": inv.email,
                "role": _role_label(admin.language, inv.role),
                "link": routes.team_invitations_url(),
                "organization_name": org.name if org else "",
            },
            due_at=now, idempotency_key=f"{ENTITY}:{inv.id}:renewal:{admin.id}",
            entity_type=ENTITY, entity_id=inv.id, now=now,
        )
    session.flush()
    return True


# --- bulk from CSV (R-PLUS-10) -------------------------------------------------------

CSV_COLUMNS = ("email", "role", *ATTRIBUTE_KINDS)
MAX_CSV_ROWS = MAX_ADDRESSES


def _csv_values(cell: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", cell or "") if v.strip()]


def check_csv(session: Session, *, principal: Principal, text: str, now: datetime) -> CsvReport:
    """Check a whole CSV (email, role, channels, class_of_service, services, sites, skills).

    Every row is checked (address, role, each attribute value against the organization's
    lists, duplicates, members and pending invitations) and nothing is written.
    """
    _require_admin(principal)
    if not isinstance(text, str) or not text.strip():
        return CsvReport(rows=[], ok=False, file_problem="team.csv.empty")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header or "role" not in header:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.header")
    reader.fieldnames = header
    options = list_options(session, principal=principal)
    rows: list[CsvRow] = []
    for index, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_CSV_ROWS:
            return CsvReport(rows=[], ok=False, file_problem="team.csv.too_many")
        raw = {k: (v or "") for k, v in raw.items() if isinstance(k, str)}
        if not any(v.strip() for v in raw.values()):
            continue
        attrs: dict[str, Any] = {k: _csv_values(raw.get(k, "")) for k in LIST_KINDS}
        attrs["class_of_service"] = raw.get("class_of_service", "").strip()
        row = CsvRow(line=index, email=normalize_email(raw.get("email", "")),
                     role=raw.get("role", "").strip().lower(), attributes=attrs)
        if row.role not in INVITABLE_ROLES:
            row.problems.append("team.csv.unknown_role")
        for kind in LIST_KINDS:
            if any(v not in options[kind] for v in attrs[kind]):
                row.problems.append(f"team.csv.unknown_{kind}")
        if attrs["class_of_service"] and attrs["class_of_service"] not in CLASSES_OF_SERVICE:
            row.problems.append("team.csv.unknown_class_of_service")
        rows.append(row)
    if not rows:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.empty")
    checked = check_addresses(session, principal=principal, emails=[r.email for r in rows],
                              now=now)
    for row, result in zip(rows, checked, strict=True):
        row.outcome = result.outcome
        if result.outcome != Outcome.INVITED:
            row.problems.insert(0, f"team.outcome.{result.outcome}")
    return CsvReport(rows=rows, ok=all(not r.problems for r in rows))


def invite_csv(session: Session, *, principal: Principal, text: str, now: datetime) -> CsvReport:
    """Check the whole CSV, then invite every row, or nothing at all if any row is wrong."""
    report = check_csv(session, principal=principal, text=text, now=now)
    if not report.ok:
        return report
    org = session.get(Organization, principal.organization_id)
    options = list_options(session, principal=principal)
    for row in report.rows:
        attrs = clean_attributes(row.attributes, options=options)
        _create_invitation(session, principal=principal, org=org, email=row.email,
                           role=row.role, attributes=attrs, now=now)
    report.sent = True
    return report


# --- send-time checks (R-MSG-2) -----------------------------------------------------


def _still_pending(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    inv = session.get(TeamInvitation, message.entity_id) if message.entity_id else None
    if inv is None or message.entity_type != ENTITY:
        return "invitation gone"
    if inv.state != InvitationState.PENDING.value:
        return f"invitation {inv.state}"
    if inv.expires_at <= now:
        return "invitation expired"
    return None


TOKEN_PURPOSE = "team_invitation"  # noqa: S105 - a label mixed into the HMAC, not a secret


def join_link_of(inv: TeamInvitation) -> str:
    """The invitee's join link, rebuilt from the invitation's salt and the server secret."""
    return routes.join_url(derive_token(TOKEN_PURPOSE, inv.link_salt))


def join_link_context(message: OutboxMessage) -> dict[str, str]:
    """Template value ``link`` of an invitation email, rebuilt at send time (R-PLUS-3)."""
    with session_scope() as session:
        inv = session.get(TeamInvitation, message.entity_id) if message.entity_id else None
        return {"link": join_link_of(inv)} if inv is not None else {}


outbox.register_send_check(KIND_INVITATION, _still_pending)
outbox.register_send_check(KIND_EXPIRING, _still_pending)
register_context_hook(KIND_INVITATION, join_link_context)
register_context_hook(KIND_EXPIRING, join_link_context)
