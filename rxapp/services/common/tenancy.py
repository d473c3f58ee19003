"""The one tenancy check for rows looked up by an id a client sent."""

from typing import Any, TypeVar

from sqlmodel import Session

from rxapp.services.common.errors import NotAllowed, NotFound

T = TypeVar("T")

# Primary keys are BIGINT at most; a larger id cannot exist, and the drivers raise
# (OverflowError on SQLite, DataError on PostgreSQL) instead of finding nothing.
MAX_ID = 2**63 - 1


def is_row_id(value: Any) -> bool:
    """Whether ``value`` could be a primary key: a real int (not a bool) in range."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def owned_row(
    session: Session,
    model: type[T],
    row_id: Any,
    *,
    organization_id: int,
    missing: str | None = None,
) -> T:
    """Return the row with ``row_id`` if it belongs to ``organization_id``.

    Args:
        session: Any session.
        model: A table with an ``organization_id`` column.
        row_id: The id as the client sent it (anything; only a real int can match).
        organization_id: The signed-in user's organization.
        missing: Catalogue key of ``NotFound`` for an unknown id; None answers an
            unknown id like another organization's one (``NotAllowed``), revealing nothing.

    Raises:
        NotFound: No such row, or an id out of range (only when ``missing`` is given).
        NotAllowed: Not an int id, or the row belongs to another organization.
    """
    if not isinstance(row_id, int) or isinstance(row_id, bool):
        raise NotAllowed()
    row = session.get(model, row_id) if 1 <= row_id <= MAX_ID else None
    if row is None:
        if missing is None:
            raise NotAllowed()
        raise NotFound(missing)
    if row.organization_id != organization_id:  # type: ignore[attr-defined]
        raise NotAllowed("common.not_allowed")
    return row
