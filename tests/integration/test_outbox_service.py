from datetime import timedelta

import pytest
from sqlmodel import Session, select

from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.services.common.outbox import (
    DuplicateMessage,
    cancel_messages,
    list_messages_for,
)
from rxapp.services.common.status_log import get_status_log, record_status
from tests.conftest import T0
from tests.factories import make_message, make_organization


def test_r_msg_1_schedule_joins_the_callers_transaction(engine, org):
    with Session(engine) as s:
        make_message(s, organization_id=org.id, now=T0, idempotency_key="a")
        s.rollback()
    with Session(engine) as s:
        assert s.exec(select(OutboxMessage)).all() == []
        msg = make_message(s, organization_id=org.id, now=T0, idempotency_key="a")
        s.commit()
        assert msg.state == MessageState.SCHEDULED and msg.message_id.startswith("<")


def test_r_msg_1_duplicate_idempotency_key_is_a_domain_error_and_caller_survives(engine, org):
    with Session(engine) as s:
        make_message(s, organization_id=org.id, now=T0, idempotency_key="dup")
        s.commit()
    with Session(engine, expire_on_commit=False) as s:
        other = make_organization(s, name="Caller's own work")
        with pytest.raises(DuplicateMessage):
            make_message(s, organization_id=org.id, now=T0, idempotency_key="dup")
        s.commit()  # the caller's transaction is still usable
    with Session(engine) as s:
        assert s.get(type(other), other.id) is not None
        assert len(s.exec(select(OutboxMessage)).all()) == 1


def test_r_msg_1_schedule_records_status_and_requires_aware_times(engine, org):
    with Session(engine) as s:
        make_message(s, organization_id=org.id, now=T0, entity_type="interaction", entity_id=7)
        s.commit()
        log = get_status_log(s, organization_id=org.id, entity_type="interaction", entity_id=7)
        assert [r.event for r in log] == ["scheduled"]
        with pytest.raises(ValueError):
            make_message(s, organization_id=org.id, now=T0, due_at=T0.replace(tzinfo=None))


def test_r_int_10_cancel_messages_of_an_entity(engine, org):
    with Session(engine) as s:
        for kind in ("invite", "reminder", "reminder"):
            make_message(s, organization_id=org.id, now=T0, kind=kind, entity_id=1)
        make_message(s, organization_id=org.id, now=T0, entity_id=2)
        s.commit()
        assert (
            cancel_messages(s, entity_type="interaction", entity_id=1, kinds=["reminder"], now=T0)
            == 2
        )
        assert cancel_messages(s, entity_type="interaction", entity_id=1, now=T0) == 1
        s.commit()
        rows = list_messages_for(s, organization_id=org.id, entity_type="interaction", entity_id=1)
        assert {r.state for r in rows} == {"cancelled"}
        other = list_messages_for(s, organization_id=org.id, entity_type="interaction", entity_id=2)
        assert [r.state for r in other] == ["scheduled"]
        log = get_status_log(s, organization_id=org.id, entity_type="interaction", entity_id=1)
        assert [r.event for r in log].count("cancelled") == 3


def test_r_plus_4_status_log_is_per_organization_and_oldest_first(engine, org):
    with Session(engine, expire_on_commit=False) as s:
        intruder = make_organization(s)
        for i, event in enumerate(["sent", "scheduled", "opened"]):
            record_status(
                s,
                organization_id=org.id,
                entity_type="review",
                entity_id=3,
                event=event,
                now=T0 + timedelta(minutes=[2, 1, 3][i]),
            )
        record_status(
            s,
            organization_id=intruder.id,
            entity_type="review",
            entity_id=3,
            event="revoked",
            now=T0,
        )
        s.commit()
        log = get_status_log(s, organization_id=org.id, entity_type="review", entity_id=3)
        assert [r.event for r in log] == ["scheduled", "sent", "opened"]
        assert (
            list_messages_for(
                s, organization_id=intruder.id, entity_type="interaction", entity_id=1
            )
            == []
        )
