"""One participant's page: dashboard, history, side panel (R-INT-2..4, R-INT-6..10)."""

import reflex as rx

from rxapp import routes
from rxapp.components.i18n import tr_n
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.components.status_log import readable_log
from rxapp.pages.interactions.common import state_badge
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.interactions import ParticipantState


def _reason_box() -> rx.Component:
    s = ParticipantState
    return rx.cond(
        ~s.can_create,
        rx.callout(
            rx.vstack(
                rx.text(tr(s.reason)),
                rx.cond(s.reason == "interaction.unfinished_exists",
                        rx.text(tr("participant.unfinished_offer"), size="2")),
                rx.cond((s.reason == "interaction.max_reached")
                        | (s.reason == "interaction.none_left"),
                        _request_more()),
                spacing="1",
            ),
            color_scheme="amber", icon="info", width="100%", id="create-reason",
        ),
    )


def _request_more() -> rx.Component:
    """Instead of "contact the vendor": one button that records and sends the request."""
    s = ParticipantState
    kind = rx.cond(s.reason == "interaction.none_left", "interactions", "max_per_participant")
    return rx.vstack(
        rx.text(tr("participant.contact_vendor"), size="2"),
        rx.cond(
            s.requested.contains(kind),
            rx.text(tr("plans.request.open"), size="2", weight="medium", id="request-open"),
            rx.button(rx.icon("send", size=14), tr("plans.request.button"),
                      on_click=s.request_more(kind), size="2", variant="surface",
                      id="request-more"),
        ),
        spacing="2",
    )


def _max_override() -> rx.Component:
    """Admins set this participant's own maximum (R-INT-3: overridable per participant)."""
    s = ParticipantState
    return rx.cond(
        AppState.user_role == "admin",
        rx.form(
            rx.vstack(
                rx.el.label(tr("participant.max_label"), html_for="field-max-override",
                            font_weight="500", font_size="0.9rem"),
                rx.hstack(
                    rx.input(id="field-max-override", name="max_override",
                             default_value=s.max_override, key=s.max_override,
                             input_mode="numeric", width="7em", size="3",
                             placeholder=s.org_max.to_string(),
                             aria_describedby="field-max-override-hint"),
                    rx.button(tr("common.save"), type="submit", variant="soft", size="3",
                              id="max-override-save"),
                    align="center",
                ),
                rx.text(tr("participant.max_hint").to(str).replace(
                    "{n}", s.org_max.to_string()), size="1", color_scheme="gray",
                    id="field-max-override-hint"),
                rx.cond(s.override_error != "",
                        rx.text(tr(s.override_error), color_scheme="red", size="2",
                                role="alert")),
                spacing="1",
            ),
            on_submit=s.save_max_override,
            reset_on_submit=False,
            width="100%",
        ),
    )


def _new_button() -> rx.Component:
    s = ParticipantState
    return rx.button(
        rx.icon("plus", size=16), tr("participant.new_interaction"),
        on_click=rx.redirect(routes.PARTICIPANTS + "/" + s.participant_id.to_string() + "/new"),
        disabled=~s.can_create, size="3", id="new-interaction",
    )


def _item(item: rx.Var) -> rx.Component:
    s = ParticipantState
    is_open = item["open"] == "yes"
    return rx.card(
        rx.vstack(
            rx.hstack(
                state_badge(item["state"]),
                rx.text(tr("participant.created"), " ", item["created"], size="2"),
                rx.cond(item["completed"] != "",
                        rx.text(tr("participant.completed"), " ", item["completed"], size="2")),
                wrap="wrap", align="center",
            ),
            rx.cond(
                is_open,
                rx.vstack(
                    rx.el.label(rx.hstack(
                        rx.switch(checked=item["reminders"] == "on",
                                  on_change=lambda v: s.set_reminders(item["id"], v),
                                  aria_label=tr("invite.reminders")),
                        rx.text(tr("invite.reminders"), size="2"),
                        align="center", min_height="44px")),
                    rx.hstack(
                        rx.button(rx.icon("send", size=14), tr("participant.remind_now"),
                                  on_click=s.ask_remind(item["id"]), variant="soft", size="2"),
                        rx.button(rx.icon("copy", size=14), tr("invite.copy_link"),
                                  on_click=s.copy_link(item["id"]), variant="soft", size="2"),
                        rx.button(rx.icon("trash-2", size=14), tr("participant.delete"),
                                  on_click=s.ask_delete(item["id"]), variant="soft",
                                  color_scheme="red", size="2"),
                        wrap="wrap",
                    ),
                    rx.cond(item["last_reminder"] != "",
                            rx.text(tr("participant.last_reminder"), " ", item["last_reminder"],
                                    size="1", color_scheme="gray")),
                ),
            ),
            rx.button(tr("status.title"), variant="ghost", size="1",
                      on_click=s.show_log(item["id"]), class_name="status-log-toggle"),
            rx.cond(
                s.open_log_id.to_string() == item["id"],
                rx.vstack(
                    readable_log(s.log, expanded=s.log_expanded, on_toggle=s.toggle_log),
                    spacing="2", width="100%",
                ),
            ),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def _panel_body() -> rx.Component:
    s = ParticipantState
    return rx.vstack(
        rx.text(s.email, " · ", tr("field.time_zone"), ": ",
                rx.cond(s.p_time_zone != "", s.p_time_zone, s.org_zone), size="2",
                color_scheme="gray", id="participant-zone"),
        _new_button(),
        _reason_box(),
        rx.text(tr_n("participants.remaining", s.remaining),
                size="2", color_scheme="gray"),
        rx.foreach(s.items, _item),
        _max_override(),
        spacing="3",
        width="100%",
    )


def _remind_dialog() -> rx.Component:
    s = ParticipantState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("participant.remind_title")),
            rx.alert_dialog.description(tr("participant.remind_body")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                 on_click=s.cancel_remind)),
                rx.alert_dialog.action(rx.button(tr("participant.remind_now"),
                                                 on_click=s.remind, id="confirm-remind")),
                justify="end", spacing="3", margin_top="12px",
            ),
        ),
        open=s.confirm_remind_id > 0,
    )


