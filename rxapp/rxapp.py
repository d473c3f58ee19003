"""Builds the Reflex app from the features' own page registrations, the API, the scheduler.

Each feature's ``pages`` package registers its routes with ``@page`` when imported;
adding a feature means adding one import below.
"""

import reflex as rx

import rxapp.pages.accounts  # noqa: F401  (sign-in, home, settings, mailbox)
import rxapp.pages.common  # noqa: F401  (the 404 page)
import rxapp.pages.interactions  # noqa: F401  (participants, invite, the questionnaire)
import rxapp.pages.meetings  # noqa: F401  (events, partner space, agenda)
import rxapp.pages.platform  # noqa: F401  (the operator console: plans, usage, requests)
import rxapp.pages.reviews  # noqa: F401  (reviews, purchases, timing settings, /r/<token>)
import rxapp.pages.team  # noqa: F401  (team invitations and members)
from rxapp import routes
from rxapp.api import build_api
from rxapp.api.middleware import protect
from rxapp.components.shell import loading_shell
from rxapp.gc_pauses import calm_collector
from rxapp.logs import configure_logging
from rxapp.pages.registry import add_registered_pages
from rxapp.scheduler.lifespan import scheduler_lifespan_task
from rxapp.settings import require_shared_secret
from rxapp.state_disk import pace_disk_writes

# The app's own log lines appear in the production output.
configure_logging()

# Reflex's file-backed tab states (one worker, no Redis): written in paced batches.
pace_disk_writes()

# Several workers or hosts must sign links with one secret: refuse to start otherwise.
require_shared_secret()

app = rx.App(
    # The API routes, then the middleware that wraps everything the backend serves.
    api_transformer=[build_api(), protect],
    html_lang="en",
    # Prerendered into pages with a parameter (/i/<token>): painted before the JavaScript.
    hydrate_fallback=loading_shell,
    # Bundled into the global stylesheet (no extra request): text contrast fixes.
    stylesheets=["/contrast.css"],
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1"),
        rx.el.link(rel="icon", href=routes.FAVICON_SVG, type="image/svg+xml"),
    ],
)

# Each backend worker, once started: fewer, shorter full garbage collections (bench-load).
app.register_lifespan_task(calm_collector)

# The scheduler runs inside the app unless SCHEDULER_ENABLED=false (then `make worker`).
app.register_lifespan_task(scheduler_lifespan_task)
add_registered_pages(app)

