"""Reflex configuration; every value can be overridden from the environment."""

import logging
import os
from pathlib import Path

import reflex as rx

from rxapp.api.origin import configured_origin_texts
from rxapp.log_storms import thin_out_lock_warnings
from rxapp.settings import PROJECT_ROOT, get_settings

settings = get_settings()

# Development mode restarts the backend when a watched file changes. Watch the code only:
# run-time files (the SQLite database with its -wal/-shm files, the secret, uploads,
# Reflex's state files) live in the data folder, and a write there must not restart it.
os.environ.setdefault(
    "REFLEX_HOT_RELOAD_OVERRIDE_PATHS",
    os.pathsep.join(str(PROJECT_ROOT / name) for name in ("rxapp", "rxconfig.py")),
)
os.environ.setdefault("REFLEX_UPLOADED_FILES_DIR", str(Path(settings.data_dir) / "uploads"))
os.environ.setdefault("REFLEX_STATES_WORKDIR", str(Path(settings.data_dir) / "states"))


class _NoNodeUpgradeAdvice(logging.Filter):
    """Drop Reflex's "Node.js is out of date" warning.

    With an older Node, Reflex runs the frontend tooling on bun's own runtime
    (``bun --bun``), which is how Beckon runs it anyway; the advice is noise to a
    newcomer. Any other message passes.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "of Node.js is out of date" not in record.getMessage()


logging.getLogger("reflex.utils.js_runtimes").addFilter(_NoNodeUpgradeAdvice())
# Reflex's "lock held too long" warning: once a minute per process, with a count, so an
# overload does not also pay for printing one warning per event (rxapp/log_storms.py).
thin_out_lock_warnings()


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
    # Not "*": with credentials allowed, Reflex's CORS would let any page that gets the
    # session cookie sent (another port of the same host) read our API's answers.
    cors_allowed_origins=configured_origin_texts(),
    plugins=[LeanRadixThemes(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
