"""Interim direct sending, used only until the outbox engine is merged."""

import logging
import smtplib
import threading
from email.message import EmailMessage

from sqlalchemy import event
from sqlmodel import Session

from rxapp.settings import get_settings

logger = logging.getLogger(__name__)


def send_after_commit(session: Session, *, to: str, subject: str, body: str) -> None:
    """Send a plain email in a thread once the caller's transaction has committed."""
    settings = get_settings()
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    def _send() -> None:
        if not settings.smtp_host:
            logger.info("mailbox mode: not sent", extra={"to": to})
            return
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(msg)

    @event.listens_for(session, "after_commit", once=True)
    def _after_commit(_session) -> None:  # noqa: ANN001
        threading.Thread(target=_send, daemon=True).start()
