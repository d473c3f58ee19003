"""Reflex configuration; every value can be overridden from the environment."""

import reflex as rx

from rxapp.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="rxapp",
    db_url=settings.database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
