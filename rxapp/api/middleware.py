"""The middleware stack in front of the whole backend (pages, API, event socket, uploads)."""

from starlette.types import ASGIApp

from rxapp.api.browser import BrowserCookieMiddleware
from rxapp.api.headers import SecurityHeadersMiddleware
from rxapp.api.origin import OriginCheckMiddleware
from rxapp.api.tabs import TabBindingMiddleware
from rxapp.api.upload import UploadCookieMiddleware


def protect(app: ASGIApp) -> ASGIApp:
    """Wrap the backend: origin, tab token binding, upload cookie, browser id, headers.

    Given to ``rx.App(api_transformer=[..., protect])``, after the API routes, so it
    wraps everything the backend serves.
    """
    inner = UploadCookieMiddleware(app)
    inner = TabBindingMiddleware(inner)
    inner = OriginCheckMiddleware(inner)
    inner = BrowserCookieMiddleware(inner)
    return SecurityHeadersMiddleware(inner)
