"""The unsubscribe link of every email to an invitee (R-PLUS-8, RFC 8058).

``GET`` shows a small page with a confirm button and changes nothing (link scanners and
mail previews open links); ``POST`` unsubscribes: the one-click POST a mail client sends
for ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, or the page's own form, which
also offers "all emails from this organization". The token is signed: it names the
organization, the address and the kind, and cannot be made for another address.
"""

import asyncio
from html import escape

from sqlmodel import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.i18n import pick_language, translate
from rxapp.models.accounts import Organization
from rxapp.models.contact import UnsubscribeScope
from rxapp.models.reviews import Customer
from rxapp.services.common.unsubscribe import read_unsubscribe_token, unsubscribe

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
}
_STYLE = (
    "body{font-family:-apple-system,'Segoe UI',Roboto,sans-serif;background:#f4f5f7;"
    "color:#1f2330;margin:0;padding:24px 16px}main{max-width:480px;margin:0 auto;"
    "background:#fff;border-radius:8px;padding:24px}h1{font-size:22px;margin:0 0 12px}"
    "label{display:flex;gap:10px;align-items:flex-start;padding:10px 0;min-height:44px}"
    "button{font-size:16px;min-height:44px;padding:10px 20px;border:0;border-radius:6px;"
    "background:#3e63dd;color:#fff;width:100%;margin-top:12px}p{line-height:1.5}"
)


def _context(token: str, request: Request):
    """(organization name, email, scope, language) of a valid token, else None."""
    parsed = read_unsubscribe_token(token)
    if parsed is None:
        return None
    org_id, email, scope = parsed
    with session_scope() as session:
        org = session.get(Organization, org_id)
        if org is None:
            return None
        language = session.exec(
            select(Customer.language).where(
                Customer.organization_id == org_id, Customer.email == email
            )
        ).first()
        lang = pick_language(language, request.headers.get("accept-language"), org.default_language)
        return org.sender_name or org.name, email, scope, lang, org_id


def _page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def _invalid(request: Request) -> HTMLResponse:
    lang = pick_language(request.headers.get("accept-language"))
    return _page(
        lang,
        translate(lang, "unsubscribe.invalid_title"),
        f"<p>{escape(translate(lang, 'unsubscribe.invalid_text'))}</p>",
        status=404,
    )


async def unsubscribe_page(request: Request) -> Response:
    """Show what the link would stop, with a confirm button; never unsubscribes by itself."""
    token = request.path_params["token"]
    found = await asyncio.to_thread(_context, token, request)
    if found is None:
        return _invalid(request)
    org_name, email, scope, lang, _ = found
    t = lambda key, **kw: escape(translate(lang, key, **kw))  # noqa: E731
    kind_label = t(f"unsubscribe.scope_{scope}")
    body = (
        f"<p>{t('unsubscribe.intro', email=email, organization=org_name)}</p>"
        f'<form method="post" action="{escape(routes.unsubscribe_path(token))}">'
        f'<label><input type="radio" name="scope" value="{escape(scope)}" checked> '
        f"{t('unsubscribe.only_kind', kind=kind_label)}</label>"
        f'<label><input type="radio" name="scope" value="{UnsubscribeScope.ALL.value}"> '
        f"{t('unsubscribe.everything', organization=org_name)}</label>"
        f'<button type="submit">{t("unsubscribe.confirm")}</button></form>'
    )
    return _page(lang, translate(lang, "unsubscribe.title"), body)


async def unsubscribe_post(request: Request) -> Response:
    """Unsubscribe: RFC 8058 one-click (the link's own scope) or the page's form choice."""
    token = request.path_params["token"]
    found = await asyncio.to_thread(_context, token, request)
    if found is None:
        return _invalid(request)
    org_name, email, scope, lang, org_id = found
    try:
        form = await request.form()
        chosen = str(form.get("scope") or scope)
    except Exception:  # noqa: BLE001 - a one-click POST may carry any body; the link decides
        chosen = scope
    if chosen not in (scope, UnsubscribeScope.ALL.value):
        chosen = scope

    def _do() -> None:
        with session_scope() as session:
            unsubscribe(session, organization_id=org_id, email=email, scope=chosen, now=clock.now())

    await asyncio.to_thread(_do)
    t = lambda key, **kw: escape(translate(lang, key, **kw))  # noqa: E731
    what = (
        t("unsubscribe.everything", organization=org_name)
        if chosen == UnsubscribeScope.ALL.value
        else t(f"unsubscribe.scope_{chosen}")
    )
    body = f"<p>{t('unsubscribe.done_text', email=email, what=what)}</p>"
    return _page(lang, translate(lang, "unsubscribe.done_title"), body)


def unsubscribe_routes() -> list[Route]:
    """GET shows, POST unsubscribes."""
    return [
        Route(routes.UNSUBSCRIBE, unsubscribe_page, methods=["GET"]),
        Route(routes.UNSUBSCRIBE, unsubscribe_post, methods=["POST"]),
    ]
