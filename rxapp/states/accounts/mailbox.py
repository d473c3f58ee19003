"""The built-in mailbox page (admins only)."""

import re

import reflex as rx

from rxapp.db import session_scope
from rxapp.i18n.formats import format_datetime
from rxapp.services.accounts import mailbox
from rxapp.services.accounts.org_locale import org_locale
from rxapp.states.base import ADMIN, AppState

PAGE_SIZE = 50
_URL = re.compile(r"(https?://[^\s<>\"']+)")
# Links of the kept HTML open in a new tab: the sandbox allows popups (that escape it)
# and nothing else, so the email still runs no script inside the app.
_BASE = '<base target="_blank">'


def with_blank_target(html: str) -> str:
    """The email's HTML with every link opening in a new tab."""
    if not html:
        return html
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if head:
        return html[: head.end()] + _BASE + html[head.end():]
    return _BASE + html


def text_segments(text: str) -> list[dict[str, str]]:
    """The text part cut into plain runs and links, so links can be clicked."""
    segments = []
    for n, part in enumerate(_URL.split(text or "")):
        if part:
            segments.append({"text": part, "url": part if n % 2 else ""})
    return segments




class MailboxState(AppState):
    """Rows and the open message, as plain view values."""

    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    open_id: int = 0
    open_subject: str = ""
    open_recipient: str = ""
    open_received: str = ""
    open_text: str = ""
    open_html: str = ""
    open_status: list[dict[str, str]] = []
    open_segments: list[dict[str, str]] = []
    open_files: list[dict[str, str]] = []
    show_html: bool = True

    @rx.var
    def page_count(self) -> int:
        """How many pages the list has."""
        return max(1, -(-self.total // PAGE_SIZE))

    def _when(self, value, zone: str) -> str:  # noqa: ANN001
        # The organization's local time, named, since mail times are easy to misread.
        return format_datetime(value, self.language, zone, with_zone=True)

    @rx.event
    def load(self) -> None:
        """Read the first page and close any open message."""
        self.page = 0
        self.open_id = 0
        self._read()

    def _read(self) -> None:
        principal = self._require(*ADMIN)
        if principal is None:
            self.rows, self.total = [], 0
            return
        with session_scope() as session:
            rows, total = mailbox.list_mailbox(
                session, organization_id=principal.organization_id, limit=PAGE_SIZE,
                offset=self.page * PAGE_SIZE,
            )
            zone = org_locale(session, organization_id=principal.organization_id).timezone
        self.total = total
        self.rows = [
            {"id": str(r.id), "recipient": r.recipient, "subject": r.subject,
             "received": self._when(r.received_at, zone)}
            for r in rows
        ]

    @rx.event
    def go_page(self, delta: int) -> None:
        """Move to the previous or next page."""
        if delta not in (-1, 1):
            return
        self.page = min(max(0, self.page + delta), self.page_count - 1)
        self._read()

    @rx.event
    def refresh(self) -> None:
        """Read the current page again (new mail may have arrived)."""
        self._read()

    @rx.event
    def open_message(self, mailbox_id: str) -> None:
        """Show one message, if it belongs to the user's organization."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        try:
            wanted = int(mailbox_id)
        except (TypeError, ValueError):
            return
        with session_scope() as session:
            view = mailbox.get_mailbox_message(
                session, organization_id=principal.organization_id, mailbox_id=wanted,
                viewer_email=principal.email,
            )
            zone = org_locale(session, organization_id=principal.organization_id).timezone
        if view is None:
            self.open_id = 0
            return
        self.open_id = view.id
        self.open_subject = view.subject
        self.open_recipient = view.recipient
        self.open_received = self._when(view.received_at, zone)
        self.open_text = view.text_body
        self.open_html = with_blank_target(view.html_body)
        self.open_segments = text_segments(view.text_body)
        self.open_files = [
            {"position": str(a.position), "name": a.filename, "mime": a.mime,
             "size": f"{max(1, round(a.size / 1024))} KB"}
            for a in view.attachments
        ]
        self.show_html = bool(view.html_body)
        # Only failures carry a detail worth reading (the server's reason).
        self.open_status = [
            {"event": s.event, "at": self._when(s.at, zone),
             "detail": s.detail if s.event in ("failed", "cancelled") else ""}
            for s in view.status
        ]

    @rx.event
    def close_message(self) -> None:
        """Back to the list."""
        self.open_id = 0

    @rx.event
    def set_show_html(self, value: str | list[str]) -> None:
        """Switch between the HTML and the text part."""
        self.show_html = value == "html"
