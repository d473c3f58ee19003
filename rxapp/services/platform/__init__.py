"""The vendor's platform console: organizations, their plans, usage and requests.

R-ACC-5, R-INT-3, R-PLUS-10.
"""

from rxapp.services.platform.operators import create_operator, require_operator
from rxapp.services.platform.plans import (
    OrgSummary,
    PlanChangeRow,
    get_organization,
    list_organizations,
    plan_history,
    update_plan,
)
from rxapp.services.platform.requests import (
    ENTITY,
    KIND_PLAN_REQUEST,
    REQUEST_KINDS,
    RequestRow,
    list_requests,
    mark_handled,
    open_request_kinds,
    request_more,
)

__all__ = [
    "ENTITY",
    "KIND_PLAN_REQUEST",
    "REQUEST_KINDS",
    "OrgSummary",
    "PlanChangeRow",
    "RequestRow",
    "create_operator",
    "get_organization",
    "list_organizations",
    "list_requests",
    "mark_handled",
    "open_request_kinds",
    "plan_history",
    "request_more",
    "require_operator",
    "update_plan",
]
