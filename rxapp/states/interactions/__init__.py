"""States of the interactions pages, one module per page."""

from rxapp.states.interactions.invite import InviteState  # noqa: F401
from rxapp.states.interactions.overview import ParticipantsState  # noqa: F401
from rxapp.states.interactions.participant import ParticipantState  # noqa: F401
from rxapp.states.interactions.participant_import import ParticipantImportState  # noqa: F401
from rxapp.states.interactions.take import TakeState  # noqa: F401
