"""Whether the whole outbox is paused, for every worker and every page to see (issue 14)."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class SendingPause(SQLModel, table=True):
    """Sending is paused while this row exists: the mail server refused our sender.

    There is at most one row (``id == 1``): one configuration problem, one alert.
    """

    __tablename__ = "sending_pause"

    id: int = Field(default=1, primary_key=True)
    # The server's words, shown to admins as is (e.g. "550 5.7.1 Relaying denied").
    reply: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    paused_at: datetime
    # When a worker last asked the server again whether it takes the sender.
    probed_at: datetime | None = None
