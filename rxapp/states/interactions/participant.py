"""State of one participant's page: dashboard, history, side panel (R-INT-2..4, R-INT-6..10)."""


import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n.formats import format_date, format_number, round_score
from rxapp.models import Module
from rxapp.services import interactions, platform
from rxapp.services.accounts.org_locale import org_locale
from rxapp.services.common.errors import DomainError, NotAllowed, NotFound
from rxapp.services.common.status_log import readable_log
from rxapp.services.interactions import participants
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
from rxapp.states.base import ADMIN, STAFF, AppState
from rxapp.states.interactions.common import _int, _path_id
from rxapp.states.status_log_view import log_rows


def _when(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


class ParticipantState(AppState):
    """One participant: results dashboard, interactions side panel, creation rules (R-INT-2..4)."""

    found: bool = False
    participant_id: int = 0
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    p_language: str = ""
    can_create: bool = False
    reason: str = ""
    remaining: int = 0
    completed_count: int = 0
    scores: list[dict[str, str | float]] = []
    history: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    panel_open: bool = False
    open_log_id: int = 0
    log: list[dict[str, str]] = []
    log_expanded: bool = False
    p_time_zone: str = ""
    org_zone: str = ""
    confirm_delete_id: int = 0
    confirm_remind_id: int = 0
    # The participant's own maximum ("" : the organization's applies) and that default.
    max_override: str = ""
    org_max: int = 0
    override_error: str = ""
    # Kinds of "request more" this organization has open with the vendor.
    requested: list[str] = []

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    def _read(self) -> None:
        principal = self._guard()
        pid = _path_id(self.router.url.path, "participants")
        self.found = False
        if principal is None or pid is None:
            return
        try:
            with session_scope() as session:
                person = participants.get_participant(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                rows = interactions.list_interactions(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                eligibility = interactions.can_create_interaction(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                self.remaining = interactions.remaining_interactions(
                    session, organization_id=principal.organization_id
                )
                last_reminded = interactions.last_manual_reminders(
                    session, organization_id=principal.organization_id,
                    interaction_ids=[r.id for r in rows],
                )
                self.org_max = participants.organization_max(
                    session, organization_id=principal.organization_id)
                self.requested = sorted(platform.open_request_kinds(
                    session, organization_id=principal.organization_id))
                completed = [r for r in rows if r.state == "completed"]
                labels = ensure_default_questionnaire(session).dimensions.get("labels", {})
                zone = org_locale(session, organization_id=principal.organization_id).timezone
                latest_scores = (
                    interactions.scores_of(session, organization_id=principal.organization_id,
                                           interaction_id=completed[0].id)
                    if completed else {}
                )
        except (NotFound, NotAllowed):
            return
        self.found = True
        self.participant_id = pid
        self.first_name, self.last_name = person.first_name, person.last_name
        self.email, self.p_language = person.email, person.language
        self.max_override = ("" if person.max_interactions_override is None
                             else str(person.max_interactions_override))
        self.can_create = eligibility.allowed
        self.reason = eligibility.reason or ""
        self.completed_count = len(completed)
        ui = self.language
        self.p_time_zone = person.time_zone or ""
        self.org_zone = zone
        # One rounding and one format for badge, chart and PDF: halves up, one decimal,
        # the language's decimal sign (4,3 in German).
        self.scores = [
            {"dimension": (labels.get(k) or {}).get(ui) or k, "score": float(round_score(v)),
             "score_text": format_number(v, ui)}
            for k, v in latest_scores.items()
        ]
        self.history = [
            {"id": str(r.id), "completed": format_date(r.completed_at, ui, zone)}
            for r in completed
        ]
        self.items = [
            {"id": str(r.id), "state": r.state, "created": format_date(r.created_at, ui, zone),
             "completed": format_date(r.completed_at, ui, zone),
             "reminders": "on" if r.reminders_on else "off",
             "open": "yes" if r.state in ("invited", "in_progress") else "",
             "last_reminder": _when(last_reminded.get(r.id))}
            for r in rows if r.state != "deleted"
        ]

    @rx.event
    def load(self) -> None:
        """Read the participant named in the address."""
        self.panel_open = False
        self.open_log_id = 0
        self.confirm_delete_id = 0
        self._read()

    @rx.event
    def toggle_panel(self, value: bool) -> None:
        """Open or close the "manage participant and interactions" side panel."""
        self.panel_open = value is True

    def _act(self, interaction_id: object, action):  # noqa: ANN001, ANN202
        principal = self._guard()
        iid = _int(interaction_id)
        if principal is None or iid is None:
            return None, rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                result = action(session, principal.organization_id, iid)
        except NotAllowed:
            return None, rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return None, rx.toast.error(self._tr(err.code))
        return result, None

    @rx.event
    def ask_remind(self, interaction_id: str) -> None:
        """Ask for confirmation before sending the link again."""
        self.confirm_remind_id = _int(interaction_id) or 0

    @rx.event
    def cancel_remind(self) -> None:
        """Send nothing."""
        self.confirm_remind_id = 0

    @rx.event
    def remind(self):  # noqa: ANN201
        """Send the link again now (the same link), once confirmed; a cooldown follows."""
        iid, self.confirm_remind_id = self.confirm_remind_id, 0
        if not iid:
            return None  # a repeated click after the dialog closed
        _, error = self._act(iid, lambda s, org, i: interactions.remind_now(
            s, organization_id=org, interaction_id=i, now=clock.now()))
        self._read()
        if error:
            return error
        return rx.toast.success(self._tr("participant.reminded"))

    @rx.event
    def copy_link(self, interaction_id: str):  # noqa: ANN201
        """Put the participant's link on the clipboard; it never enters the page state."""
        link, error = self._act(interaction_id, lambda s, org, iid: interactions.participant_link(
            s, organization_id=org, interaction_id=iid))
        if error:
            return error
        return [rx.set_clipboard(link), rx.toast.success(self._tr("invite.copied"))]

    @rx.event
    def set_reminders(self, interaction_id: str, on: bool):  # noqa: ANN201
        """Turn weekly reminders on or off until completion (R-INT-6)."""
        _, error = self._act(interaction_id, lambda s, org, iid: interactions.set_reminders(
            s, organization_id=org, interaction_id=iid, on=on is True, now=clock.now()))
        self._read()
        return error

    @rx.event
    def ask_delete(self, interaction_id: str) -> None:
        """Ask for confirmation before deleting an unfinished interaction."""
        self.confirm_delete_id = _int(interaction_id) or 0

    @rx.event
    def cancel_delete(self) -> None:
        """Keep the interaction."""
        self.confirm_delete_id = 0

    @rx.event
    def delete(self):  # noqa: ANN201
        """Delete the unfinished interaction that was confirmed (R-INT-10)."""
        iid, self.confirm_delete_id = self.confirm_delete_id, 0
        _, error = self._act(iid, lambda s, org, i: interactions.delete_interaction(
            s, organization_id=org, interaction_id=i, now=clock.now()))
        if error:
            return error
        self._read()
        return rx.toast.success(self._tr("participant.deleted"))

    @rx.event
    def show_log(self, interaction_id: str) -> None:
        """Show the status log of one interaction (R-MSG-5)."""
        principal = self._guard()
        iid = _int(interaction_id)
        if principal is None or iid is None:
            return
        if self.open_log_id == iid:
            self.open_log_id = 0
            return
        try:
            with session_scope() as session:
                interactions.get_interaction(
                    session, organization_id=principal.organization_id, interaction_id=iid
                )
                lines = readable_log(session, organization_id=principal.organization_id,
                                     entity_type=interactions.ENTITY, entity_id=iid,
                                     reminders_total=interactions.MAX_REMINDERS)
                person = participants.get_participant(
                    session, organization_id=principal.organization_id,
                    participant_id=self.participant_id)
                zone = org_locale(session, organization_id=principal.organization_id).timezone
        except (NotFound, NotAllowed):
            return
        self.open_log_id = iid
        self.log_expanded = False
        self.log = log_rows(lines, language=self.language, org_zone=zone,
                            recipient_zone=person.time_zone)

    @rx.event
    def toggle_log(self) -> None:
        """Show the collapsed future reminders one by one, or hide them again."""
        self.log_expanded = not self.log_expanded



    # --- limits: the vendor's plan and the admin's override (R-INT-3, R-INT-4) ----------

    @rx.event
    def request_more(self, kind: str):  # noqa: ANN201
        """Ask the vendor to unlock more; recorded, emailed to the operators."""
        principal = self._guard()
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                _, new = platform.request_more(session, principal=principal, kind=kind,
                                               now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return rx.toast.error(self._tr(err.code))
        self._read()
        return rx.toast.success(self._tr("plans.request.sent" if new else "plans.request.open"))

    @rx.event
    def save_max_override(self, form: dict):  # noqa: ANN201
        """Set this participant's own maximum; empty brings back the organization's."""
        principal = self._require_module(Module.INTERACTIONS.value, *ADMIN)
        pid = _path_id(self.router.url.path, "participants")
        if principal is None or pid is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        raw = form.get("max_override", "") if isinstance(form, dict) else ""
        raw = raw.strip()[:10] if isinstance(raw, str) else ""
        self.override_error = ""
        value = int(raw) if raw.isdigit() else None
        if raw and (value is None or value > 1000):
            self.override_error = "participant.max_interactions_invalid"
            return None
        try:
            with session_scope() as session:
                participants.set_max_interactions_override(
                    session, organization_id=principal.organization_id, participant_id=pid,
                    value=value)
        except (NotAllowed, NotFound):
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.override_error = err.code
            return None
        self._read()
        return rx.toast.success(self._tr("participant.max_saved"))
