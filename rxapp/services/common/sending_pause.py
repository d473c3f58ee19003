"""The outbox-wide pause while the mail server refuses our sender (issue 14).

A 5xx reply to MAIL FROM (a wrong ``MAIL_FROM``, a relay that does not allow us) is a
configuration problem, not a problem of one message: failing every email for it would
lose the whole outbox. Instead every worker stops sending, the messages stay scheduled,
admins see one alert with the server's reply, and sending resumes by itself as soon as
the server takes the sender again (a worker probes it periodically).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from rxapp.models.sending import SendingPause

PAUSE_ID = 1


@dataclass(frozen=True)
class PauseInfo:
    """What admins are shown while sending is paused.

    Attributes:
        reply: The mail server's reply to our sender, e.g. ``"550 5.7.1 Relaying denied"``.
        since: When sending was paused.
        probed_at: When a worker last asked the server again (None: not yet).

    """

    reply: str
    since: datetime
    probed_at: datetime | None


def get_pause(session: Session) -> PauseInfo | None:
    """Return the current pause, or None while sending runs normally.

    Args:
        session: Any session.

    """
    row = session.get(SendingPause, PAUSE_ID, populate_existing=True)
    if row is None:
        return None
    return PauseInfo(reply=row.reply, since=row.paused_at, probed_at=row.probed_at)


def pause_sending(session: Session, *, reply: str, now: datetime) -> bool:
    """Pause the whole outbox because the server refused the sender; commits.

    Args:
        session: A session with no work pending (this commits).
        reply: The server's reply, kept for the admin alert.
        now: Current time.

    Returns:
        True when this call paused sending, False when it was paused already (the reply
        is updated, so the alert shows the latest words).

    """
    changed = session.execute(
        update(SendingPause).where(SendingPause.id == PAUSE_ID).values(reply=reply)
    ).rowcount
    if changed:
        session.commit()
        return False
    session.add(SendingPause(id=PAUSE_ID, reply=reply, paused_at=now))
    try:
        session.commit()
    except IntegrityError:
        # Another worker paused at the same moment: one pause, one alert.
        session.rollback()
        return False
    return True


def record_probe(session: Session, *, reply: str, now: datetime) -> None:
    """Note a probe that the server still refused; commits.

    Args:
        session: A session with no work pending.
        reply: The server's latest reply.
        now: Current time.

    """
    session.execute(
        update(SendingPause).where(SendingPause.id == PAUSE_ID).values(reply=reply, probed_at=now)
    )
    session.commit()


def resume_sending(session: Session) -> bool:
    """End the pause (the server takes our sender again); commits.

    Args:
        session: A session with no work pending.

    Returns:
        True when a pause was ended.

    """
    ended = session.execute(delete(SendingPause).where(SendingPause.id == PAUSE_ID)).rowcount
    session.commit()
    return bool(ended)
