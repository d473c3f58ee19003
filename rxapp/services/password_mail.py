"""The password-reset email (R-ACC-2)."""

import logging
from datetime import datetime

from sqlmodel import Session

from rxapp import routes
from rxapp.services.auth import ResetRequest
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)


def schedule_reset_email(session: Session, *, request: ResetRequest, now: datetime) -> None:
    """Queue the reset link for sending, in the caller's transaction."""
    # Interim: the message engine (outbox + scheduler) takes this over.
    from rxapp.services import direct_mail

    settings = get_settings()
    direct_mail.send_after_commit(
        session,
        to=request.email,
        subject="Beckon password reset",
        body=f"Set a new password: {routes.reset_url(request.raw_token)}\n"
        f"The link works once and for {settings.password_reset_minutes} minutes.",
    )