def _delete_dialog() -> rx.Component:
    s = ParticipantState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("participant.delete_title")),
            rx.alert_dialog.description(tr("participant.delete_body")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                 on_click=s.cancel_delete)),
                rx.alert_dialog.action(rx.button(tr("participant.delete"), color_scheme="red",
                                                 on_click=s.delete)),
                justify="end", spacing="3", margin_top="12px",
            ),
        ),
        open=s.confirm_delete_id > 0,
    )


def _dashboard() -> rx.Component:
    s = ParticipantState
    return rx.vstack(
        rx.hstack(
            rx.heading(tr("participant.results"), as_="h2", size="5"),
            rx.spacer(),
            rx.button(rx.icon("panel-right-open", size=16), tr("participant.manage"),
                      on_click=s.toggle_panel(True), variant="soft", id="manage"),
            width="100%", wrap="wrap", align="center",
        ),
        rx.card(
            rx.recharts.bar_chart(
                # Scores are means of 1–5 answers: the axis runs 1 to 5 and each bar says
                # its value, so nobody reads a 3.2 off gridlines.
                rx.recharts.bar(
                    rx.recharts.label_list(data_key="score", position="top"),
                    data_key="score", fill="var(--accent-9)", name=tr("report.score"),
                ),
                rx.recharts.x_axis(data_key="dimension"),
                rx.recharts.y_axis(domain=[1, 5], ticks=[1, 2, 3, 4, 5],
                                   allow_data_overflow=True),
                rx.recharts.graphing_tooltip(),
                data=s.scores,
                height=260,
                margin={"top": 24, "right": 8, "left": 0, "bottom": 0},
                width="100%",
            ),
            width="100%", id="scores-chart",
        ),
        rx.hstack(rx.foreach(s.scores, lambda x: rx.badge(x["dimension"], ": ", x["score_text"],
                                                             size="2")), wrap="wrap"),
        rx.heading(tr("participant.history"), as_="h3", size="3"),
        rx.foreach(s.history, lambda h: rx.hstack(
            rx.text(tr("participant.completed"), " ", h["completed"], size="2"),
            rx.link(tr("participant.report"), href=ParticipantState.api_base
                    + routes.interaction_report_path(h["id"]), is_external=True,
                    size="2"),
        )),
        spacing="3", width="100%",
    )


@page(route=routes.PARTICIPANT, on_load=[AppState.enter_interactions, ParticipantState.load])
def participant_page() -> rx.Component:
    """New interaction, or the dashboard with the side panel (R-INT-2)."""
    s = ParticipantState
    return app_shell(
        rx.cond(
            s.found,
            rx.vstack(
                rx.link(rx.hstack(rx.icon("arrow-left", size=14), tr("nav.participants")),
                        href=routes.PARTICIPANTS, size="2"),
                page_title(s.first_name + " " + s.last_name),
                rx.cond(s.completed_count > 0, _dashboard(), _panel_body()),
                rx.cond(
                    s.panel_open,
                    rx.fragment(
                        # A plain fixed panel: it stays inside the theme and the page stays put.
                        rx.box(on_click=s.toggle_panel(False), position="fixed", inset="0",
                               background="var(--black-a6)", z_index="40"),
                        rx.box(
                            rx.vstack(
                                rx.hstack(
                                    rx.heading(tr("participant.manage"), as_="h2", size="4"),
                                    rx.spacer(),
                                    rx.button(rx.icon("x"), variant="ghost",
                                              aria_label=tr("common.close"),
                                              on_click=s.toggle_panel(False)),
                                    width="100%",
                                ),
                                _panel_body(),
                                spacing="3", padding="16px", width="100%",
                            ),
                            position="fixed", top="0", right="0", height="100vh",
                            width=["100%", "440px"], overflow_y="auto", z_index="41",
                            background="var(--color-panel-solid)",
                            box_shadow="var(--shadow-5)",
                            role="dialog", aria_modal="true", aria_label=tr("participant.manage"),
                            id="side-panel",
                        ),
                    ),
                ),
                _delete_dialog(),
                _remind_dialog(),
                spacing="3", width="100%", align="start",
            ),
            rx.callout(tr("participant.not_found"), color_scheme="amber"),
        ),
    )


