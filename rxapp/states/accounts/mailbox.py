"""The built-in mailbox page (admins only)."""

import reflex as rx

from rxapp.db import session_scope
from rxapp.services.accounts import mailbox
from rxapp.states.base import ADMIN, AppState

PAGE_SIZE = 50


def _when(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d %H:%M UTC")


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
    show_html: bool = True

    @rx.var
    def page_count(self) -> int:
        """How many pages the list has."""
        return max(1, -(-self.total // PAGE_SIZE))

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
        self.total = total
        self.rows = [
            {"id": str(r.id), "recipient": r.recipient, "subject": r.subject,
             "received": _when(r.received_at)}
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
        if view is None:
            self.open_id = 0
            return
        self.open_id = view.id
        self.open_subject = view.subject
        self.open_recipient = view.recipient
        self.open_received = _when(view.received_at)
        self.open_text = view.text_body
        self.open_html = view.html_body
        self.show_html = bool(view.html_body)
        # Only failures carry a detail worth reading (the server's reason).
        self.open_status = [
            {"event": s.event, "at": _when(s.at),
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
