"""The password-reset email (R-ACC-2), queued on the outbox like every other email."""

from datetime import datetime

from sqlmodel import Session

from rxapp import clock
from rxapp.db import session_scope
from rxapp.mail.render import register_context_hook
from rxapp.models.outbox import OutboxMessage
from rxapp.services import auth, outbox
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


def reset_link_context(message: OutboxMessage) -> dict[str, str]:
    """Template value ``link``, rebuilt from the token's salt at send time."""
    token_id = int((message.context or {}).get("token_id") or 0)
    if not token_id:
        return {}
    with session_scope() as session:
        link = auth.reset_link_of(session, token_id=token_id, now=clock.now())
    return {"link": link} if link else {}


def _reset_still_usable(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    token_id = int((message.context or {}).get("token_id") or 0)
    if not token_id:
        return None  # not a link we issued (e.g. a test message with its own link)
    return None if auth.reset_link_of(session, token_id=token_id, now=now) else "link expired"


outbox.register_send_check(KIND, _reset_still_usable)
register_context_hook(KIND, reset_link_context)
