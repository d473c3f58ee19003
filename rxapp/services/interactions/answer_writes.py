"""Writing one answer in a single guarded statement (R-INT-8): the hottest write there is.

Every answer an invitee gives runs this (bench-load), so its checks travel with the
write instead of being separate queries: the answer is inserted, or replaces the
earlier one, only when the interaction is neither completed nor deleted and the
question belongs to its questionnaire; on PostgreSQL it is one round trip. The
statements are built once per database dialect and way of naming the interaction,
then executed with parameters, which spares SQLAlchemy rebuilding and re-keying them
on every answer.
"""

from datetime import datetime
from functools import lru_cache
from typing import Literal

from sqlalchemy import Executable, bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from rxapp.models.participants import Answer, Interaction, InteractionState, Question
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tenancy import is_row_id

By = Literal["token", "id"]
_OPEN = (InteractionState.INVITED.value, InteractionState.IN_PROGRESS.value)


# Parameters are prefixed: INSERT and UPDATE reserve the bare column names for themselves.
def _which(by: By):  # noqa: ANN202 - a SQL condition on Interaction
    if by == "token":
        return col(Interaction.token_hash) == bindparam("p_token_hash")
    return (col(Interaction.id) == bindparam("p_interaction_id")) & (
        col(Interaction.organization_id) == bindparam("p_organization_id")
    )


@lru_cache
def _statements(dialect: str, by: By) -> tuple[Executable, Executable | None]:
    """The answer's write for one dialect and way of naming the interaction.

    On PostgreSQL one statement: the upsert and "invited -> in progress" as
    data-modifying CTEs, returning how many answers it wrote; atomic on its own, so
    the caller may run it in autocommit. On SQLite (no network, so no round trips to
    save) the upsert and the update, in the caller's transaction.
    """
    source = (
        select(
            col(Interaction.id),
            col(Question.id),
            bindparam("p_value", type_=Answer.__table__.c.value.type),
            bindparam("p_now", type_=Answer.__table__.c.answered_at.type),
        )
        .join(Question, col(Question.questionnaire_id) == col(Interaction.questionnaire_id))
        .where(_which(by), col(Interaction.state).in_(_OPEN),
               col(Question.id) == bindparam("p_question_id"))
    )
    # Both databases Beckon runs on know INSERT ... ON CONFLICT DO UPDATE.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(Answer).from_select(
        ["interaction_id", "question_id", "value", "answered_at"], source
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=["interaction_id", "question_id"],
        set_={"value": upsert.excluded.value, "answered_at": upsert.excluded.answered_at},
    )
    started = update(Interaction).values(state=InteractionState.IN_PROGRESS.value)
    invited = col(Interaction.state) == InteractionState.INVITED.value
    if dialect == "postgresql":
        saved = upsert.returning(col(Answer.interaction_id)).cte("saved")
        step = started.where(col(Interaction.id).in_(select(saved.c.interaction_id)), invited)
        return select(func.count()).select_from(saved).add_cte(step.cte("started")), None
    # An INSERT's rowcount is kept only when asked for.
    return upsert.execution_options(preserve_rowcount=True), started.where(_which(by), invited)


def save_answer(
    session: Session,
    *,
    question_id: int,
    value: int,
    now: datetime,
    token_hash: str | None = None,
    interaction_id: int | None = None,
    organization_id: int | None = None,
) -> bool:
    """Write one answer of an interaction named by its link's token hash, or by id.

    Args:
        session: The caller's session (the write joins its transaction).
        question_id: The question answered.
        value: 1..5.
        now: The time of the answer.
        token_hash: The hash of the link's token, for the invitee's page; or else
        interaction_id: the interaction, with
        organization_id: the caller's organization (the tenant guard).

    Returns:
        False when nothing was written: no such live interaction, finished or
        deleted, or a question of another questionnaire (the caller says which).

    Raises:
        DomainError: ``answer.value_invalid`` or ``answer.question_unknown``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise DomainError("answer.value_invalid", field="value")
    if not is_row_id(question_id):
        raise DomainError("answer.question_unknown", field="question_id")
    if token_hash is not None:
        by: By = "token"
        names: dict[str, object] = {"p_token_hash": token_hash}
    elif is_row_id(interaction_id) and is_row_id(organization_id):
        by, names = "id", {"p_interaction_id": interaction_id,
                           "p_organization_id": organization_id}
    else:
        return False
    # Core statements on the session's connection: the same transaction, without the
    # ORM's bulk-write bookkeeping (there are no loaded answers to keep in step).
    connection = session.connection()
    params = {**names, "p_question_id": question_id, "p_value": value, "p_now": now}
    write, started = _statements(connection.dialect.name, by)
    if started is None:  # one statement that counts what it wrote
        if not connection.execute(write, params).scalar():
            return False
    else:
        if connection.execute(write, params).rowcount <= 0:
            return False
        connection.execute(started, names)
    # An Interaction this session already loaded may still say "invited".
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Interaction) and (
            obj.token_hash == token_hash if by == "token" else obj.id == interaction_id
        ):
            session.expire(obj, ["state"])
    return True

