"""Review handlers called directly, as a crafted websocket message would call them (§4).

Signed-out callers, agents and organizations without the reviews module get nothing;
an admin of one organization never touches another's keys; organizers cannot make keys.
"""

import inspect

import pytest
from sqlmodel import select

from rxapp.models import ApiKey, Customer, Purchase, ReviewSettings
from rxapp.services.reviews.api_keys import create_api_key
from rxapp.states.reviews import (
    PurchaseImportState,
    PurchasesState,
    ReviewPageState,
    ReviewSettingsState,
    ReviewsState,
)
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha")
    beta = make_org(session, name="Beta")
    bare = make_org(session, name="NoReviews", modules=["interactions"])
    users = {
        "admin": make_user(session, alpha),
        "organizer": make_user(session, alpha, role="organizer"),
        "agent": make_user(session, alpha, role="agent"),
        "beta_admin": make_user(session, beta),
        "bare_admin": make_user(session, bare),
    }
    beta_key = create_api_key(
        session, organization_id=beta.id, name="beta", created_by=None, now=START
    )
    session.commit()
    return {"session": session, "alpha": alpha, "beta": beta, "beta_key": beta_key, **users}


def _state(cls, world, who, path="/reviews/settings"):
    token = None if who is None else signed_in_token(world["session"], world[who].id, START)
    return make_state(cls, token=token, path=path)


@pytest.mark.parametrize("who", [None, "agent", "bare_admin"])
def test_settings_refused_without_staff_role_or_module(world, who):
    s = _state(ReviewSettingsState, world, who)
    s.load()
    s.set_field("service_delay", "3")
    s.set_reminders(True)
    s.save()
    s.create_key()
    assert s.preview_lines == [] and s.new_key == ""
    session = world["session"]
    assert session.exec(select(ReviewSettings)).all() == []
    assert len(session.exec(select(ApiKey)).all()) == 1  # only beta's


def test_settings_preview_follows_the_form_and_save_stores_it(world):
    s = _state(ReviewSettingsState, world, "organizer")
    s.load()
    before = list(s.preview_lines)
    assert "Mon 9 Mar 2026, 09:00 UTC" in before[1]  # START Mon 2 Mar + 7 days
    s.set_field("service_unit", "weeks")
    assert "Mon 20 Apr 2026" in s.preview_lines[1]  # 7 weeks
    s.set_field("service_delay", "-1")
    assert s.error_field == "service_delay" and s.error_text
    s.set_field("service_delay", "1")
    s.set_field("not_a_field", "x")
    s.save()
    assert s.saved_text
    rules = world["session"].exec(select(ReviewSettings)).one()
    assert rules.service_unit == "weeks" and rules.service_delay == 1
    assert rules.organization_id == world["alpha"].id


def test_organizer_cannot_create_or_revoke_keys(world):
    s = _state(ReviewSettingsState, world, "organizer")
    s.load()
    assert s.is_admin is False and s.keys == []
    s.create_key()
    assert s.new_key == ""


def test_admin_key_shown_once_and_other_orgs_key_cannot_be_revoked(world):
    s = _state(ReviewSettingsState, world, "admin")
    s.load()
    s.set_key_name("shop")
    s.create_key()
    assert s.new_key.startswith("bk_") and len(s.keys) == 1
    s.close_new_key()
    assert s.new_key == ""
    # A crafted event with beta's key id: ask_revoke only knows this org's listed keys,
    # and revoke refuses another organization's id even when forced.
    beta_id = world["beta_key"].row.id
    s.ask_revoke(str(beta_id))
    assert s.revoke_id == 0
    s.revoke_id = beta_id
    s.revoke()
    session = world["session"]
    session.expire_all()
    assert session.get(ApiKey, beta_id).revoked_at is None


def test_purchase_form_keeps_input_on_error_and_records_for_own_org(world):
    s = _state(PurchasesState, world, "organizer", path="/reviews/purchases")
    s.load()
    s.set_field("email", "not an email")
    s.set_field("order_reference", "F-1")
    s.submit()
    assert s.error_field == "email" and s.email == "not an email"
    s.set_field("email", "eva@example.com")
    s.set_field("products", "SKU-1; Kettle")
    s.submit()
    assert s.error_field == "" and "F-1" in s.result_text and s.email == ""
    (p,) = world["session"].exec(select(Purchase)).all()
    assert p.organization_id == world["alpha"].id and p.products[0]["sku"] == "SKU-1"
    s.set_field("order_reference", "F-1")
    s.set_field("email", "eva@example.com")
    s.submit()
    assert "F-1" in s.result_text and len(world["session"].exec(select(Purchase)).all()) == 1


async def test_purchase_upload_refused_for_agent(world):
    s = _state(PurchaseImportState, world, "agent", path="/reviews/purchases")
    result = s.receive_csv([])
    if inspect.iscoroutine(result):
        await result
    assert s.import_result == "" and s._upload_id == ""


@pytest.mark.parametrize("who", [None, "agent", "beta_admin"])
def test_reviews_list_shows_only_own_org(world, who):
    s = _state(ReviewsState, world, who, path="/reviews")
    s.load()
    s.set_filter("stars", "5")
    s.set_filter("nonsense", "1")
    assert s.rows == []


def test_review_page_with_a_bad_token_is_invalid_and_submit_refused(world):
    s = make_state(ReviewPageState, path="/r/not-a-token")
    s.load()
    assert s.status == "invalid"
    s.subjects = [{"key": "service", "name": ""}]
    s.stars = {"service": 5}
    s.submit()
    assert s.error_text and s.status == "invalid"


def test_purchase_history_only_for_own_organization(world):
    s = _state(PurchasesState, world, "organizer", path="/reviews/purchases")
    s.load()
    s.set_field("email", "eva@example.com")
    s.set_field("order_reference", "H-1")
    s.submit()
    pid = s.rows[0]["id"]
    s.open_log(pid)
    assert s.log_reference == "H-1" and [r["event"] for r in s.log_rows] == ["scheduled"]
    other = _state(PurchasesState, world, "beta_admin", path="/reviews/purchases")
    other.open_log(pid)
    other.open_log({"id": pid})
    assert other.log_rows == [] and other.log_reference == ""


def test_purchases_page_speaks_the_ui_language_and_the_form_sets_the_customers(world):
    # The customer-language field once shadowed the UI language (`language`): a German
    # page listed English states and dates, and a crafted value changed both.
    s = _state(PurchasesState, world, "organizer", path="/reviews/purchases")
    s.lang = "de"
    s.load()
    s.set_field("email", "eva@example.com")
    s.set_field("order_reference", "F-2")
    s.set_field("customer_language", "sv")
    s.set_field("language", "xx")  # not a form field: ignored
    s.submit()
    assert s.error_field == "", s.error_text
    assert s.language == "de"
    (customer,) = world["session"].exec(select(Customer)).all()
    assert customer.language == "sv"
    (row,) = s.rows
    assert row["states"] == "geplant"
    assert "März" in row["when"]  # the frozen clock's March, in German
