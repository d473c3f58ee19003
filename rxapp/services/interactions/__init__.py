"""Participants' interactions (R-INT-3..10): the public surface of the feature's services.

Callers import from here; each concept lives in its own module.
"""

from rxapp.services.interactions.answers import (  # noqa: F401
    answers_of,
    complete_interaction,
    progress,
    record_answer,
    scores_of,
)
from rxapp.services.interactions.base import (  # noqa: F401
    ENTITY,
    KIND_INVITATION,
    KIND_REMINDER,
    KIND_REPORT,
    MAX_REMINDERS,
    REASON_MAX_REACHED,
    REASON_NONE_LEFT,
    REASON_UNFINISHED,
    TOKEN_PURPOSE,
    CreatedInteraction,
    Eligibility,
    InteractionRow,
    Progress,
    find_interaction_by_token,
    get_interaction,
    hash_token,
    interaction_link,
    link_of,
    list_interactions,
)
from rxapp.services.interactions.eligibility import (  # noqa: F401
    can_create_interaction,
    max_interactions_for,
    remaining_interactions,
)
from rxapp.services.interactions.lifecycle import (  # noqa: F401
    REMIND_COOLDOWN,
    create_interaction,
    delete_interaction,
    last_manual_reminders,
    participant_link,
    remind_now,
    set_reminders,
)
from rxapp.services.interactions.mail import (  # noqa: F401
    check_invitation,
    check_reminder,
    link_context,
)
from rxapp.services.interactions.reminders import (  # noqa: F401
    reminder_times,
)
