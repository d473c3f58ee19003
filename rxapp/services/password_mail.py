"""The password-reset email (R-ACC-2), queued on the outbox like every other email."""

from datetime import datetime

from sqlmodel import Session

from rxapp import routes
from rxapp.services import outbox
from rxapp.services.auth import ResetRequest
from rxapp.services.tokens import hash_token
from rxapp.settings import get_settings

KIND = "password_reset"


def schedule_reset_email(session: Session, *, request: ResetRequest, now: datetime) -> None:
    """Queue the reset link for sending at once, in the caller's transaction."""
    settings = get_settings()
    outbox.schedule_message(
        session,
        organization_id=request.organization_id,
        recipient=request.email,
        recipient_name=request.full_name,
        kind=KIND,
        language=request.language,
        context={
            "name": request.full_name or request.email,
            "link": routes.reset_url(request.raw_token),
            "minutes": settings.password_reset_minutes,
        },
        due_at=now,
        # One email per reset token; the token's hash names it without revealing it.
        idempotency_key=f"{KIND}:{hash_token(request.raw_token)[:32]}",
        entity_type="user",
        entity_id=request.user_id,
        now=now,
    )
