"""The purchases API with a real HTTP client, and fuzzed from its own OpenAPI schema.

No 500 whatever the body; nothing accepted without a valid key; no key of one
organization reaching another's data (issue 11, "Done when").
"""

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session, select

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; httpx is what the project installs.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from rxapp import routes
from rxapp.api import build_api
from rxapp.models.outbox import OutboxMessage
from rxapp.models.reviews import Purchase
from rxapp.services.common.unsubscribe import is_unsubscribed, unsubscribe_token
from rxapp.services.reviews.api_keys import create_api_key, revoke_api_key
from tests.conftest import T0
from tests.factories import make_organization

APP = build_api()
schema = schemathesis.openapi.from_asgi(routes.API_OPENAPI, APP)


def _one(ref="A-1", **kw):
    return {
        "order_reference": ref,
        "email": "ann@example.com",
        "name": "Ann",
        "language": "sv",
        "purchased_at": "2026-03-01T10:00:00Z",
        "products": [{"sku": "SKU-1", "name": "Kettle"}],
        **kw,
    }


@pytest.fixture
def api(app_db, engine, frozen_clock):
    """Two organizations with one key each, and an HTTP client on the API."""
    with Session(engine, expire_on_commit=False) as s:
        a = make_organization(s, name="Org A")
        b = make_organization(s, name="Org B")
        key_a = create_api_key(s, organization_id=a.id, name="shop", created_by=None, now=T0)
        key_b = create_api_key(s, organization_id=b.id, name="shop", created_by=None, now=T0)
        s.commit()
    client = TestClient(APP, raise_server_exceptions=False)
    return {
        "client": client,
        "a": a,
        "b": b,
        "key_a": key_a.plaintext,
        "key_b": key_b.plaintext,
        "key_a_id": key_a.row.id,
    }


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_single_purchase_is_created_then_a_repeat_changes_nothing(api, engine):
    c = api["client"]
    r = c.post(routes.API_PURCHASES, json=_one(), headers=_auth(api["key_a"]))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "created" and body["invitations"] == 1
    assert body["first_due_at"].startswith("2026-03-08T09:00:00")
    again = c.post(
        routes.API_PURCHASES, json=_one(email="x@example.com"), headers=_auth(api["key_a"])
    )
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["purchase_id"] == body["purchase_id"]
    with Session(engine) as s:
        assert len(s.exec(select(OutboxMessage)).all()) == 1


