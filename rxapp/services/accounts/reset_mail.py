"""The password-reset email (R-ACC-2), queued on the outbox like every other email."""

from datetime import datetime

from sqlmodel import Session

from rxapp.models.outbox import OutboxMessage
from rxapp.services.accounts import auth
from rxapp.services.common import outbox
from rxapp.settings import get_settings

KIND = "password_reset"


def schedule_reset_email(session: Session, *, request: auth.ResetRequest, now: datetime) -> None:
    """Queue the reset link for sending at once, in the caller's transaction."""
    settings = get_settings()
    outbox.schedule_message(
        session,
        organization_id=request.organization_id,
        recipient=request.email,
        recipient_name=request.full_name,
        kind=KIND,
        language=request.language,
        # The link itself is rebuilt when the email is rendered (reset_link_context).
        context={
            "name": request.full_name or request.email,
            "token_id": request.token_id,
            "minutes": settings.password_reset_minutes,
        },
        due_at=now,
        # One email per reset token.
        idempotency_key=f"{KIND}:{request.token_id}",
        entity_type="user",
        entity_id=request.user_id,
        now=now,
    )


def reset_link_context(session: Session, message: OutboxMessage, now: datetime) -> dict[str, str]:
    """Template value ``link``, rebuilt from the token's salt at send time."""
    token_id = int((message.context or {}).get("token_id") or 0)
    if not token_id:
        return {}
    link = auth.reset_link_of(session, token_id=token_id, now=now)
    return {"link": link} if link else {}


def check_reset_usable(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why a queued reset email must not go out (its link was used or expired), or None."""
    token_id = int((message.context or {}).get("token_id") or 0)
    if not token_id:
        return None  # not a link we issued (e.g. a test message with its own link)
    return None if auth.reset_link_of(session, token_id=token_id, now=now) else "link expired"

