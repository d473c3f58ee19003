"""Partners, their sales contacts and products (R-BM-3)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rxapp.models.accounts import Role, User
from rxapp.models.meetings import (
    Availability,
    Meeting,
    MeetingSpace,
    Partner,
    PartnerContact,
    PartnerProduct,
    Product,
    ProductKind,
)
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tenancy import owned_row
from rxapp.services.meetings.events import get_event

PARTNER_TYPES: tuple[str, ...] = ("Platinum", "Gold", "Silver", "Bronze")


@dataclass(frozen=True)
class PartnerRow:
    """A partner as the organizer's pages show it."""

    id: int
    name: str
    type: str
    quota: int | None
    fields: dict[str, Any]
    contacts: tuple[str, ...]  # emails
    spaces: int
    products: tuple[str, ...]


@dataclass(frozen=True)
class ProductRow:
    """A product as pages show it."""

    id: int
    name: str
    kind: str
    quantity: int | None


def get_partner(session: Session, *, organization_id: int, partner_id: object) -> Partner:
    """The partner if it belongs to the organization (else NotAllowed)."""
    return owned_row(session, Partner, partner_id, organization_id=organization_id)


def create_partner(
    session: Session,
    *,
    organization_id: int,
    event_id: object,
    name: str,
    type: str = "",  # noqa: A002 - the domain's word
    quota: int | None = None,
    fields: dict[str, Any] | None = None,
    now: datetime,
) -> Partner:
    """Add a partner to an event; flushed, not committed.

    Raises:
        DomainError: Empty name or a negative quota.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    name = (name or "").strip()
    if not name:
        raise DomainError("meetings.name_required", "name")
    if quota is not None and (not isinstance(quota, int) or quota < 0):
        raise DomainError("meetings.number_required", "quota")
    clean = {str(k)[:64]: str(v)[:200] for k, v in (fields or {}).items() if str(k).strip()}
    partner = Partner(organization_id=organization_id, event_id=event.id or 0, name=name[:200],
                      type=(type or "").strip()[:64], quota=quota, fields=clean, created_at=now)
    session.add(partner)
    session.flush()
    return partner


def update_partner(
    session: Session,
    *,
    organization_id: int,
    partner_id: object,
    quota: object = ...,
    type: str | None = None,  # noqa: A002
    fields: dict[str, Any] | None = None,
) -> Partner:
    """Change a partner's own quota (None clears it), type or custom fields."""
    partner = get_partner(session, organization_id=organization_id, partner_id=partner_id)
    if quota is not ...:
        if quota is not None and (not isinstance(quota, int) or isinstance(quota, bool)
                                  or quota < 0):
            raise DomainError("meetings.number_required", "quota")
        partner.quota = quota  # type: ignore[assignment]
    if type is not None:
        partner.type = type.strip()[:64]
    if fields is not None:
        partner.fields = {str(k)[:64]: str(v)[:200] for k, v in fields.items()}
    session.add(partner)
    session.flush()
    return partner


def delete_partner(session: Session, *, organization_id: int, partner_id: object) -> None:
    """Delete a partner without meetings, with its spaces, contacts and products.

    Raises:
        DomainError: The partner has meetings (cancel them first).
    """
    partner = get_partner(session, organization_id=organization_id, partner_id=partner_id)
    if session.exec(select(Meeting.id).where(Meeting.partner_id == partner.id)).first():
        raise DomainError("meetings.partner_has_meetings")
    space_ids = list(session.exec(
        select(MeetingSpace.id).where(MeetingSpace.partner_id == partner.id)).all())
    if space_ids:
        session.execute(delete(Availability).where(col(Availability.space_id).in_(space_ids)))
        session.execute(delete(MeetingSpace).where(col(MeetingSpace.id).in_(space_ids)))
    session.execute(delete(PartnerContact).where(PartnerContact.partner_id == partner.id))
    session.execute(delete(PartnerProduct).where(PartnerProduct.partner_id == partner.id))
    session.delete(partner)
    session.flush()


def add_contact(
    session: Session, *, organization_id: int, partner_id: object, user_id: object
) -> PartnerContact:
    """Make a partner user a sales contact of the partner.

    Raises:
        NotAllowed: The user is another organization's, or not a partner user.
    """
    partner = get_partner(session, organization_id=organization_id, partner_id=partner_id)
    user = owned_row(session, User, user_id, organization_id=organization_id)
    if user.role != Role.PARTNER.value:
        raise DomainError("meetings.contact_not_partner_user", "user_id")
    found = session.exec(select(PartnerContact).where(
        PartnerContact.partner_id == partner.id, PartnerContact.user_id == user.id)).first()
    if found is not None:
        return found
    contact = PartnerContact(organization_id=organization_id, partner_id=partner.id or 0,
                             user_id=user.id or 0)
    session.add(contact)
    session.flush()
    return contact


