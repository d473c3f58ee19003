"""State of an event's partners, sales contacts, products and spaces (R-BM-3, R-BM-4)."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import contact_invites, partners, spaces
from rxapp.services.meetings.partners import PARTNER_TYPES
from rxapp.states.meetings.base import MeetingsState, form_arg, int_arg, text_arg

NONE = "none"


class PartnersState(MeetingsState):
    """Partners with their contacts and spaces; products; bulk spaces per contact."""

    rows: list[dict] = []
    products: list[dict[str, str]] = []
    partner_users: list[dict[str, str]] = []
    spaces: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    product_errors: dict[str, str] = {}
    confirm_space_id: int = 0
    invited: list[dict[str, str]] = []
    invite_errors: dict[str, str] = {}

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            self.rows = []
            return
        eid = self._page_event(principal)
        if eid is None:
            return
        org_id = principal.organization_id
        with session_scope() as session:
            rows = partners.list_partners(session, organization_id=org_id, event_id=eid)
            prods = partners.list_products(session, organization_id=org_id, event_id=eid)
            users = partners.list_partner_users(session, organization_id=org_id)
            space_rows = spaces.list_spaces(session, organization_id=org_id, event_id=eid)
            invited = contact_invites.pending_contact_invitations(
                session, organization_id=org_id, partner_ids=[p.id for p in rows],
                now=clock.now())
        self.rows = [{"id": str(p.id), "name": p.name, "type": p.type,
                      "quota": "" if p.quota is None else str(p.quota),
                      "contacts": ", ".join(p.contacts), "spaces": str(p.spaces),
                      "products": ", ".join(p.products)} for p in rows]
        self.products = [{"id": str(p.id), "name": p.name, "kind": p.kind,
                          "quantity": "" if p.quantity is None else str(p.quantity)}
                         for p in prods]
        self.partner_users = [{"id": str(uid), "email": email} for uid, email in users]
        names = {str(p.id): p.name for p in rows}
        self.invited = [i | {"partner": names.get(i["partner_id"], "")} for i in invited]
        self.spaces = [{"id": str(s.id), "partner": s.partner_name, "name": s.name,
                        "contact": s.contact_email, "theme": s.theme} for s in space_rows]

    @rx.event
    def load(self) -> None:
        """Read the event's partners."""
        self.event_id = 0
        self.errors, self.product_errors, self.invite_errors = {}, {}, {}
        self._read()

    @rx.event
    def invite_contact(self, form: dict):  # noqa: ANN201
        """Invite a sales contact as a partner user (a team invitation tied to the partner)."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        try:
            with session_scope() as session:
                contact_invites.invite_sales_contact(
                    session, principal=principal, partner_id=int_arg(form.get("partner_id")),
                    email=text_arg(form.get("email"), 254), name=text_arg(form.get("name")),
                    language=text_arg(form.get("language"), 5), now=clock.now())
        except NotAllowed:
            return self._refused()
        except DomainError as err:
            self.invite_errors = {err.field or "email": err.code}
            return None
        self.invite_errors = {}
        self._read()
        return rx.toast.success(self._tr("meetings.contact_invited"))

    @rx.event
    def add_partner(self, form: dict):  # noqa: ANN201
        """Add a partner with a type and an optional own quota."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        quota_text = text_arg(form.get("quota"), 9)
        quota = int_arg(quota_text) if quota_text else None
        if quota_text and quota is None:
            self.errors = {"quota": "meetings.number_required"}
            return None
        kind = text_arg(form.get("type"), 64)
        return self._write(lambda session: partners.create_partner(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            name=text_arg(form.get("name")), type=kind if kind in PARTNER_TYPES else "",
            quota=quota, now=clock.now()), errors="errors", field="name")

    @rx.event
    def set_quota(self, partner_id: str, value: str):  # noqa: ANN201
        """Set (or clear, when empty) a partner's own validated-meetings quota."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        text = text_arg(value, 9)
        quota = int_arg(text) if text else None
        if text and quota is None:
            return rx.toast.error(self._tr("meetings.number_required"))
        return self._write(lambda session: partners.update_partner(
            session, organization_id=principal.organization_id, partner_id=int_arg(partner_id),
            quota=quota))

    @rx.event
    def add_contact(self, partner_id: str, user_id: str):  # noqa: ANN201
        """Make a partner user a sales contact of a partner."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: partners.add_contact(
            session, organization_id=principal.organization_id, partner_id=int_arg(partner_id),
            user_id=int_arg(user_id)), toast=None)

    @rx.event
    def add_space(self, form: dict):  # noqa: ANN201
        """Add a space to a partner, tied to a theme (contacts get theirs in bulk)."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        return self._write(lambda session: spaces.create_space(
            session, organization_id=principal.organization_id,
            partner_id=int_arg(form.get("partner_id")), theme=text_arg(form.get("theme")),
            now=clock.now()))

    @rx.event
    def bulk_spaces(self):  # noqa: ANN201
        """One space per sales contact that has none (R-BM-3)."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: spaces.bulk_spaces_per_contact(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            now=clock.now()), toast="meetings.spaces_added", count=True)

    @rx.event
    def ask_delete_space(self, space_id: str) -> None:
        """Ask before deleting a space."""
        self.confirm_space_id = int_arg(space_id) or 0

    @rx.event
    def set_confirm_space(self, value: bool) -> None:
        """The dialog's own close."""
        if value is not True:
            self.confirm_space_id = 0

    @rx.event
    def delete_space(self):  # noqa: ANN201
        """Delete the space asked about (refused when it has meetings)."""
        space_id, self.confirm_space_id = self.confirm_space_id, 0
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: spaces.delete_space(
            session, organization_id=principal.organization_id, space_id=space_id), toast=None)

    @rx.event
    def add_product(self, form: dict):  # noqa: ANN201
        """Add a product; a meetings-quota product needs a quantity."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        qty_text = text_arg(form.get("quantity"), 9)
        return self._write(lambda session: partners.create_product(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            name=text_arg(form.get("name")), kind=text_arg(form.get("kind"), 32),
            quantity=int_arg(qty_text) if qty_text else None),
            errors="product_errors", field="name")

    @rx.event
    def assign_product(self, partner_id: str, product_id: str):  # noqa: ANN201
        """Assign a product to a partner."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        if not isinstance(product_id, str) or product_id == NONE:
            return None
        return self._write(lambda session: partners.assign_product(
            session, organization_id=principal.organization_id, partner_id=int_arg(partner_id),
            product_id=int_arg(product_id)), toast=None)
