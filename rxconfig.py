"""Reflex configuration; every value can be overridden from the environment."""

import reflex as rx

from rxapp.settings import get_settings

settings = get_settings()

# Radix colors the app uses (color_scheme=..., accent and gray). The stylesheet carries
# only these instead of all 31 scales; tests/unit/test_theme_colors.py fails when code
# uses a color missing here.
THEME_COLORS = ("gray", "slate", "indigo", "blue", "green", "amber", "orange", "red")


class LeanRadixThemes(rx.plugins.RadixThemesPlugin):
    """Radix Themes with the color tokens the app uses, not every scale (smaller CSS)."""

    def get_stylesheet_paths(self, **context) -> tuple[str, ...]:  # noqa: ANN003
        """Radix's own per-part stylesheets, in the order of its full ``styles.css``."""
        if not self.enabled:
            return ()
        return (
            "@radix-ui/themes/tokens/base.css",
            *(f"@radix-ui/themes/tokens/colors/{c}.css" for c in THEME_COLORS),
            "@radix-ui/themes/components.css",
            "@radix-ui/themes/utilities.css",
        )


config = rx.Config(
    app_name="rxapp",
    db_url=settings.database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No dynamic components here: keep @radix-ui/themes' whole namespace (dialog, table,
    # menu, ...) out of every page's initial JavaScript.
    frontend_lazy_bundled_libraries=True,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[LeanRadixThemes(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
