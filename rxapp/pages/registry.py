"""The page decorator: each feature registers its own routes where its pages live.

As in reflex-dev/templates' ``template`` decorator, a page function declares its route,
title and on_load guards next to itself; ``rxapp.py`` only imports the feature packages
and adds whatever they registered, so a new page never touches the app module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

TITLE = "Beckon"


@dataclass(frozen=True)
class PageSpec:
    """One registered page: its component function, route, title and on_load events."""

    component: Callable[[], rx.Component]
    route: str
    title: str
    on_load: Any


_PAGES: dict[str, PageSpec] = {}


def page(*, route: str, on_load: Any = None, title: str = TITLE) -> Callable:
    """Register the decorated ``*_page()`` function for ``route``.

    Args:
        route: The path, from ``rxapp.routes``.
        on_load: Event handler(s) run on load; the first is the page's entry guard.
        title: The document title.

    Returns:
        The decorator, which returns the function unchanged.

    Raises:
        ValueError: Two pages claim one route.

    """

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        if route in _PAGES and _PAGES[route].component is not fn:
            raise ValueError(f"two pages for route {route}")
        _PAGES[route] = PageSpec(component=fn, route=route, title=title, on_load=on_load)
        return fn

    return decorator


def registered_pages() -> list[PageSpec]:
    """Every page registered so far, in registration order."""
    return list(_PAGES.values())


def add_registered_pages(app: rx.App) -> None:
    """Add every registered page to ``app``."""
    for spec in registered_pages():
        app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)
