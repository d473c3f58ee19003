"""The partner space: participants, meetings by status, calendar (R-BM-6, R-BM-9)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, tr
from rxapp.components.status_log import status_log
from rxapp.pages.meetings.common import fill, partner_tabs, reason_dialog, status_badge
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.meetings.partner import (
    ANY,
    PartnerCalendarState,
    PartnerListState,
    PartnerMeetingsState,
)

_SELECT = {"padding": "6px", "border_radius": "6px"}


def _event_switcher(state) -> rx.Component:  # noqa: ANN001
    """Shown to a partner user who is a sales contact at several events."""
    return rx.cond(
        state.partner_events.length() > 1,
        rx.hstack(
            rx.text(tr("meetings.switch_event"), size="2", weight="medium", as_="label",
                    html_for="partner-event"),
            rx.el.select(
                rx.foreach(state.partner_events,
                           lambda e: rx.el.option(e["name"], value=e["id"])),
                value=state.partner_event_id.to(str), id="partner-event",
                on_change=state.switch_event, style=_SELECT | {"max_width": "100%"},
            ),
            wrap="wrap", spacing="2", align="center", width="100%", margin_bottom="12px",
        ),
    )


def _no_partner(state) -> rx.Component:  # noqa: ANN001
    return rx.cond(state.no_partner, rx.callout(tr("meetings.no_partner_space"),
                                                color_scheme="amber", icon="lock"))


def _first_space(state) -> rx.Component:  # noqa: ANN001
    """Offered when the partner has no space yet (R-BM-3)."""
    return rx.cond(
        (state.space_options.length() == 0) & ~state.no_partner,
        rx.card(
            rx.heading(tr("meetings.first_space_title"), size="4", as_="h2"),
            rx.text(tr("meetings.first_space_body"), size="2", color_scheme="gray"),
            rx.form(
                rx.hstack(
                    rx.input(name="name", placeholder=tr("meetings.field.name"),
                             id="first-space-name"),
                    rx.input(name="theme", placeholder=tr("meetings.field.theme")),
                    rx.button(tr("meetings.add_space"), type="submit", id="first-space"),
                    wrap="wrap", spacing="2", margin_top="8px",
                ),
                on_submit=state.create_first_space,
            ),
            width="100%",
        ),
    )


def _filter(field: rx.Var) -> rx.Component:
    s = PartnerListState
    return rx.vstack(
        rx.text(tr("meetings.field." + field.to(str)), size="1", weight="medium"),
        rx.select.root(
            rx.select.trigger(width="100%", aria_label=tr("meetings.field." + field.to(str))),
            rx.select.content(
                rx.select.item(tr("meetings.any"), value=ANY),
                rx.foreach(s.filter_options.get(field, []).to(list[str]),
                           lambda v: rx.select.item(v, value=v)),
            ),
            value=s.filters.get(field, ANY).to(str),
            on_change=lambda v: s.set_filter(field, v),
        ),
        spacing="1", min_width="140px",
    )


def _attendee_card(row: rx.Var) -> rx.Component:
    s = PartnerListState
    return rx.card(
        rx.flex(
            rx.grid(
                rx.foreach(s.columns, lambda c: rx.vstack(
                    rx.text(tr("meetings.field." + c.to(str)), size="1", color_scheme="gray"),
                    rx.text(row[c], size="2"),
                    spacing="0", min_width="0")),
                columns=rx.breakpoints(initial="2", sm="3", md="5"), spacing="3", flex="1",
                width="100%",
            ),
            rx.button(tr("meetings.request"), size="2", on_click=s.open_request(row["id"]),
                      disabled=s.space_options.length() == 0, class_name="request-button",
                      width=rx.breakpoints(initial="100%", md="auto")),
            direction=rx.breakpoints(initial="column", md="row"), gap="3", align="center",
            width="100%",
        ),
        size="1", width="100%", class_name="attendee-row",
    )


def _request_dialog() -> rx.Component:
    s = PartnerListState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(fill("meetings.request_title", name=s.req_attendee)),
            rx.form(
                rx.vstack(
                    rx.text(tr("meetings.field.space"), size="2", weight="medium"),
                    rx.el.select(rx.foreach(s.space_options, lambda o: rx.el.option(
                        o["name"], value=o["id"])), value=s.req_space, on_change=s.pick_space,
                        name="req_space",
                        id="req-space", style=_SELECT),
                    rx.text(tr("meetings.field.slot"), size="2", weight="medium"),
                    rx.cond(s.req_slots.length() == 0,
                            rx.text(tr("meetings.no_free_slots"), color_scheme="amber",
                                    size="2")),
                    rx.el.select(rx.foreach(s.req_slots, lambda o: rx.el.option(
                        o["label"], value=o["id"])), value=s.req_slot, on_change=s.pick_slot,
                        name="req_slot",
                        id="req-slot", style=_SELECT),
                    rx.text_area(name="message", placeholder=tr("meetings.field.message"),
                                 rows="3", width="100%"),
                    rx.cond(s.req_error != "", rx.callout(tr(s.req_error), color_scheme="red",
                                                          role="alert")),
                    rx.hstack(
                        rx.dialog.close(rx.button(tr("common.cancel"), variant="soft",
                                                  color_scheme="gray", type="button")),
                        rx.button(tr("meetings.send_request"), type="submit",
                                  id="send-request", disabled=s.req_slots.length() == 0),
                        justify="end", spacing="3", width="100%",
                    ),
                    spacing="2", width="100%",
                ),
                on_submit=s.send_request,
            ),
            max_width="480px",
        ),
        open=s.req_open, on_open_change=s.set_req_open,
    )


@page(route=routes.PARTNER_SPACE, on_load=[AppState.enter_events, PartnerListState.load])
def partner_list_page() -> rx.Component:
    """Participants the partner may meet, with search, filters, chosen columns (R-BM-6a)."""
    s = PartnerListState
    return app_shell(
        partner_tabs(routes.PARTNER_SPACE, s.partner_name, s.quota_left),
        _event_switcher(s),
        _no_partner(s),
        _first_space(s),
        rx.vstack(
            rx.hstack(
                rx.input(placeholder=tr("meetings.search"), on_change=s.search.debounce(300),
                         id="partner-search", min_width="220px"),
                rx.foreach(s.filter_fields, _filter),
                wrap="wrap", spacing="3", align="end", width="100%",
            ),
            rx.text(fill("meetings.participants_count", n=s.total), size="2",
                    id="participants-count"),
            rx.cond(s.total == 0, rx.text(tr("meetings.no_participants"), color_scheme="gray")),
            rx.foreach(s.rows, _attendee_card),
            rx.hstack(
                rx.button(tr("common.previous"), variant="soft", on_click=s.go_page(-1),
                          disabled=s.page <= 1),
                rx.text(s.page, " / ", s.pages, size="2"),
                rx.button(tr("common.next"), variant="soft", on_click=s.go_page(1),
                          disabled=s.page >= s.pages),
                align="center", spacing="3",
            ),
            spacing="3", width="100%",
        ),
        _request_dialog(),
    )


def _meeting_card(row: rx.Var) -> rx.Component:
    s = PartnerMeetingsState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row["who"], weight="bold"),
                rx.text(row["company"], size="2", color_scheme="gray"),
                rx.spacer(),
                rx.text(row["when"], size="2"),
                wrap="wrap", width="100%", align="center",
            ),
            rx.text(row["space"], " · ", tr("meetings.by." + row["by"].to(str)), size="2"),
            rx.cond(row["message"] != "", rx.text("“", row["message"], "”", size="2",
                                                  font_style="italic")),
            rx.cond(row["reason"] != "", rx.text(tr("meetings.reason"), ": ", row["reason"],
                                                 size="2", color_scheme="red")),
            rx.hstack(
                rx.cond(row["answer"] == "yes", rx.fragment(
                    rx.button(tr("meetings.confirm"), size="2", color_scheme="green",
                              on_click=s.confirm(row["id"])),
                    rx.button(tr("meetings.decline"), size="2", variant="soft",
                              color_scheme="red", on_click=s.ask_reason("decline", row["id"])),
                )),
                rx.cond(row["cancel"] == "yes",
                        rx.button(tr("meetings.reschedule"), size="2", variant="soft",
                                  on_click=s.ask_reason("reschedule", row["id"]))),
                rx.cond(row["cancel"] == "yes",
                        rx.button(tr("meetings.cancel"), size="2", variant="ghost",
                                  color_scheme="red", on_click=s.ask_reason("cancel", row["id"]),
                                  class_name="cancel-button")),
                spacing="2", wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        size="1", width="100%", class_name="meeting-row",
    )


def _group(group: rx.Var) -> rx.Component:
    rows = group["rows"].to(list[dict[str, str]])
    return rx.vstack(
        rx.hstack(status_badge(group["status"]), rx.text(rows.length(), size="2"),
                  align="center", spacing="2"),
        rx.cond(rows.length() == 0, rx.text("—", color_scheme="gray")),
        rx.foreach(rows, _meeting_card),
        spacing="2", width="100%", margin_bottom="12px",
    )


@page(route=routes.PARTNER_MEETINGS, on_load=[AppState.enter_events, PartnerMeetingsState.load])
def partner_meetings_page() -> rx.Component:
    """The partner's meetings by status with confirm, decline and cancel (R-BM-6b)."""
    s = PartnerMeetingsState
    return app_shell(
        partner_tabs(routes.PARTNER_MEETINGS, s.partner_name, s.quota_left),
        _event_switcher(s),
        _no_partner(s),
        rx.text(fill("meetings.ledger_line", used=s.quota_used, pending=s.quota_pending,
                     left=s.quota_left), size="2", id="ledger-line", margin_bottom="8px"),
        rx.foreach(s.groups, _group),
        reason_dialog(s, "meetings.reason_title", extra=rx.cond(
            s.reason_action == "reschedule",
            rx.vstack(
                rx.text(tr("meetings.new_slot"), size="2", weight="medium"),
                rx.cond(s.reason_slots.length() == 0,
                        rx.text(tr("meetings.no_free_slots"), color_scheme="amber", size="2")),
                rx.el.select(rx.foreach(s.reason_slots, lambda o: rx.el.option(
                    o["label"], value=o["id"])), name="slot", id="reschedule-slot",
                    style=_SELECT),
                spacing="1", width="100%",
            ),
        )),
    )


