"""Participant overview, participant page and invite page (R-INT-1..7)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, form_field
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.components.status_log import status_log
from rxapp.models import LANGUAGES
from rxapp.states.interactions import InviteState, ParticipantsState, ParticipantState


def state_badge(state: rx.Var) -> rx.Component:
    """The state of an interaction as a coloured badge."""
    colors = {"none": "gray", "invited": "blue", "in_progress": "amber", "completed": "green",
              "deleted": "gray"}
    return rx.badge(tr("istate." + state),
                    color_scheme=rx.Var.create(colors).to(dict)[state].to(str), variant="soft")


def _sort_header(label: str, column: str) -> rx.Component:
    return rx.table.column_header_cell(
        rx.button(tr(label), rx.icon("arrow-up-down", size=12), variant="ghost", size="1",
                  on_click=ParticipantsState.set_sort(column)),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["first_name"]),
        rx.table.cell(rx.link(row["last_name"], href=row["href"])),
        rx.table.cell(row["email"], display=["none", "none", "table-cell"]),
        rx.table.cell(row["language"].upper(), display=["none", "table-cell"]),
        rx.table.cell(state_badge(row["state"])),
        on_click=rx.redirect(row["href"]),
        cursor="pointer",
        _hover={"background": "var(--accent-a3)"},
    )


def _add_dialog() -> rx.Component:
    errs = ParticipantsState.add_errors
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), tr("participants.add"),
                                    size="3")),
        rx.dialog.content(
            rx.dialog.title(tr("participants.add")),
            rx.form(
                rx.vstack(
                    form_field(label=tr("participants.first_name"), name="first_name",
                               error=errs.get("first_name", ""),
                               error_text=tr(errs.get("first_name", ""))),
                    form_field(label=tr("participants.last_name"), name="last_name",
                               error=errs.get("last_name", ""),
                               error_text=tr(errs.get("last_name", ""))),
                    form_field(label=tr("login.email"), name="email", input_type="email",
                               error=errs.get("email", ""), error_text=tr(errs.get("email", ""))),
                    rx.text(tr("lang.label"), size="2", weight="medium"),
                    rx.select.root(
                        rx.select.trigger(aria_label=tr("lang.label")),
                        rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                            for c in LANGUAGES]),
                        value=ParticipantsState.add_language,
                        on_change=ParticipantsState.set_add_language,
                    ),
                    field_error(tr(errs.get("language", "")), show=errs.get("language", "") != "",
                                field_id="field-language"),
                    rx.hstack(
                        rx.dialog.close(rx.button(tr("common.cancel"), variant="soft",
                                                  type="button")),
                        rx.button(tr("common.save"), type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=ParticipantsState.add,
                no_validate=True,
            ),
        ),
        open=ParticipantsState.add_open,
        on_open_change=ParticipantsState.open_add,
    )


def _import_box() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("import.title"), as_="h2", size="3"),
            rx.text(tr("import.help"), size="2", color_scheme="gray"),
            rx.upload.root(
                rx.vstack(
                    rx.icon("file-up", size=22),
                    rx.text(tr("import.drop"), size="2"),
                    align="center",
                    spacing="1",
                ),
                id="csv-upload",
                accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                max_files=1,
                multiple=False,
                on_drop=ParticipantsState.receive_csv(rx.upload_files(upload_id="csv-upload")),
                border="1px dashed var(--gray-a7)",
                padding="16px",
                border_radius="8px",
                width="100%",
                cursor="pointer",
            ),
            rx.cond(
                ParticipantsState.importing,
                rx.vstack(
                    rx.progress(value=rx.cond(
                        ParticipantsState.import_total > 0,
                        ParticipantsState.import_done * 100 / ParticipantsState.import_total, 0,
                    ), width="100%"),
                    rx.text(tr("import.working"), " ", ParticipantsState.import_done, " / ",
                            ParticipantsState.import_total, size="2"),
                    width="100%",
                ),
            ),
            rx.cond(
                ParticipantsState.import_result == "import.ok",
                rx.callout(tr("import.ok").to(str).replace(
                    "{count}", ParticipantsState.import_total.to_string()),
                    color_scheme="green", id="import-ok", width="100%"),
            ),
            rx.cond(
                (ParticipantsState.import_result != "")
                & (ParticipantsState.import_result != "import.ok"),
                rx.callout(tr(ParticipantsState.import_result), color_scheme="red",
                           id="import-rejected", width="100%"),
            ),
            rx.cond(
                ParticipantsState.import_errors.length() > 0,
                rx.vstack(
                    rx.foreach(
                        ParticipantsState.import_errors,
                        lambda e: rx.text(tr("import.line"), " ", e["line"], ": ", tr(e["code"]),
                                          size="2", color_scheme="red"),
                    ),
                    spacing="1",
                    id="import-errors",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def participants_page() -> rx.Component:
    """Search, page and sort participants; add them one by one or from a CSV."""
    s = ParticipantsState
    return app_shell(
        rx.hstack(
            page_title(tr("nav.participants")),
            rx.spacer(),
            rx.menu.root(
                rx.menu.trigger(rx.button(rx.icon("download", size=16), tr("export.results"),
                                          variant="soft", size="3", id="export")),
                rx.menu.content(
                    rx.menu.item(rx.link("CSV", href=s.api_base + "/api/export/results.csv",
                                         is_external=False, reload_document=True,
                                         id="export-csv")),
                    rx.menu.item(rx.link("Excel (XLSX)",
                                         href=s.api_base + "/api/export/results.xlsx",
                                         reload_document=True, id="export-xlsx")),
                ),
            ),
            _add_dialog(),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder=tr("participants.search"),
                aria_label=tr("participants.search"),
                value=s.query,
                on_change=s.search.debounce(300),
                size="3",
                width=["100%", "320px"],
                id="participant-search",
            ),
            rx.spacer(),
            rx.badge(tr("participants.remaining").to(str).replace(
                "{count}", s.remaining.to_string()), size="2", variant="surface",
                id="remaining"),
            width="100%",
            wrap="wrap",
            align="center",
            margin_bottom="12px",
        ),
        rx.cond(
            s.total == 0,
            rx.callout(rx.cond(s.query != "", tr("participants.no_match"),
                               tr("participants.empty")), icon="users", width="100%"),
            rx.vstack(
                rx.table.root(
                    rx.table.header(rx.table.row(
                        _sort_header("participants.first_name", "first_name"),
                        _sort_header("participants.last_name", "last_name"),
                        rx.table.column_header_cell(tr("login.email"),
                                                    display=["none", "none", "table-cell"]),
                        rx.table.column_header_cell(tr("lang.label"),
                                                    display=["none", "table-cell"]),
                        rx.table.column_header_cell(tr("participants.state")),
                    )),
                    rx.table.body(rx.foreach(s.rows, _row)),
                    variant="surface",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(tr("common.previous"), on_click=s.go_page(-1),
                              disabled=s.page <= 1, variant="soft"),
                    rx.text(s.page.to_string() + " / " + s.pages.to_string(), size="2"),
                    rx.button(tr("common.next"), on_click=s.go_page(1),
                              disabled=s.page >= s.pages, variant="soft"),
                    rx.text(rx.cond(s.total == 1, tr("participants.total_one"),
                                    tr("participants.total").to(str).replace(
                                        "{count}", s.total.to_string())),
                            size="2", color_scheme="gray"),
                    align="center", justify="center", width="100%", wrap="wrap",
                ),
                width="100%",
            ),
        ),
        rx.box(_import_box(), margin_top="20px", width="100%"),
    )


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
                        rx.text(tr("participant.contact_vendor"), size="2")),
                spacing="1",
            ),
            color_scheme="amber", icon="info", width="100%", id="create-reason",
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
                                  on_change=lambda v: s.set_reminders(item["id"], v)),
                        rx.text(tr("invite.reminders"), size="2"),
                        align="center", min_height="44px")),
                    rx.hstack(
                        rx.button(rx.icon("send", size=14), tr("participant.remind_now"),
                                  on_click=s.remind(item["id"]), variant="soft", size="2"),
                        rx.button(rx.icon("copy", size=14), tr("invite.copy_link"),
                                  on_click=s.copy_link(item["id"]), variant="soft", size="2"),
                        rx.button(rx.icon("trash-2", size=14), tr("participant.delete"),
                                  on_click=s.ask_delete(item["id"]), variant="soft",
                                  color_scheme="red", size="2"),
                        wrap="wrap",
                    ),
                ),
            ),
            rx.button(tr("status.title"), variant="ghost", size="1",
                      on_click=s.show_log(item["id"])),
            rx.cond(
                s.open_log_id.to_string() == item["id"],
                rx.vstack(
                    status_log(s.log, label=lambda e: tr("status." + e),
                               empty=tr("status.empty")),
                    rx.cond(s.queued.length() > 0, rx.vstack(
                        rx.text(tr("participant.queued"), size="2", weight="medium"),
                        rx.foreach(s.queued, lambda q: rx.text(
                            q["due"], " · ", tr("kind." + q["kind"]), size="1",
                            color_scheme="gray")),
                        spacing="1",
                    )),
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
        rx.text(s.email, size="2", color_scheme="gray"),
        _new_button(),
        _reason_box(),
        rx.text(tr("participants.remaining").to(str).replace("{count}", s.remaining.to_string()),
                size="2", color_scheme="gray"),
        rx.foreach(s.items, _item),
        spacing="3",
        width="100%",
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
                rx.recharts.bar(data_key="score", fill="var(--accent-9)", name=tr("report.score")),
                rx.recharts.x_axis(data_key="dimension"),
                rx.recharts.y_axis(domain=[0, 5]),
                rx.recharts.graphing_tooltip(),
                data=s.scores,
                height=260,
                width="100%",
            ),
            width="100%", id="scores-chart",
        ),
        rx.hstack(rx.foreach(s.scores, lambda x: rx.badge(x["dimension"], ": ", x["score"],
                                                             size="2")), wrap="wrap"),
        rx.heading(tr("participant.history"), as_="h3", size="3"),
        rx.foreach(s.history, lambda h: rx.hstack(
            rx.text(tr("participant.completed"), " ", h["completed"], size="2"),
            rx.link(tr("participant.report"), href=ParticipantState.api_base
                    + "/api/interactions/" + h["id"] + "/report.pdf", is_external=True,
                    size="2"),
        )),
        spacing="3", width="100%",
    )


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
                spacing="3", width="100%", align="start",
            ),
            rx.callout(tr("participant.not_found"), color_scheme="amber"),
        ),
    )


def _option(label: str, checked: rx.Var, on_change, hint: str) -> rx.Component:  # noqa: ANN001
    return rx.el.label(
        rx.hstack(
            rx.switch(checked=checked, on_change=on_change, size="3"),
            rx.vstack(rx.text(tr(label), weight="medium"),
                      rx.text(tr(hint), size="2", color_scheme="gray"), spacing="0"),
            align="center", min_height="44px", spacing="3",
        ),
    )


def invite_page() -> rx.Component:
    """Choose how to invite, create, then invite by hand if wanted (R-INT-5, R-INT-7)."""
    s = InviteState
    manual = rx.vstack(
        rx.callout(tr("invite.created_manual"), color_scheme="green", id="created-manual",
                   width="100%"),
        rx.hstack(
            rx.button(rx.icon("copy", size=16), tr("invite.copy_link"), on_click=s.copy_link,
                      size="3"),
            rx.button(rx.icon("mail", size=16), tr("invite.mailto"),
                      on_click=s.open_mail_program, size="3", variant="soft"),
            wrap="wrap",
        ),
        rx.text(tr("invite.qr"), size="2", color_scheme="gray"),
        rx.image(src=s.api_base + "/api/interactions/" + s.created_id.to_string() + "/qr.svg",
                 alt=tr("invite.qr"), width="240px", height="240px", background="white"),
        rx.link(tr("invite.back"), href=routes.PARTICIPANTS),
        spacing="3", width="100%",
    )
    form = rx.vstack(
        _option("invite.auto", s.auto_invite, s.set_auto_invite, "invite.auto_hint"),
        _option("invite.reminders", s.reminders, s.set_reminders_opt, "invite.reminders_hint"),
        rx.cond(s.reports_offered,
                _option("invite.report", s.send_report, s.set_send_report, "invite.report_hint")),
        rx.cond(s.error != "", rx.callout(tr(s.error), color_scheme="amber", width="100%")),
        rx.hstack(
            rx.button(tr("invite.create"), on_click=s.create, size="3", id="create-interaction",
                      disabled=s.error != ""),
            rx.link(tr("common.cancel"), href=routes.PARTICIPANTS + "/"
                    + s.participant_id.to_string()),
            align="center", spacing="4",
        ),
        spacing="4", width="100%",
    )
    return app_shell(
        rx.cond(
            s.found,
            rx.vstack(
                page_title(tr("invite.title").to(str).replace("{name}", s.participant_name)),
                rx.card(rx.cond(s.created_id > 0, manual, form), width="100%",
                        max_width="640px"),
                width="100%",
            ),
            rx.callout(tr("participant.not_found"), color_scheme="amber"),
        ),
    )
