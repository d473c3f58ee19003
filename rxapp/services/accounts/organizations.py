"""The organization's own settings, read and changed by its admins only."""

from dataclasses import dataclass
from zoneinfo import available_timezones

from sqlmodel import Session

from rxapp.models import LANGUAGES, Organization, Role
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed

_ZONES = frozenset(available_timezones())


@dataclass(frozen=True)
class OrgProfile:
    """What the settings page shows and edits."""

    name: str
    sender_name: str
    timezone: str
    default_language: str
    reminders_default: bool
    modules: tuple[str, ...]
    interactions_bought: int
    max_interactions_per_participant: int
    reports_included: bool


def _own_org(session: Session, principal: Principal) -> Organization:
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    return org


def get_profile(session: Session, *, principal: Principal) -> OrgProfile:
    """Return the signed-in user's organization settings."""
    org = _own_org(session, principal)
    return OrgProfile(
        name=org.name,
        sender_name=org.sender_name,
        timezone=org.timezone,
        default_language=org.default_language,
        reminders_default=org.reminders_default,
        modules=tuple(org.modules or ()),
        interactions_bought=org.interactions_bought,
        max_interactions_per_participant=org.max_interactions_per_participant,
        reports_included=org.reports_included,
    )


def update_profile(
    session: Session,
    *,
    principal: Principal,
    name: str,
    sender_name: str,
    timezone: str,
    default_language: str,
    reminders_default: bool,
) -> OrgProfile:
    """Change the organization's settings; only an admin of that organization may.

    Raises:
        NotAllowed: the user is not an admin.
        DomainError: a value is invalid (its ``field`` says which).

    """
    if principal.role != Role.ADMIN.value:
        raise NotAllowed()
    name = (name or "").strip()
    sender_name = (sender_name or "").strip()
    if not name:
        raise DomainError("settings.error.name_required", field="name")
    if len(name) > 200:
        raise DomainError("settings.error.name_too_long", field="name")
    if len(sender_name) > 200:
        raise DomainError("settings.error.name_too_long", field="sender_name")
    if timezone not in _ZONES:
        raise DomainError("settings.error.timezone_unknown", field="timezone")
    if default_language not in LANGUAGES:
        raise DomainError("error.language_unknown", field="default_language")
    org = _own_org(session, principal)
    org.name = name
    org.sender_name = sender_name
    org.timezone = timezone
    org.default_language = default_language
    org.reminders_default = bool(reminders_default)
    session.add(org)
    session.flush()
    return get_profile(session, principal=principal)