def contact_user_ids(session: Session, *, partner_id: int) -> list[int]:
    """The user ids of a partner's sales contacts."""
    return list(session.exec(
        select(PartnerContact.user_id).where(PartnerContact.partner_id == partner_id)
        .order_by(col(PartnerContact.id))
    ).all())


def create_product(
    session: Session, *, organization_id: int, event_id: object, name: str, kind: str,
    quantity: int | None = None,
) -> Product:
    """Add a product; a meeting-quota product needs a quantity (R-BM-4)."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    if not (name or "").strip():
        raise DomainError("meetings.name_required", "name")
    if kind not in {k.value for k in ProductKind}:
        raise DomainError("meetings.bad_field", "kind")
    if kind == ProductKind.MEETING_QUOTA.value and (
        not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0
    ):
        raise DomainError("meetings.number_required", "quantity")
    product = Product(organization_id=organization_id, event_id=event.id or 0,
                      name=name.strip()[:200], kind=kind, quantity=quantity)
    session.add(product)
    session.flush()
    return product


def assign_product(
    session: Session, *, organization_id: int, partner_id: object, product_id: object
) -> PartnerProduct:
    """Assign a product to a partner of the same event (idempotent)."""
    partner = get_partner(session, organization_id=organization_id, partner_id=partner_id)
    product = owned_row(session, Product, product_id, organization_id=organization_id)
    if product.event_id != partner.event_id:
        raise NotAllowed()
    found = session.exec(select(PartnerProduct).where(
        PartnerProduct.partner_id == partner.id, PartnerProduct.product_id == product.id)).first()
    if found is not None:
        return found
    link = PartnerProduct(organization_id=organization_id, partner_id=partner.id or 0,
                          product_id=product.id or 0)
    session.add(link)
    session.flush()
    return link


def list_products(session: Session, *, organization_id: int, event_id: object) -> list[ProductRow]:
    """An event's products."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    rows = session.exec(select(Product).where(Product.event_id == event.id)
                        .order_by(col(Product.id))).all()
    return [ProductRow(id=p.id or 0, name=p.name, kind=p.kind, quantity=p.quantity) for p in rows]


def list_partners(session: Session, *, organization_id: int, event_id: object) -> list[PartnerRow]:
    """An event's partners with their contacts, space counts and products."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    partners = session.exec(select(Partner).where(Partner.event_id == event.id)
                            .order_by(col(Partner.name), col(Partner.id))).all()
    ids = [p.id for p in partners]
    contacts: dict[int, list[str]] = {}
    for pid, email in session.exec(
        select(PartnerContact.partner_id, User.email)
        .join(User, col(User.id) == PartnerContact.user_id)
        .where(col(PartnerContact.partner_id).in_(ids)).order_by(col(User.email))
    ).all():
        contacts.setdefault(pid, []).append(email)
    spaces: dict[int, int] = {}
    for pid in session.exec(select(MeetingSpace.partner_id)
                            .where(col(MeetingSpace.partner_id).in_(ids))).all():
        spaces[pid] = spaces.get(pid, 0) + 1
    products: dict[int, list[str]] = {}
    for pid, name in session.exec(
        select(PartnerProduct.partner_id, Product.name)
        .join(Product, col(Product.id) == PartnerProduct.product_id)
        .where(col(PartnerProduct.partner_id).in_(ids))
    ).all():
        products.setdefault(pid, []).append(name)
    return [
        PartnerRow(id=p.id or 0, name=p.name, type=p.type, quota=p.quota, fields=dict(p.fields),
                   contacts=tuple(contacts.get(p.id or 0, [])), spaces=spaces.get(p.id or 0, 0),
                   products=tuple(products.get(p.id or 0, [])))
        for p in partners
    ]


def list_partner_users(session: Session, *, organization_id: int) -> list[tuple[int, str]]:
    """The organization's partner users as (id, email), to pick sales contacts from."""
    return [(u.id or 0, u.email) for u in session.exec(
        select(User).where(User.organization_id == organization_id,
                           User.role == Role.PARTNER.value).order_by(col(User.email))).all()]
