"""Team invitations and members (R-TEAM-1..5): the public surface of the feature's services.

Callers import from here; each concept lives in its own module.
"""

from rxapp.models.team import LIST_KINDS  # noqa: F401  (the attribute kinds kept as lists)
from rxapp.services.team.attributes import (  # noqa: F401
    add_option,
    check_addresses,
    clean_attributes,
    list_options,
    remove_option,
    split_addresses,
)
from rxapp.services.team.base import (  # noqa: F401
    ATTRIBUTE_KINDS,
    CLASSES_OF_SERVICE,
    ENTITY,
    EXPIRY_NOTICE,
    INVITABLE_ROLES,
    INVITATION_DAYS,
    KIND_EXPIRING,
    KIND_INVITATION,
    KIND_RENEWAL,
    MAX_ADDRESSES,
    MAX_OPTION_LENGTH,
    CsvReport,
    CsvRow,
    InvitationRow,
    InviteResult,
    JoinInfo,
    LinkStatus,
    MemberRow,
    Outcome,
    effective_state,
)
from rxapp.services.team.csv_import import (  # noqa: F401
    CSV_COLUMNS,
    MAX_CSV_CHARS,
    MAX_CSV_ROWS,
    check_csv,
    invite_csv,
)
from rxapp.services.team.invitations import (  # noqa: F401
    count_invitations,
    count_renewal_requests,
    invite_many,
    list_invitations,
    pending_count,
    renew,
    resend,
    revoke,
)
from rxapp.services.team.joining import (  # noqa: F401
    accept,
    link_status,
    request_renewal,
)
from rxapp.services.team.mail import (  # noqa: F401
    TOKEN_PURPOSE,
    check_still_pending,
    join_link_context,
    join_link_of,
)
from rxapp.services.team.members import (  # noqa: F401
    deactivate_member,
    list_members,
    reactivate_member,
    set_member_role,
    update_member_attributes,
)
from rxapp.services.team.seats import SeatsExceeded, check_seats, seats_used  # noqa: F401
