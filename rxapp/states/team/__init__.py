"""States of the team pages, one module per page."""

# Choices the team pages draw: pages read them from here, never from models or services.
from rxapp.models.team import LIST_KINDS  # noqa: E402, F401
from rxapp.services.team import ATTRIBUTE_KINDS, CLASSES_OF_SERVICE, INVITABLE_ROLES  # noqa: E402, F401
from rxapp.states.team.attributes import AttributeListsState  # noqa: F401
from rxapp.states.team.base import (
    ANY,  # noqa: E402, F401
    TeamBaseState,  # noqa: F401
)
from rxapp.states.team.csv_import import CsvImportState  # noqa: F401
from rxapp.states.team.dashboard import TeamDashboardState  # noqa: F401
from rxapp.states.team.invitations import InvitationsState  # noqa: F401
from rxapp.states.team.join import JoinState  # noqa: F401
from rxapp.states.team.members import MembersState  # noqa: F401
