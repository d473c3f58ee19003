"""Attachments of emails kept in the built-in mailbox (R-MSG-4)."""

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class MailboxAttachment(SQLModel, table=True):
    """One attached file of a kept email, downloadable from the mailbox page."""

    __tablename__ = "mailbox_attachment"
    __table_args__ = (
        UniqueConstraint("mailbox_id", "position", name="uq_mailbox_attachment_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    mailbox_id: int = Field(foreign_key="mailbox_message.id", index=True)
    position: int  # 0, 1, ... in the order of the email
    filename: str = Field(max_length=255)
    mime: str = Field(max_length=127)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
