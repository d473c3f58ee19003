"""The shared tenancy check for ids sent by clients (R-ACC-3)."""

import pytest

from rxapp.models.participants import Participant
from rxapp.services.common.errors import NotAllowed, NotFound
from rxapp.services.common.tenancy import owned_row
from tests.conftest import START
from tests.factories import make_org


def test_r_acc_3_owned_row_refuses_other_org_unknown_and_non_int_ids(session):
    alpha, beta = make_org(session), make_org(session)
    row = Participant(organization_id=alpha.id, first_name="A", last_name="B",
                      first_name_lower="a", last_name_lower="b", email="a@example.com",
                      language="en", created_at=START)
    session.add(row)
    session.commit()
    assert owned_row(session, Participant, row.id, organization_id=alpha.id) is row
    with pytest.raises(NotAllowed):
        owned_row(session, Participant, row.id, organization_id=beta.id)
    for crafted in (str(row.id), True, {"id": row.id}, None):
        with pytest.raises(NotAllowed):
            owned_row(session, Participant, crafted, organization_id=alpha.id)
    with pytest.raises(NotAllowed):
        owned_row(session, Participant, 10**9, organization_id=alpha.id)
    with pytest.raises(NotFound):
        owned_row(session, Participant, 10**9, organization_id=alpha.id, missing="x.not_found")


def test_13_10_out_of_range_ids_are_not_found_not_an_overflow(session):
    alpha = make_org(session)
    for huge in (99999999999999999999, 2**63, -5, 0):
        with pytest.raises(NotAllowed):
            owned_row(session, Participant, huge, organization_id=alpha.id)
        with pytest.raises(NotFound):
            owned_row(session, Participant, huge, organization_id=alpha.id, missing="x.not_found")
