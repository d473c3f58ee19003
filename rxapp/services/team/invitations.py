"""Inviting, resending, revoking and listing team invitations.

R-TEAM-1, R-TEAM-3, R-PLUS-2, R-PLUS-3.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.i18n import translate
from rxapp.i18n.formats import format_datetime
from rxapp.models import (
    LANGUAGES,
    InvitationState,
    Organization,
    OutboxMessage,
    StatusEvent,
    StatusKind,
    TeamInvitation,
)
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import outbox
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.person_fields import zone_ok
from rxapp.services.common.send_time import into_send_window, resolve_zone, window_of
from rxapp.services.common.status_log import StatusRow, record_status
from rxapp.services.common.tokens import derive_token, hash_token, new_salt
from rxapp.services.team.attributes import check_addresses, clean_attributes, list_options
from rxapp.services.team.base import (
    ENTITY,
    EXPIRY_NOTICE,
    INVITABLE_ROLES,
    INVITATION_DAYS,
    KIND_EXPIRING,
    KIND_INVITATION,
    InvitationRow,
    InviteResult,
    Outcome,
    _is_expired,
    _own_invitation,
    _require_admin,
    effective_state,
)
from rxapp.services.team.mail import TOKEN_PURPOSE
from rxapp.services.team.seats import check_seats

logger = logging.getLogger(__name__)


# --- inviting -----------------------------------------------------------------


def _role_label(language: str, role: str) -> str:
    return translate(language, f"team.role.{role}")


def _schedule_invitation_emails(
    session: Session, *, inv: TeamInvitation, org: Organization,
    inviter_name: str, now: datetime,
) -> None:
    # No link in the row: join_link_context rebuilds it when the email is rendered.
    zone = resolve_zone(inv.time_zone, org.timezone)
    context = {
        "name": inv.email,
        "role": _role_label(inv.language, inv.role),
        "inviter": inviter_name,
        "organization_name": org.name,
        "expires": format_datetime(inv.expires_at, inv.language, zone, with_zone=True),
    }
    outbox.schedule_message(
        session, organization_id=inv.organization_id, recipient=inv.email,
        kind=KIND_INVITATION, language=inv.language, context=context, due_at=now,
        idempotency_key=f"{ENTITY}:{inv.id}:invite", entity_type=ENTITY, entity_id=inv.id,
        now=now,
    )
    # The "expires soon" email is a time-of-day send: inside the send window, local to the
    # invitee (R-PLUS-1), and never after the link has run out.
    notice_at = into_send_window(inv.expires_at - EXPIRY_NOTICE, zone, window_of(org))
    if now < notice_at < inv.expires_at:
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
    language: str | None = None,
    time_zone: str | None = None,
) -> list[InviteResult]:
    """Invite each new address with one role and one set of attributes (R-TEAM-2, R-TEAM-3).

    Each new address gets one invitation, its email (queued now) and its "expires soon"
    email (queued for a day before the end, R-PLUS-2), all in the caller's transaction.
    Members, pending invitees, duplicates and invalid addresses are reported, not invited.
    ``language`` is the invitees' (each email is in it); None: the organization's default.
    ``time_zone`` is theirs (their "expires soon" email goes out in the send window
    there); None or empty: the organization's.

    Raises:
        NotAllowed: the caller is not an admin.
        DomainError: the role or an attribute value is unknown.

    """
    _require_admin(principal)
    role = _validate_role(role)
    zone = (time_zone or "").strip() or None
    if zone is not None and not zone_ok(zone):
        raise DomainError("participant.time_zone_unknown", field="time_zone")
    clean = clean_attributes(attributes, options=list_options(session, principal=principal))
    checked = check_addresses(session, principal=principal, emails=emails, now=now)
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    # Seats are checked before anything is written or queued (R-PLUS-10).
    check_seats(session, organization_id=org.id, now=now,
                adding=sum(r.outcome == Outcome.INVITED for r in checked))
    results: list[InviteResult] = []
    for result in checked:
        if result.outcome != Outcome.INVITED:
            results.append(result)
            continue
        inv = _create_invitation(session, principal=principal, org=org, email=result.email,
                                 role=role, attributes=clean, now=now, language=language,
                                 time_zone=zone)
        results.append(InviteResult(email=result.email, outcome=Outcome.INVITED,
                                    invitation_id=inv.id))
    logger.info("team invitations", extra={
        "organization_id": principal.organization_id,
        "invited": sum(r.outcome == Outcome.INVITED for r in results), "given": len(results),
    })
    return results


def _create_invitation(
    session: Session, *, principal: Principal, org: Organization, email: str, role: str,
    attributes: dict[str, Any], now: datetime, language: str | None = None,
    time_zone: str | None = None,
) -> TeamInvitation:
    salt = new_salt()
    lang = language if language in LANGUAGES else org.default_language
    inv = TeamInvitation(
        organization_id=org.id, email=email, role=role, language=lang, time_zone=time_zone,
        attributes=dict(attributes), token_hash=hash_token(derive_token(TOKEN_PURPOSE, salt)),
        link_salt=salt, invited_by=principal.user_id,
        created_at=now, expires_at=now + timedelta(days=org.invitation_days or INVITATION_DAYS),
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
    latest = session.exec(
        select(func.max(OutboxMessage.id)).where(OutboxMessage.entity_type == ENTITY,
                                                 OutboxMessage.entity_id == inv.id,
                                                 OutboxMessage.kind == KIND_INVITATION)
    ).one()
    # The key names the intent, "the resend after email N": a double click or two tabs
    # make the same key, and the second is refused as a duplicate (a domain error).
    outbox.schedule_message(
        session, organization_id=inv.organization_id, recipient=inv.email,
        kind=KIND_INVITATION, language=original.language, context=dict(original.context),
        due_at=now, idempotency_key=f"{ENTITY}:{inv.id}:resend:after:{latest}",
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
    check_seats(session, organization_id=org.id, adding=1, now=now)
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
            language=inv.language, time_zone=inv.time_zone,
        ))
    return rows


