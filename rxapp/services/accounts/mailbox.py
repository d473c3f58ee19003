"""The built-in mailbox (R-MSG-4): what would have been sent, per organization."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, func, select

from rxapp import routes
from rxapp.models.mailbox_files import MailboxAttachment
from rxapp.models.outbox import MailboxMessage, OutboxMessage
from rxapp.services.common.errors import NotAllowed
from rxapp.services.common.status_log import StatusRow, get_status_log
from rxapp.services.common.tenancy import is_row_id


@dataclass(frozen=True)
class MailboxRow:
    """One line of the mailbox list."""

    id: int
    recipient: str
    subject: str
    received_at: datetime


@dataclass(frozen=True)
class MailboxView:
    """One message as its recipient would see it, with the status log of what it concerns."""

    id: int
    recipient: str
    subject: str
    received_at: datetime
    text_body: str
    html_body: str
    status: list[StatusRow]
    attachments: list["AttachmentRow"] = field(default_factory=list)


@dataclass(frozen=True)
class AttachmentRow:
    """One attached file of a kept email (no content: the page links to the endpoint)."""

    position: int
    filename: str
    mime: str
    size: int


def list_mailbox(
    session: Session, *, organization_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[MailboxRow], int]:
    """Return one page of the organization's mailbox, newest first, and the total count."""
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    where = MailboxMessage.organization_id == organization_id
    total = session.exec(select(func.count()).select_from(MailboxMessage).where(where)).one()
    rows = session.exec(
        select(MailboxMessage)
        .where(where)
        .order_by(MailboxMessage.received_at.desc(), MailboxMessage.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [MailboxRow(r.id, r.recipient, r.subject, r.received_at) for r in rows], int(total)


# Links that are credentials: whoever holds one can set a password or create an account.
_CREDENTIAL_LINK = re.compile(
    "(" + "|".join(re.escape(p) for p in (routes.reset_path(""), routes.join_path(""))) + ")"
    + r"[A-Za-z0-9_\-.~%]+"
)
MASK = "••••••••"


def mask_credential_links(text: str) -> str:
    """Replace the token of every reset or join link in ``text`` with a mask."""
    return _CREDENTIAL_LINK.sub(lambda m: m.group(1) + MASK, text or "")


def get_mailbox_message(
    session: Session, *, organization_id: int, mailbox_id: int, viewer_email: str = ""
) -> MailboxView | None:
    """Return one message of the organization's mailbox; another organization's is None.

    Reset and join links are masked unless ``viewer_email`` is the message's recipient:
    an admin reading a colleague's reset email must not be able to take the account over.
    """
    row = session.get(MailboxMessage, mailbox_id) if is_row_id(mailbox_id) else None
    if row is None or row.organization_id != organization_id:
        return None
    status: list[StatusRow] = []
    source = session.get(OutboxMessage, row.outbox_id) if row.outbox_id else None
    if source is not None and source.entity_type and source.entity_id is not None:
        status = get_status_log(
            session,
            organization_id=organization_id,
            entity_type=source.entity_type,
            entity_id=source.entity_id,
        )
    own = bool(viewer_email) and viewer_email.strip().lower() == row.recipient.strip().lower()
    return MailboxView(
        id=row.id,
        recipient=row.recipient,
        subject=row.subject,
        received_at=row.received_at,
        text_body=row.text_body if own else mask_credential_links(row.text_body),
        html_body=row.html_body if own else mask_credential_links(row.html_body),
        status=status,
        attachments=[
            AttachmentRow(position=a.position, filename=a.filename, mime=a.mime, size=a.size)
            for a in session.exec(
                select(MailboxAttachment).where(MailboxAttachment.mailbox_id == row.id)
                .order_by(MailboxAttachment.position)
            ).all()
        ],
    )


def get_attachment(
    session: Session, *, organization_id: int, mailbox_id: object, position: object
) -> MailboxAttachment:
    """One attachment of a kept email of the caller's organization.

    Raises:
        NotAllowed: no such email or attachment, or another organization's.

    """
    if not isinstance(mailbox_id, int) or not isinstance(position, int):
        raise NotAllowed()
    message = session.get(MailboxMessage, mailbox_id)
    if message is None or message.organization_id != organization_id:
        raise NotAllowed()
    found = session.exec(
        select(MailboxAttachment).where(MailboxAttachment.mailbox_id == mailbox_id,
                                        MailboxAttachment.position == position)
    ).first()
    if found is None:
        raise NotAllowed()
    return found
