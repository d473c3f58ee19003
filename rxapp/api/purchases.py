"""The purchases API: ``POST /api/v1/purchases`` (one or a batch) and its OpenAPI schema.

Authenticated by a per-organization API key (``Authorization: Bearer bk_...``, scope
``purchases``); the organization comes from the key, never from the request. Wrong
input is a 422 listing each field and reason; nothing the client sends can make a 500.
Idempotent on the order reference: a repeat answers ``"status": "duplicate"`` and
changes nothing.
"""

import asyncio
import json
import logging
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.models.common import LANGUAGES
from rxapp.models.reviews import Customer, Purchase, PurchaseSource
from rxapp.services.common.errors import DomainError
from rxapp.services.reviews import api_keys
from rxapp.services.reviews.purchases import MAX_BATCH, PurchaseInput, record_purchases

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 4 * 1024 * 1024
LanguageCode = Literal["en", "de", "fr", "sv"]
assert set(LanguageCode.__args__) == set(LANGUAGES)  # noqa: S101 - keep the enum in step


class ProductIn(BaseModel):
    """A product of the purchase; each can be reviewed when product reviews are on."""

    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=1, max_length=100, pattern=r"\S")
    name: str = Field(default="", max_length=200)


class PurchaseIn(BaseModel):
    """One purchase or use of a service; invitations count from ``used_at`` or ``purchased_at``."""

    model_config = ConfigDict(extra="forbid")
    order_reference: str = Field(min_length=1, max_length=100, pattern=r"\S")
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(default="", max_length=200)
    language: LanguageCode = "en"
    timezone: str = Field(default="", max_length=64, description="IANA zone, e.g. Europe/Paris")
    purchased_at: AwareDatetime | None = None
    used_at: AwareDatetime | None = None
    products: list[ProductIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _a_moment(self) -> "PurchaseIn":
        if self.purchased_at is None and self.used_at is None:
            raise ValueError("purchased_at or used_at is required")
        return self

    def to_input(self) -> PurchaseInput:
        """The service's input (the moment of use wins over the moment of purchase)."""
        occurred: datetime = self.used_at or self.purchased_at  # type: ignore[assignment]
        return PurchaseInput(
            email=self.email,
            order_reference=self.order_reference,
            occurred_at=occurred,
            name=self.name,
            language=self.language,
            timezone=self.timezone,
            products=tuple((p.sku, p.name) for p in self.products),
        )


class PurchaseBatchIn(BaseModel):
    """Up to 1,000 purchases in one request, recorded in one transaction."""

    model_config = ConfigDict(extra="forbid")
    purchases: list[PurchaseIn] = Field(min_length=1, max_length=MAX_BATCH)


class PurchaseResult(BaseModel):
    """What became of one purchase."""

    order_reference: str
    status: Literal["created", "duplicate"]
    purchase_id: int
    invitations: int = Field(description="Invitations scheduled (0 for duplicates and capped)")
    capped: bool = Field(description="Held back by the frequency cap")
    first_due_at: datetime | None = None


class PurchaseBatchResult(BaseModel):
    """What became of a batch."""

    created: int
    duplicates: int
    results: list[PurchaseResult]


class PurchaseStatus(BaseModel):
    """A purchase of the key's organization, read back by its order reference."""

    order_reference: str
    purchase_id: int
    email: str
    occurred_at: datetime


class FieldError(BaseModel):
    """One rejected field and why (``code`` is stable, ``reason`` is for people)."""

    field: str
    reason: str
    code: str = ""


class ErrorOut(BaseModel):
    """The body of every 4xx answer."""

    error: str
    detail: list[FieldError] = Field(default_factory=list)


def _error(status: int, error: str, detail: list[dict] | None = None, **headers: str):
    body = ErrorOut(error=error, detail=[FieldError(**d) for d in detail or []])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers or None)


def _unauthorized() -> JSONResponse:
    return _error(401, "invalid or missing API key", **{"WWW-Authenticate": "Bearer"})


def _field_name(loc: tuple) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part in ("PurchaseIn", "PurchaseBatchIn"):
            continue
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def _validation_422(exc: ValidationError) -> JSONResponse:
    detail = [
        {"field": _field_name(tuple(e["loc"])), "reason": e["msg"], "code": e["type"]}
        for e in exc.errors(include_url=False)[:50]
    ]
    return _error(422, "invalid purchase", detail)


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _organization_of(session: Session, request: Request) -> int | None:
    return api_keys.authenticate(
        session, plaintext=_bearer(request), scope=api_keys.SCOPE_PURCHASES, now=clock.now()
    )


async def _json_body(request: Request) -> Any:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise _BadBody(413, "body too large")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _BadBody(400, "body is not JSON") from None


