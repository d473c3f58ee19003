"""A file attached to an email at send time (a report PDF, a meeting's .ics)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """One attachment: its file name, MIME type and bytes."""

    filename: str
    mime: str
    content: bytes
