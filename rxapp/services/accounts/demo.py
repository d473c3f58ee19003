"""The demo organization a newcomer signs in to at once (R-ACC-4)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from rxapp.models import Module, Organization, Role, User
from rxapp.services.accounts.passwords import hash_password


@dataclass(frozen=True)
class DemoLogin:
    """A demo user's credentials, printed on start and listed in the README."""

    role: str
    email: str
    password: str


# Demo credentials are public by design: they exist only in the demo organization.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(Role.ADMIN.value, "admin@beckon-demo.example", "demo-admin-pass"),
    DemoLogin(Role.ORGANIZER.value, "organizer@beckon-demo.example", "demo-organizer-pass"),
    DemoLogin(Role.PARTNER.value, "partner@beckon-demo.example", "demo-partner-pass"),
)

_NAMES = {
    Role.ADMIN.value: "Ada Admin",
    Role.ORGANIZER.value: "Olle Organizer",
    Role.PARTNER.value: "Pia Partner",
}


DEMO_SLUG = "demo"


def demo_organization_id(session: Session) -> int | None:
    """The demo organization's id, or None when this database has none."""
    return session.exec(select(Organization.id).where(Organization.slug == DEMO_SLUG)).first()


def seed_demo(session: Session, *, now: datetime) -> bool:
    """Create the demo organization and its users if the database has no organization.

    Returns:
        True when the demo was created, False when data already existed.

    """
    if session.exec(select(Organization.id).limit(1)).first() is not None:
        return False
    org = Organization(
        name="Demo Company",
        slug=DEMO_SLUG,
        timezone="Europe/Stockholm",
        default_language="en",
        sender_name="Demo Company",
        modules=[m.value for m in Module],
        interactions_bought=100,
        max_interactions_per_participant=3,
        reports_included=True,
        created_at=now,
    )
    session.add(org)
    session.flush()
    for login in DEMO_LOGINS:
        session.add(
            User(
                organization_id=org.id,
                email=login.email,
                full_name=_NAMES[login.role],
                password_hash=hash_password(login.password),
                role=login.role,
                language="en",
                created_at=now,
            )
        )
    return True
