"""The status log of an invitation, whatever its kind (R-MSG-5, R-PLUS-4)."""

from collections.abc import Callable

import reflex as rx

_COLORS = {
    "scheduled": "gray",
    "sent": "green",
    "failed": "red",
    "cancelled": "gray",
    "opened": "blue",
    "completed": "green",
    "accepted": "green",
    "reviewed": "green",
    "expired": "amber",
    "revoked": "amber",
}


def status_badge(event: rx.Var, label: rx.Var) -> rx.Component:
    """A coloured badge for one status."""
    return rx.badge(label, color_scheme=rx.Var.create(_COLORS).to(dict)[event].to(str),
                    variant="soft")


def status_log(
    rows: rx.Var, *, label: Callable[[rx.Var], rx.Var], empty: rx.Var
) -> rx.Component:
    """A timeline of ``rows`` (dicts with event, at, detail), oldest first.

    Args:
        rows: List var of dicts with ``event``, ``at`` (display text) and ``detail``.
        label: Turns an event name into its text in the page's language.
        empty: Text shown when there is nothing yet.

    """
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.foreach(
                rows,
                lambda row: rx.hstack(
                    rx.text(row["at"], size="1", color_scheme="gray", min_width="9.5em"),
                    status_badge(row["event"], label(row["event"])),
                    rx.text(row["detail"], size="1", color_scheme="gray"),
                    align="center",
                    wrap="wrap",
                    spacing="2",
                ),
            ),
            spacing="2",
            as_="ol",
            aria_label="status",
        ),
        rx.text(empty, size="2", color_scheme="gray"),
    )
