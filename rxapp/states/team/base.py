"""Shared pieces of the team pages' states: formatting, rows, the admin base state."""

import logging
from datetime import datetime

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.i18n.formats import format_datetime
from rxapp.services import team
from rxapp.services.accounts.auth import Principal
from rxapp.services.accounts.org_locale import org_locale
from rxapp.services.common.status_log import readable_log
from rxapp.states.base import AppState
from rxapp.states.status_log_view import log_rows

logger = logging.getLogger(__name__)


# Invitations are created this many per transaction, so the progress bar moves.
BULK_CHUNK = 100
# Invitations shown per page: a bulk invite of thousands stays quick to render.
PAGE_SIZE = 50
ANY = "__any__"
FILTER_KINDS = ("role", *team.ATTRIBUTE_KINDS)


def _when(value: datetime | None, language: str = "en", zone: str | None = None) -> str:
    """A time as the viewer's language writes it, in the organization's zone."""
    return format_datetime(value, language, zone) if value else ""


def _empty_attributes() -> dict[str, list[str]]:
    return {kind: [] for kind in team.LIST_KINDS}


# Defaults with every kind present, so the page never reads a missing list before load.
EMPTY_OPTIONS: dict[str, list[str]] = {kind: [] for kind in team.ATTRIBUTE_KINDS}


def _str(value: object, limit: int = 1000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def attributes_text(language: str, attributes: dict) -> str:
    """One line such as "Channels: Chat, Phone · Skills: Swedish" in ``language``."""
    parts = []
    for kind in team.ATTRIBUTE_KINDS:
        value = attributes.get(kind)
        label = translate(language, f"team.kind.{kind}")
        if kind == "class_of_service":
            if value:
                parts.append(f"{label}: {translate(language, 'team.cos.' + value)}")
        elif value:
            parts.append(f"{label}: {', '.join(value)}")
    return " · ".join(parts)




def invitation_rows(principal: Principal, language: str, page: int) -> tuple[int, list[dict]]:
    """One page of the invitations list as view rows, and the total (no state touched)."""
    now = clock.now()
    with session_scope() as session:
        total = team.count_invitations(session, principal=principal)
        rows = team.list_invitations(session, principal=principal, now=now,
                                     offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        zone = org_locale(session, organization_id=principal.organization_id).timezone
        logs = {
            r.id: log_rows(
                readable_log(session, organization_id=principal.organization_id,
                             entity_type=team.ENTITY, entity_id=r.id),
                language=language, org_zone=zone, recipient_zone=r.time_zone)
            for r in rows
        }
    return total, [
        {
            "id": r.id, "email": r.email, "role": r.role,
            "attributes": attributes_text(language, r.attributes), "state": r.state,
            "sent": _when(r.last_sent_at, language, zone),
            "expires": _when(r.expires_at, language, zone),
            "renewal": r.renewal_requested_at is not None,
            "log": logs[r.id],
        }
        for r in rows
    ]



def _toggled(chosen: dict[str, list[str]], kind: str, value: str) -> dict[str, list[str]]:
    """A copy of an attribute selection with ``value`` added to or removed from ``kind``."""
    values = list(chosen.get(kind, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return {**chosen, kind: values}

class TeamBaseState(AppState):
    """Shared helpers of the admin team pages (not a page state of its own)."""

    def _attributes_text(self, attributes: dict) -> str:
        return attributes_text(self.language, attributes)


