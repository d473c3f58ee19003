"""Pieces shared by the meetings pages: the event tabs, the partner tabs, filled texts."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import tr
from rxapp.states.meetings.base import MeetingsState

EVENT_TABS = (("", "meetings.tab.config"), ("slots", "meetings.tab.slots"),
              ("partners", "meetings.tab.partners"), ("rules", "meetings.tab.rules"),
              ("email", "meetings.tab.email"), ("attendees", "meetings.tab.attendees"))
PARTNER_TABS = ((routes.PARTNER_SPACE, "meetings.tab.participants"),
                (routes.PARTNER_MEETINGS, "meetings.tab.meetings"),
                (routes.PARTNER_CALENDAR, "meetings.tab.calendar"))


def fill(key: str, **values: rx.Var) -> rx.Var:
    """A catalogue text with ``{name}`` placeholders filled from vars."""
    text = tr(key).to(str)
    for name, value in values.items():
        filler = value if isinstance(value, str) or value._var_type is str else (
            value.to_string())
        text = text.replace("{" + name + "}", filler)
    return text


def err_text(errors: rx.Var, field: str) -> rx.Component:
    """The translated error of one form field, right under it (R-UI-4)."""
    code = errors.get(field, "").to(str)
    return rx.cond(code != "", rx.text(tr(code), color_scheme="red", size="2", role="alert",
                                       id=f"err-{field}"))


def labelled(label_key: str, control: rx.Component, errors: rx.Var | None = None,
             field: str = "") -> rx.Component:
    """A small label above a control, with its error below.

    The label wraps the control, so it names it (screen readers, axe-core) and a tap
    on the text focuses the field.
    """
    return rx.vstack(
        rx.el.label(
            rx.text(tr(label_key), size="2", weight="medium"),
            control,
            display="flex", flex_direction="column", gap="4px", width="100%",
        ),
        err_text(errors, field) if errors is not None else rx.fragment(),
        spacing="1", width="100%", align="stretch",
    )


def event_tabs(active: str) -> rx.Component:
    """Links to an event's organizer pages; the current one highlighted."""
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("meetings.all_events")),
                          align="center", spacing="1"), href=routes.EVENTS, size="2"),
        rx.heading(MeetingsState.event_name, as_="h1", size="7"),
        rx.hstack(
            *[rx.link(rx.button(tr(key), size="2",
                                variant="solid" if section == active else "soft"),
                      href=routes.event_section_path(MeetingsState.event_id.to_string(),
                                                     section))
              for section, key in EVENT_TABS],
            wrap="wrap", spacing="2",
        ),
        spacing="3", width="100%", margin_bottom="16px",
    )


def partner_tabs(active: str, title: rx.Var, quota_left: rx.Var) -> rx.Component:
    """The partner space's three menus and the remaining quota (R-BM-6)."""
    return rx.vstack(
        rx.heading(title, as_="h1", size="7"),
        rx.hstack(
            *[rx.link(rx.button(tr(key), size="2",
                                variant="solid" if route == active else "soft"), href=route)
              for route, key in PARTNER_TABS],
            rx.spacer(),
            rx.badge(fill("meetings.quota_left", n=quota_left), size="2", color_scheme="green",
                     id="quota-left"),
            wrap="wrap", spacing="2", width="100%", align="center",
        ),
        spacing="3", width="100%", margin_bottom="16px",
    )


def status_badge(status: rx.Var) -> rx.Component:
    """A meeting status in colour."""
    return rx.badge(
        tr("meetings.status." + status.to(str)),
        color_scheme=rx.match(status, ("confirmed", "green"), ("requested", "amber"),
                              ("declined", "red"), ("cancelled", "gray"), "gray"),
    )


def reason_dialog(state, title_key: str,  # noqa: ANN001
                  extra: rx.Component | None = None) -> rx.Component:
    """Ask a reason before declining, cancelling or moving; refusals show inside (R-PLUS-9)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr(title_key)),
            rx.form(
                rx.vstack(
                    extra if extra is not None else rx.fragment(),
                    rx.text_area(name="reason", placeholder=tr("meetings.reason_hint"),
                                 id="reason", width="100%", rows="3"),
                    rx.cond(state.reason_error != "",
                            rx.callout(tr(state.reason_error), color_scheme="red",
                                       role="alert", id="reason-error")),
                    rx.hstack(
                        rx.dialog.close(rx.button(tr("common.cancel"), variant="soft",
                                                  color_scheme="gray", type="button")),
                        rx.button(tr("meetings.confirm_action"), type="submit",
                                  color_scheme="red"),
                        justify="end", width="100%", spacing="3",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=state.submit_reason, reset_on_submit=False,
            ),
            max_width="480px",
        ),
        open=state.reason_open,
        on_open_change=state.set_reason_open,
    )