class _BadBody(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _record(request: Request, items: list[PurchaseIn]):
    """Authenticate and record in one transaction; None when the key is not valid."""
    try:
        return _record_once(request, items)
    except IntegrityError:
        # A concurrent request recorded one of these references first: now it is a
        # duplicate, which the second attempt reports as such.
        return _record_once(request, items)


def _record_once(request: Request, items: list[PurchaseIn]):
    with session_scope() as session:
        org_id = _organization_of(session, request)
        if org_id is None:
            return None
        return record_purchases(
            session,
            organization_id=org_id,
            items=[item.to_input() for item in items],
            source=PurchaseSource.API.value,
            now=clock.now(),
        )


def _result(outcome) -> PurchaseResult:
    return PurchaseResult(
        order_reference=outcome.order_reference,
        status="created" if outcome.created else "duplicate",
        purchase_id=outcome.purchase_id,
        invitations=outcome.invitations,
        capped=outcome.capped,
        first_due_at=outcome.first_due_at,
    )


async def post_purchases(request: Request) -> Response:
    """Record one purchase (an object) or a batch (``{"purchases": [...]}``)."""
    # The key first: a caller without one learns nothing, not even what a 422 would say.
    if not _bearer(request) or not await asyncio.to_thread(_key_is_valid, request):
        return _unauthorized()
    try:
        data = await _json_body(request)
    except _BadBody as exc:
        return _error(exc.status, exc.message)
    batch = isinstance(data, dict) and "purchases" in data
    try:
        items = (
            PurchaseBatchIn.model_validate(data).purchases
            if batch
            else [PurchaseIn.model_validate(data)]
        )
    except ValidationError as exc:
        return _validation_422(exc)
    try:
        outcomes = await asyncio.to_thread(_record, request, items)
    except DomainError as exc:
        field = (exc.field or "body").replace("items", "purchases")
        if not batch:
            field = field.split(".", 1)[1] if field.startswith("purchases[") else field
        reason = translate("en", exc.code)
        return _error(
            422, "invalid purchase", [{"field": field, "reason": reason, "code": exc.code}]
        )
    if outcomes is None:
        return _unauthorized()
    results = [_result(o) for o in outcomes]
    if not batch:
        (one,) = results
        return JSONResponse(
            one.model_dump(mode="json"), status_code=201 if one.status == "created" else 200
        )
    created = sum(1 for r in results if r.status == "created")
    body = PurchaseBatchResult(created=created, duplicates=len(results) - created, results=results)
    return JSONResponse(body.model_dump(mode="json"), status_code=200)


def _key_is_valid(request: Request) -> bool:
    with session_scope() as session:
        return _organization_of(session, request) is not None


def _lookup(request: Request, reference: str) -> PurchaseStatus | None | bool:
    with session_scope() as session:
        org_id = _organization_of(session, request)
        if org_id is None:
            return False
        row = session.exec(
            select(Purchase, Customer.email)
            .join(Customer, Customer.id == Purchase.customer_id)
            .where(Purchase.organization_id == org_id, Purchase.order_reference == reference)
        ).first()
        if row is None:
            return None
        purchase, email = row
        return PurchaseStatus(
            order_reference=purchase.order_reference,
            purchase_id=purchase.id or 0,
            email=email,
            occurred_at=purchase.occurred_at,
        )


async def get_purchase(request: Request) -> Response:
    """Read back a purchase of the key's organization (another's is 404, like a missing one)."""
    if not _bearer(request):
        return _unauthorized()
    reference = request.path_params["order_reference"]
    found = await asyncio.to_thread(_lookup, request, reference)
    if found is False:
        return _unauthorized()
    if found is None:
        return _error(404, "no such purchase")
    return JSONResponse(found.model_dump(mode="json"))


def openapi_schema() -> dict[str, Any]:
    """The API's OpenAPI 3.1 description, built from the pydantic models."""
    models = [
        ProductIn,
        PurchaseIn,
        PurchaseBatchIn,
        PurchaseResult,
        PurchaseBatchResult,
        PurchaseStatus,
        FieldError,
        ErrorOut,
    ]
    _, defs = models_json_schema(
        [(m, "validation" if m.__name__.endswith("In") else "serialization") for m in models],
        ref_template="#/components/schemas/{model}",
    )

    def ref(name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    def answer(description: str, model: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": ref(model)}}}

    errors = {
        "400": answer("Body is not JSON", "ErrorOut"),
        "401": answer("Missing, unknown or revoked API key", "ErrorOut"),
        "413": answer("Body over 4 MB", "ErrorOut"),
        "422": answer("A field is wrong; each field and reason is listed", "ErrorOut"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Beckon purchases API", "version": "1.0.0"},
        "components": {
            "schemas": defs["$defs"],
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"apiKey": []}],
        "paths": {
            routes.API_PURCHASES: {
                "post": {
                    "operationId": "recordPurchases",
                    "summary": "Record one purchase or a batch of up to 1,000",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"oneOf": [ref("PurchaseIn"), ref("PurchaseBatchIn")]}
                            }
                        },
                    },
                    "responses": {
                        "201": answer("The purchase was recorded", "PurchaseResult"),
                        "200": {
                            "description": "A repeated single purchase, or a batch",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [ref("PurchaseResult"), ref("PurchaseBatchResult")]
                                    }
                                }
                            },
                        },
                        **errors,
                    },
                }
            },
            routes.API_PURCHASE: {
                "get": {
                    "operationId": "getPurchase",
                    "summary": "Read back a purchase by its order reference",
                    "parameters": [
                        {
                            "name": "order_reference",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                        }
                    ],
                    "responses": {
                        "200": answer("The purchase", "PurchaseStatus"),
                        "401": errors["401"],
                        "404": answer("No such purchase in the key's organization", "ErrorOut"),
                    },
                }
            },
        },
    }


async def get_openapi(_request: Request) -> JSONResponse:
    """Serve the OpenAPI schema (public: it holds no data)."""
    return JSONResponse(openapi_schema())


def purchase_routes() -> list[Route]:
    """The purchases API and its schema."""
    return [
        Route(routes.API_PURCHASES, post_purchases, methods=["POST"]),
        Route(routes.API_PURCHASE, get_purchase, methods=["GET"]),
        Route(routes.API_OPENAPI, get_openapi, methods=["GET"]),
    ]
