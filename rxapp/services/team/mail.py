"""Send-time checks and links of team emails (R-MSG-2), for the scheduler's kind table."""

import logging
from datetime import datetime

from sqlmodel import Session

from rxapp import routes
from rxapp.models import (
    InvitationState,
    OutboxMessage,
    TeamInvitation,
)
from rxapp.services.common.tokens import derive_token
from rxapp.services.team.base import ENTITY

logger = logging.getLogger(__name__)


# --- send-time checks (R-MSG-2) -----------------------------------------------------


def check_still_pending(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why a queued invitation or expiry notice must not go out now, or None to send it."""
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


def join_link_context(session: Session, message: OutboxMessage, now: datetime) -> dict[str, str]:
    """Template value ``link`` of an invitation email, rebuilt at send time (R-PLUS-3)."""
    inv = session.get(TeamInvitation, message.entity_id) if message.entity_id else None
    return {"link": join_link_of(inv)} if inv is not None else {}
