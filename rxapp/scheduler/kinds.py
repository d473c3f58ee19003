"""One explicit table of every email kind's send-time behaviour.

For each kind: a check run just before sending (a reason cancels the message, R-MSG-2),
template values computed at send time (links rebuilt from a secret, so the outbox never
stores them) and attachments built at send time (a report PDF). Each is a plain function
of ``(session, message, now)``: the worker passes its own session and clock, so the same
table serves the in-app scheduler and ``python -m rxapp.scheduler``. A kind missing here
is sent as queued, with no check and nothing added.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rxapp.models.outbox import OutboxMessage
from rxapp.services.accounts import reset_mail
from rxapp.services.common.attachments import Attachment
from rxapp.services.common.unsubscribe import check_contact_rules, unsubscribe_context
from rxapp.services.interactions import base as interactions
from rxapp.services.interactions import mail as interaction_mail
from rxapp.services.interactions import reports
from rxapp.services.meetings import mail as meeting_mail
from rxapp.services.reviews import mail as review_mail
from rxapp.services.reviews import rules as reviews
from rxapp.services.team import base as team
from rxapp.services.team import mail as team_mail

Check = Callable[[Session, OutboxMessage, datetime], str | None]
Context = Callable[[Session, OutboxMessage, datetime], dict[str, Any]]
Attachments = Callable[[Session, OutboxMessage, datetime], list[Attachment]]


def _both(first: Check, second: Check) -> Check:
    """A check that runs ``first``, then ``second`` when ``first`` found nothing."""

    def check(session: Session, message: OutboxMessage, now: datetime) -> str | None:
        return first(session, message, now) or second(session, message, now)

    return check


def _with_unsubscribe(context: "Context", scope: str) -> "Context":
    """A context that also carries the email's unsubscribe link and headers (R-PLUS-8)."""

    def with_link(session: Session, message: OutboxMessage, now: datetime) -> dict[str, Any]:
        return {**context(session, message, now), **unsubscribe_context(message, scope)}

    return with_link


@dataclass(frozen=True)
class KindHooks:
    """What the scheduler does for one kind at send time; every part optional."""

    check: Check | None = None
    context: Context | None = None
    attachments: Attachments | None = None


KINDS: dict[str, KindHooks] = {
    reset_mail.KIND: KindHooks(
        check=reset_mail.check_reset_usable, context=reset_mail.reset_link_context
    ),
    # Every kind that reaches an invitee honours unsubscribes and the contact cap (R-PLUS-8).
    interactions.KIND_INVITATION: KindHooks(
        check=_both(interaction_mail.check_invitation, check_contact_rules),
        context=_with_unsubscribe(interaction_mail.link_context, "interactions"),
    ),
    interactions.KIND_REMINDER: KindHooks(
        check=_both(interaction_mail.check_reminder, check_contact_rules),
        context=_with_unsubscribe(interaction_mail.reminder_context, "interactions"),
    ),
    interactions.KIND_REPORT: KindHooks(attachments=reports.report_attachments),
    team.KIND_INVITATION: KindHooks(
        check=_both(team_mail.check_still_pending, check_contact_rules),
        context=_with_unsubscribe(team_mail.join_link_context, "team"),
    ),
    team.KIND_EXPIRING: KindHooks(
        check=_both(team_mail.check_still_pending, check_contact_rules),
        context=_with_unsubscribe(team_mail.join_link_context, "team"),
    ),
    # Review checks call the contact rules themselves (they also mark the invitation).
    reviews.KIND_INVITATION: KindHooks(
        check=review_mail.check_invitation, context=review_mail.invitation_context
    ),
    reviews.KIND_REMINDER: KindHooks(
        check=review_mail.check_reminder, context=review_mail.invitation_context
    ),
    meeting_mail.KIND_ACCEPTED: KindHooks(
        check=meeting_mail.check_meeting_mail,
        context=meeting_mail.meeting_mail_context,
        attachments=meeting_mail.meeting_mail_attachments,
    ),
    meeting_mail.KIND_NOTICE: KindHooks(
        check=meeting_mail.check_meeting_mail,
        context=meeting_mail.meeting_mail_context,
        attachments=meeting_mail.meeting_mail_attachments,
    ),
}


def hooks_for(kind: str) -> KindHooks:
    """The send-time hooks of a kind (empty for a kind with none)."""
    return KINDS.get(kind, _NONE)


_NONE = KindHooks()


def check(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why ``message`` must not be sent now, or None when it is still wanted (R-MSG-2)."""
    fn = hooks_for(message.kind).check
    return fn(session, message, now) if fn else None


def send_time_parts(
    session: Session, message: OutboxMessage, now: datetime
) -> tuple[dict[str, Any], list[Attachment]]:
    """Template values and attachments of ``message`` computed at send time."""
    hooks = hooks_for(message.kind)
    context = hooks.context(session, message, now) if hooks.context else {}
    files = hooks.attachments(session, message, now) if hooks.attachments else []
    return context, files