def test_batch_reports_each_purchase(api):
    batch = {"purchases": [_one("B-1"), _one("B-2", email="bo@example.com"), _one("B-1")]}
    r = api["client"].post(routes.API_PURCHASES, json=batch, headers=_auth(api["key_a"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["created"] == 2 and body["duplicates"] == 1
    assert [x["status"] for x in body["results"]] == ["created", "created", "duplicate"]


def test_422_names_the_field_and_the_reason(api):
    c = api["client"]
    r = c.post(routes.API_PURCHASES, json=_one(language="xx"), headers=_auth(api["key_a"]))
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "language"
    r = c.post(routes.API_PURCHASES, json=_one(email="not-an-email"), headers=_auth(api["key_a"]))
    assert r.status_code == 422 and r.json()["detail"] == [
        {
            "field": "email",
            "reason": "Enter a valid email address.",
            "code": "reviews.email_invalid",
        }
    ]
    batch = {"purchases": [_one("C-1"), _one("C-2", purchased_at="2026-03-01T10:00:00")]}
    r = c.post(routes.API_PURCHASES, json=batch, headers=_auth(api["key_a"]))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "purchases[1].purchased_at"
    r = c.post(routes.API_PURCHASES, content=b"{not json", headers=_auth(api["key_a"]))
    assert r.status_code == 400


def test_no_key_bad_key_revoked_key_are_401_and_write_nothing(api, engine):
    c = api["client"]
    assert c.post(routes.API_PURCHASES, json=_one()).status_code == 401
    r = c.post(routes.API_PURCHASES, json=_one(), headers=_auth("bk_wrong"))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    # Invalid body without a valid key: 401, not a 422 that would describe the API.
    assert c.post(routes.API_PURCHASES, json={"x": 1}, headers=_auth("bk_x")).status_code == 401
    with Session(engine) as s:
        revoke_api_key(s, organization_id=api["a"].id, key_id=api["key_a_id"], now=T0)
        s.commit()
    assert c.post(routes.API_PURCHASES, json=_one(), headers=_auth(api["key_a"])).status_code == 401
    with Session(engine) as s:
        assert s.exec(select(Purchase)).all() == []


def test_a_key_never_reaches_another_organizations_purchases(api, engine):
    c = api["client"]
    assert c.post(routes.API_PURCHASES, json=_one(), headers=_auth(api["key_a"])).status_code == 201
    path = routes.API_PURCHASE.replace("{order_reference}", "A-1")
    assert c.get(path, headers=_auth(api["key_a"])).json()["email"] == "ann@example.com"
    assert c.get(path, headers=_auth(api["key_b"])).status_code == 404
    # The same reference in B is B's own purchase, A's stays untouched.
    r = c.post(routes.API_PURCHASES, json=_one(email="b@example.com"), headers=_auth(api["key_b"]))
    assert r.status_code == 201
    with Session(engine) as s:
        rows = s.exec(select(Purchase.organization_id).where(Purchase.order_reference == "A-1"))
        assert sorted(rows.all()) == sorted([api["a"].id, api["b"].id])


def test_openapi_schema_is_served(api):
    doc = api["client"].get(routes.API_OPENAPI).json()
    assert doc["openapi"].startswith("3.") and routes.API_PURCHASES in doc["paths"]
    assert "PurchaseIn" in doc["components"]["schemas"]


def test_r_plus_8_get_never_unsubscribes_post_does(api, engine):
    c = api["client"]
    token = unsubscribe_token(organization_id=api["a"].id, email="ann@example.com", scope="reviews")
    page = c.get(routes.unsubscribe_path(token), headers={"Accept-Language": "sv"})
    assert page.status_code == 200 and "Avregistrera" in page.text and "<form" in page.text
    with Session(engine) as s:
        assert not is_unsubscribed(
            s, organization_id=api["a"].id, email="ann@example.com", scope="reviews"
        )
    # RFC 8058 one-click body.
    done = c.post(routes.unsubscribe_path(token), data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with Session(engine) as s:
        assert is_unsubscribed(
            s, organization_id=api["a"].id, email="ann@example.com", scope="reviews"
        )
        assert not is_unsubscribed(
            s, organization_id=api["a"].id, email="ann@example.com", scope="team"
        )
    # The page's choice "everything from this organization".
    c.post(routes.unsubscribe_path(token), data={"scope": "all"})
    with Session(engine) as s:
        assert is_unsubscribed(
            s, organization_id=api["a"].id, email="ann@example.com", scope="team"
        )
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert c.post(routes.unsubscribe_path(forged)).status_code == 404


_FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@_FUZZ
def test_fuzz_with_a_valid_key_never_500_and_answers_as_documented(case, api):
    case.headers = {**(case.headers or {}), **_auth(api["key_a"])}
    case.call_and_validate(checks=_CHECKS)


@schema.parametrize()
@_FUZZ
def test_fuzz_without_a_valid_key_nothing_is_accepted(case, api, engine):
    if case.path == routes.API_OPENAPI:
        return
    case.headers = {**(case.headers or {}), "Authorization": "Bearer bk_not-a-key"}
    response = case.call()
    expected = 401 if case.method.upper() == case.operation.method.upper() else 405
    assert response.status_code == expected, (case.method, response.text)
    with Session(engine) as s:
        assert s.exec(select(Purchase)).first() is None


@schema.parametrize()
@_FUZZ
def test_fuzz_with_another_organizations_key_sees_nothing_of_it(case, api, engine):
    with Session(engine) as s:
        if s.exec(select(Purchase)).first() is None:
            TestClient(APP).post(
                routes.API_PURCHASES, json=_one("SECRET-1"), headers=_auth(api["key_a"])
            )
    case.headers = {**(case.headers or {}), **_auth(api["key_b"])}
    response = case.call()
    assert response.status_code < 500
    assert "SECRET-1" not in response.text or response.json().get("status") == "created"
    with Session(engine) as s:
        for p in s.exec(select(Purchase)).all():
            assert p.order_reference != "SECRET-1" or p.organization_id == api["a"].id


def test_r_rev_7_reviews_export_for_own_staff_only(app_db, engine, frozen_clock):
    from rxapp.models.reviews import ReviewInvitation
    from rxapp.services.common.tokens import derive_token
    from rxapp.services.reviews.purchases import PurchaseInput, record_purchases
    from rxapp.services.reviews.reviewing import submit_review
    from rxapp.services.reviews.rules import TOKEN_PURPOSE
    from tests.factories import make_org, make_user
    from tests.states import signed_in_token

    with Session(engine, expire_on_commit=False) as s:
        acme = make_org(s, name="Acme")
        other = make_org(s, name="Other")
        staff = make_user(s, acme, role="organizer")
        agent = make_user(s, acme, role="agent")
        outsider = make_user(s, other)
        record_purchases(
            s,
            organization_id=acme.id,
            now=T0,
            items=[
                PurchaseInput(
                    email="ann@example.com",
                    order_reference="X-1",
                    occurred_at=T0,
                    name="=cmd|' /C calc'!A0",
                )
            ],
        )
        inv = s.exec(select(ReviewInvitation)).one()
        submit_review(
            s,
            token=derive_token(TOKEN_PURPOSE, inv.link_salt),
            ratings={"service": (4, "Good")},
            now=T0,
        )
        s.commit()
        cookies = {
            name: signed_in_token(s, user.id, T0)
            for name, user in (("staff", staff), ("agent", agent), ("outsider", outsider))
        }
    client = TestClient(APP)
    url = routes.API_REVIEWS_EXPORT + "?stars=4"
    ok = client.get(url, cookies={routes.SESSION_COOKIE: cookies["staff"]})
    assert ok.status_code == 200 and "Good" in ok.text
    assert "'=cmd" in ok.text  # a formula-looking name is defused
    assert client.get(url).status_code == 403
    assert client.get(url, cookies={routes.SESSION_COOKIE: cookies["agent"]}).status_code == 403
    foreign = client.get(url, cookies={routes.SESSION_COOKIE: cookies["outsider"]})
    assert foreign.status_code == 200 and "Good" not in foreign.text
    none = client.get(
        routes.API_REVIEWS_EXPORT + "?stars=1", cookies={routes.SESSION_COOKIE: cookies["staff"]}
    )
    assert "Good" not in none.text


def test_concurrent_repeats_of_one_order_record_it_once_and_never_500(api, engine):
    """Two shops' retries racing: one 201, the other a duplicate, never a 500."""
    from concurrent.futures import ThreadPoolExecutor

    batch = {"purchases": [_one(f"R-{n}", email=f"r{n}@example.com") for n in range(200)]}

    def post(_):
        client = TestClient(APP, raise_server_exceptions=False)
        return client.post(routes.API_PURCHASES, json=batch, headers=_auth(api["key_a"]))

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(post, range(4)))
    assert [a.status_code for a in answers] == [200] * 4, [a.text[:200] for a in answers]
    assert sum(a.json()["created"] for a in answers) == 200
    with Session(engine) as s:
        assert len(s.exec(select(Purchase)).all()) == 200
        assert len(s.exec(select(OutboxMessage)).all()) == 200


def test_shops_and_mail_clients_post_without_our_origin_other_posts_still_refused(api, engine):
    """Behind the whole middleware stack: the purchases API and the one-click unsubscribe
    read no cookie, so they take POSTs from anywhere; cookie endpoints still need our Origin."""
    from rxapp.api.middleware import protect

    client = TestClient(protect(APP), raise_server_exceptions=False)
    answer = client.post(routes.API_PURCHASES, json=_one("O-1"), headers=_auth(api["key_a"]))
    assert answer.status_code == 201, answer.text
    token = unsubscribe_token(organization_id=api["a"].id, email="ann@example.com", scope="reviews")
    assert (
        client.post(
            routes.unsubscribe_path(token),
            headers={"Origin": "https://evil.example"},
            data={"List-Unsubscribe": "One-Click"},
        ).status_code
        == 200
    )
    refused = client.post(routes.API_SESSION_END, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.text == "Forbidden origin"
