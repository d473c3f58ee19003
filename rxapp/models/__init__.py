"""Every table, imported here so that SQLModel.metadata knows them all."""

from rxapp.models.accounts import (
    AuthSession,
    Module,
    OneTimeToken,
    Organization,
    Role,
    TabBinding,
    ThrottleHit,
    TokenPurpose,
    User,
)
from rxapp.models.common import LANGUAGES, Language
from rxapp.models.mailbox_files import MailboxAttachment
from rxapp.models.outbox import (
    MailboxMessage,
    MessageState,
    OutboxMessage,
    StatusEvent,
    StatusKind,
)
from rxapp.models.participants import (
    UNFINISHED_STATES,
    Answer,
    Interaction,
    InteractionState,
    Participant,
    Question,
    Questionnaire,
    Score,
)
from rxapp.models.platform import PlanChange, PlanField, PlanRequest, RequestKind
from rxapp.models.team import (
    AttributeKind,
    AttributeOption,
    ClassOfService,
    InvitationState,
    TeamInvitation,
)

__all__ = [
    "MailboxAttachment",
    "PlanChange",
    "PlanField",
    "PlanRequest",
    "RequestKind",
    "AttributeKind",
    "AttributeOption",
    "ClassOfService",
    "InvitationState",
    "TeamInvitation",
    "LANGUAGES",
    "UNFINISHED_STATES",
    "Answer",
    "Interaction",
    "InteractionState",
    "Participant",
    "Question",
    "Questionnaire",
    "Score",
    "AuthSession",
    "Language",
    "MailboxMessage",
    "MessageState",
    "Module",
    "OneTimeToken",
    "Organization",
    "OutboxMessage",
    "Role",
    "StatusEvent",
    "StatusKind",
    "TabBinding",
    "ThrottleHit",
    "TokenPurpose",
    "User",
]
