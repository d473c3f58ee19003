"""Purchases: the list, the form and the CSV import (§4, issue 11 point 1)."""

import logging
from datetime import UTC, datetime

import reflex as rx
from babel.dates import format_datetime

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.models.reviews import PurchaseSource
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.reviews.listing import PAGE_SIZE, list_purchases, purchase_log
from rxapp.services.reviews.purchases import PurchaseInput, record_purchases
from rxapp.states.base import STAFF, AppState

logger = logging.getLogger(__name__)
_FIELDS = ("email", "name", "customer_language", "timezone", "order_reference", "day", "time",
           "products")


def _when(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    return format_datetime(moment, "d MMM y, HH:mm", tzinfo="UTC", locale=language) + " UTC"


def _products(text: str) -> tuple[tuple[str, str], ...]:
    """One product per line: ``SKU`` or ``SKU; name``."""
    items = []
    for line in (text or "").splitlines():
        if line.strip():
            sku, _, name = line.partition(";")
            items.append((sku.strip(), name.strip()))
    return tuple(items)


class PurchasesState(AppState):
    """The purchases page; the form keeps what was typed when it is refused."""

    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    search: str = ""

    email: str = ""
    name: str = ""
    # Not `language`: that name is the UI language (AppState); the list, its dates and
    # messages are in the UI language, the customer's emails in this one.
    customer_language: str = "en"
    timezone: str = ""
    order_reference: str = ""
    day: str = ""
    time: str = ""
    products: str = ""
    error_field: str = ""
    error_text: str = ""
    result_text: str = ""

    log_reference: str = ""
    log_rows: list[dict[str, str]] = []

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.REVIEWS.value, *STAFF)

    def _reload(self, organization_id: int) -> None:
        with session_scope() as session:
            rows, self.total = list_purchases(
                session, organization_id=organization_id, search=self.search, page=self.page
            )
        lang = self.language  # the UI language
        self.rows = [
            {
                "id": str(r.id),
                "reference": r.order_reference,
                "customer": r.customer_name or r.customer_email,
                "email": r.customer_email,
                "when": _when(r.occurred_at, lang),
                "products": r.products,
                "source": r.source,
                "states": ", ".join(
                    self._tr(f"reviews.state.{part.split(':')[1]}")
                    for part in r.invitation_states.split(",")
                    if ":" in part
                ),
                "next": _when(r.next_due_at, lang),
            }
            for r in rows
        ]

    @rx.var
    def pages(self) -> int:
        """Number of pages of purchases."""
        return max((self.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    @rx.event
    def load(self) -> None:
        """First page of purchases; a fresh form dated now."""
        principal = self._guard()
        if principal is None:
            return
        now = clock.now()
        self.day, self.time = now.strftime("%Y-%m-%d"), now.strftime("%H:%M")
        self.page = 0
        self.result_text = ""
        self._reload(principal.organization_id)

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        """Keep one typed value."""
        if name in _FIELDS and isinstance(value, str):
            setattr(self, name, value[:2000])

    @rx.event
    def set_search(self, value: str) -> None:
        """Search by order reference or email."""
        principal = self._guard()
        if principal is None or not isinstance(value, str):
            return
        self.search, self.page = value[:100], 0
        self._reload(principal.organization_id)

    @rx.event
    def go_page(self, delta: int) -> None:
        """Next or previous page."""
        principal = self._guard()
        if principal is None or delta not in (-1, 1):
            return
        self.page = min(max(self.page + delta, 0), self.pages - 1)
        self._reload(principal.organization_id)

    @rx.event
    def submit(self) -> None:
        """Record the typed purchase; errors go next to their field, nothing typed is lost."""
        principal = self._guard()
        if principal is None:
            return
        try:
            occurred = datetime.fromisoformat(f"{self.day}T{self.time or '00:00'}").replace(
                tzinfo=UTC
            )
        except ValueError:
            self.error_field, self.error_text = "day", self._tr("reviews.time_invalid")
            return
        item = PurchaseInput(
            email=self.email,
            order_reference=self.order_reference,
            occurred_at=occurred,
            name=self.name,
            language=self.customer_language,
            timezone=self.timezone.strip(),
            products=_products(self.products),
        )
        try:
            with session_scope() as session:
                (outcome,) = record_purchases(
                    session,
                    organization_id=principal.organization_id,
                    items=[item],
                    source=PurchaseSource.FORM.value,
                    now=clock.now(),
                )
        except DomainError as exc:
            field = (exc.field or "").split(".", 1)[-1]
            self.error_field, self.error_text = field, self._tr(exc.code)
            return
        self.error_field = self.error_text = ""
        if not outcome.created:
            self.result_text = self._tr("reviews.purchase_duplicate", ref=outcome.order_reference)
        elif outcome.capped:
            self.result_text = self._tr("reviews.purchase_capped", ref=outcome.order_reference)
        else:
            self.result_text = self._tr(
                "reviews.purchase_created",
                ref=outcome.order_reference,
                when=_when(outcome.first_due_at, self.language),
            )
            self.email = self.name = self.order_reference = self.products = ""
        self._reload(principal.organization_id)

    @rx.event
    def reload_list(self) -> None:
        """First page of the list again (after an import); the form is kept."""
        principal = self._guard()
        if principal is None:
            return
        self.page = 0
        self._reload(principal.organization_id)

    @rx.event
    def open_log(self, purchase_id: str) -> None:
        """Show the status log of a purchase's invitations (its own organization's only)."""
        principal = self._guard()
        if principal is None or not isinstance(purchase_id, str) or not purchase_id.isdigit():
            return
        try:
            with session_scope() as session:
                rows = purchase_log(
                    session,
                    organization_id=principal.organization_id,
                    purchase_id=int(purchase_id),
                )
        except NotFound:
            return
        self.log_reference = next(
            (r["reference"] for r in self.rows if r["id"] == purchase_id), purchase_id
        )
        self.log_rows = [
            {
                "event": row.event,
                "at": _when(row.at, self.language),
                "detail": f"{self._tr('reviews.kind.' + kind)} · {row.detail}".rstrip(" ·"),
            }
            for kind, row in rows
        ]

    @rx.event
    def close_log(self) -> None:
        """Close the status log."""
        self.log_reference = ""
        self.log_rows = []
