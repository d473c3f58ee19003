"""Every feature that registers send checks or attachment hooks, imported in one place.

A worker must know each kind's send-time check and attachments whether it runs in
the app or as its own process; importing the feature modules registers them.
"""

import rxapp.services.interactions  # noqa: F401  (invitation/reminder send checks)
import rxapp.services.password_mail  # noqa: F401  (reset link rebuilt at send time)
import rxapp.services.reports  # noqa: F401  (report.pdf attachment hook)
import rxapp.services.team  # noqa: F401  (invitation and expiry send checks)

# Review invitations (issue 11): plain (session, message, now) functions, listed here.
from rxapp import clock as _clock  # noqa: E402
from rxapp.db import session_scope as _session_scope  # noqa: E402
from rxapp.mail.render import register_context_hook as _register_context_hook  # noqa: E402
from rxapp.services.outbox import register_send_check as _register_send_check  # noqa: E402
from rxapp.services.reviews import mail as _review_mail  # noqa: E402
from rxapp.services.reviews.rules import KIND_INVITATION, KIND_REMINDER  # noqa: E402


def _review_context(message):
    with _session_scope() as session:
        return _review_mail.invitation_context(session, message, _clock.now())


_register_send_check(KIND_INVITATION, _review_mail.check_invitation)
_register_send_check(KIND_REMINDER, _review_mail.check_reminder)
_register_context_hook(KIND_INVITATION, _review_context)
_register_context_hook(KIND_REMINDER, _review_context)

# Every kind that reaches an invitee honours unsubscribes and the contact cap (R-PLUS-8).
from rxapp.services.common.unsubscribe import check_contact_rules as _contact_rules  # noqa: E402

for _kind in (
    "interaction_invitation",
    "interaction_reminder",
    "team_invitation",
    "team_invitation_expiring",
):
    _register_send_check(_kind, _contact_rules)
