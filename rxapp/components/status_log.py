"""The status log of an invitation, whatever its kind (R-MSG-5, R-PLUS-4)."""

from collections.abc import Callable

import reflex as rx

from rxapp.components.shell import tr

_COLORS = {
    "scheduled": "gray",
    "sending": "blue",
    "retrying": "amber",
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
    """A timeline of raw events (dicts with event, at, detail), oldest first (mailbox).

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


def readable_log(rows: rx.Var, *, expanded: rx.Var | bool, on_toggle: object) -> rx.Component:
    """The log people read: one line per email and event, future reminders collapsed.

    Args:
        rows: View rows from ``rxapp.states.status_log_view.log_rows`` (``kind`` is
            ``line``, ``group`` or ``child``; children show only when expanded).
        expanded: Whether the collapsed reminders are shown one by one.
        on_toggle: Event that flips ``expanded``; None: no collapsed lines to open.

    """

    def _line(row: rx.Var) -> rx.Component:
        is_child = row["kind"] == "child"
        return rx.cond(
            ~is_child | expanded,
            rx.el.li(
                rx.hstack(
                    status_badge(row["state"], row["state_label"]),
                    rx.vstack(
                        rx.hstack(
                            rx.text(row["title"], size="2",
                                    weight=rx.cond(is_child, "regular", "medium")),
                            rx.fragment() if on_toggle is None else rx.cond(
                                row["kind"] == "group",
                                    rx.button(rx.cond(expanded, tr("log.collapse"),
                                                      tr("log.expand")),
                                              variant="ghost", size="1", on_click=on_toggle,
                                              aria_expanded=rx.cond(expanded, "true",
                                                                    "false"))),
                            wrap="wrap", align="center", spacing="2",
                        ),
                        rx.cond(row["at"] != "", rx.text(row["at"], size="1",
                                                         color_scheme="gray")),
                        rx.cond(row["detail"] != "", rx.text(
                            row["detail"], size="1",
                            color_scheme=rx.cond(row["state"] == "failed", "red", "gray"))),
                        spacing="0",
                        align="start",
                    ),
                    align="start",
                    spacing="2",
                    padding_left=rx.cond(is_child, "1.5em", "0"),
                ),
                list_style="none",
            ),
        )

    return rx.cond(
        rows.length() > 0,
        rx.el.ol(rx.foreach(rows, _line), aria_label=tr("status.title"),
                 style={"display": "flex", "flex_direction": "column", "gap": "8px",
                        "padding": "0", "margin": "0"}, class_name="status-log"),
        rx.text(tr("status.empty"), size="2", color_scheme="gray"),
    )