def _cell(cell: rx.Var) -> rx.Component:
    s = PartnerCalendarState
    state = cell["state"].to(str)
    return rx.table.cell(
        rx.button(
            rx.match(state, ("open", tr("meetings.cell.open")),
                     ("closed", tr("meetings.cell.closed")), cell["who"]),
            size="1", width="100%", min_width="90px",
            variant=rx.match(state, ("closed", "outline"), "solid"),
            color_scheme=rx.match(state, ("open", "green"), ("held", "amber"),
                                  ("booked", "indigo"), "gray"),
            on_click=rx.cond((state == "open") | (state == "closed"),
                             s.toggle(cell["space"], cell["slot"], state),
                             s.open_meeting(cell["meeting"])),
            class_name="cal-cell",
            high_contrast=True,  # white on green-9 is 3.2:1; the darker step passes AA
        ),
        padding="2px",
    )


@page(route=routes.PARTNER_CALENDAR, on_load=[AppState.enter_events, PartnerCalendarState.load])
def partner_calendar_page() -> rx.Component:
    """Slots × spaces: pick availability, open meetings, counters (R-BM-6c)."""
    s = PartnerCalendarState
    return app_shell(
        partner_tabs(routes.PARTNER_CALENDAR, s.partner_name, s.quota_left),
        _event_switcher(s),
        _no_partner(s),
        _first_space(s),
        rx.hstack(
            rx.badge(fill("meetings.counter_selectable", n=s.selectable), size="2",
                     id="counter-selectable"),
            rx.badge(fill("meetings.counter_unopened", n=s.unopened), size="2",
                     color_scheme="gray"),
            rx.badge(fill("meetings.counter_confirmed", n=s.confirmed), size="2",
                     color_scheme="indigo", id="counter-confirmed"),
            wrap="wrap", spacing="2", margin_bottom="8px",
        ),
        rx.text(tr("meetings.calendar_help"), size="2", color_scheme="gray",
                margin_bottom="8px"),
        rx.cond(s.can_manage_spaces & (s.space_options.length() > 0),
                rx.form(rx.hstack(
                    rx.input(name="name", placeholder=tr("meetings.field.name")),
                    rx.input(name="theme", placeholder=tr("meetings.field.theme")),
                    rx.button(tr("meetings.add_space"), type="submit", size="2",
                              variant="soft"),
                    wrap="wrap", spacing="2", margin_bottom="8px"),
                    on_submit=s.create_first_space)),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr("meetings.field.slot")),
                    rx.foreach(s.space_cols, lambda c: rx.table.column_header_cell(
                        rx.vstack(rx.text(c["name"]),
                                  rx.text(c["contact"], size="1", color_scheme="gray"),
                                  rx.cond(s.can_manage_spaces & (s.contacts.length() > 1),
                                          rx.el.select(
                                              rx.el.option("—", value=""),
                                              rx.foreach(s.contacts, lambda u: rx.el.option(
                                                  u["email"], value=u["id"])),
                                              on_change=lambda v: s.assign_contact(c["id"], v),
                                              aria_label=tr("meetings.assign_contact"))),
                                  spacing="0"))),
                )),
                rx.table.body(rx.foreach(s.slot_rows, lambda r: rx.table.row(
                    rx.table.row_header_cell(rx.vstack(
                        rx.text(r["label"], size="2", white_space="nowrap"),
                        rx.text(r["day"], size="1", color_scheme="gray"), spacing="0")),
                    rx.foreach(r["cells"].to(list[dict[str, str]]), _cell),
                ))),
                size="1", id="calendar",
            ),
            overflow_x="auto", width="100%",
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(s.detail.get("who", "")),
                rx.vstack(
                    rx.text(s.detail.get("company", ""), size="2"),
                    rx.text(s.detail.get("when", ""), " · ", s.detail.get("space", "")),
                    rx.text(tr("meetings.status." + s.detail.get("status", "").to(str))),
                    rx.text(s.detail.get("message", ""), font_style="italic", size="2"),
                    status_log(s.detail_log, label=lambda e: tr("meetings.log." + e.to(str)),
                               empty=tr("meetings.log.empty")),
                    rx.hstack(rx.link(rx.button(tr("meetings.tab.meetings"), variant="soft"),
                                      href=routes.PARTNER_MEETINGS),
                              rx.dialog.close(rx.button(tr("common.close"))),
                              justify="end", spacing="2", width="100%"),
                    spacing="2", width="100%",
                ),
                max_width="420px",
            ),
            open=s.detail_open, on_open_change=s.set_detail_open,
        ),
    )
