"""The built-in mailbox: every email as the recipient would see it (R-MSG-4)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.components.status_log import status_log
from rxapp.pages.registry import page
from rxapp.states.accounts.mailbox import MailboxState
from rxapp.states.base import AppState


def _row(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(row["subject"], weight="medium"),
            rx.hstack(
                rx.text(row["recipient"], size="2", color_scheme="gray"),
                rx.spacer(),
                rx.text(row["received"], size="1", color_scheme="gray"),
                width="100%",
                wrap="wrap",
            ),
            spacing="1",
            width="100%",
        ),
        as_child=False,
        on_click=MailboxState.open_message(row["id"]),
        cursor="pointer",
        width="100%",
        role="button",
        tab_index=0,
        aria_label=row["subject"],
    )


def _list() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(tr("mailbox.intro"), color_scheme="gray", size="2"),
            rx.spacer(),
            rx.button(rx.icon("refresh-cw", size=16), tr("mailbox.refresh"),
                      on_click=MailboxState.refresh, variant="soft", size="2"),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            MailboxState.total == 0,
            rx.callout(tr("mailbox.empty"), icon="inbox", width="100%"),
            rx.vstack(
                rx.foreach(MailboxState.rows, _row),
                rx.hstack(
                    rx.button(tr("common.previous"), on_click=MailboxState.go_page(-1),
                              disabled=MailboxState.page == 0, variant="soft"),
                    rx.text((MailboxState.page + 1).to_string() + " / "
                            + MailboxState.page_count.to_string(), size="2"),
                    rx.button(tr("common.next"), on_click=MailboxState.go_page(1),
                              disabled=MailboxState.page + 1 >= MailboxState.page_count,
                              variant="soft"),
                    align="center",
                    justify="center",
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _open() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("arrow-left", size=16), tr("mailbox.back"),
                  on_click=MailboxState.close_message, variant="ghost"),
        rx.heading(MailboxState.open_subject, as_="h2", size="5", id="mail-subject"),
        rx.text(tr("mailbox.to") + ": " + MailboxState.open_recipient, size="2"),
        rx.text(MailboxState.open_received, size="1", color_scheme="gray"),
        rx.segmented_control.root(
            rx.segmented_control.item("HTML", value="html"),
            rx.segmented_control.item(tr("mailbox.text"), value="text"),
            value=rx.cond(MailboxState.show_html, "html", "text"),
            on_change=MailboxState.set_show_html,
        ),
        rx.cond(
            MailboxState.show_html,
            # No script, no forms, no same-origin: mail HTML can never run in the app. Only
            # popups are allowed (escaping the sandbox), so links open in a new tab.
            rx.el.iframe(src_doc=MailboxState.open_html,
                         sandbox="allow-popups allow-popups-to-escape-sandbox",
                         title="email", id="mail-html",
                         width="100%", height="480px",
                         style={"border": "1px solid var(--gray-a5)", "background": "white",
                                "border_radius": "8px"}),
            rx.el.pre(rx.foreach(MailboxState.open_segments, lambda seg: rx.cond(
                          seg["url"] != "",
                          rx.link(seg["text"], href=seg["url"], is_external=True,
                                  rel="noopener noreferrer"),
                          rx.text.span(seg["text"]))),
                      white_space="pre-wrap", width="100%", word_break="break-word",
                      font_size="0.9rem", padding="12px", background="var(--gray-a2)",
                      border_radius="8px", id="mail-text"),
        ),
        rx.cond(MailboxState.open_files.length() > 0, rx.vstack(
            rx.heading(tr("mailbox.attachments"), as_="h3", size="3", margin_top="8px"),
            rx.foreach(MailboxState.open_files, lambda f: rx.link(
                rx.hstack(rx.icon("paperclip", size=14), rx.text(f["name"]),
                          rx.text(f["size"], color_scheme="gray", size="1"),
                          align="center", spacing="2", min_height="44px"),
                href=MailboxState.api_base + routes.mailbox_attachment_path(
                    MailboxState.open_id.to_string(), f["position"]),
                is_external=True, reload_document=True, class_name="mail-attachment",
            )),
            spacing="1", id="mail-attachments",
        )),
        rx.heading(tr("status.title"), as_="h3", size="3", margin_top="8px"),
        status_log(MailboxState.open_status, label=lambda e: tr("status." + e),
                   empty=tr("status.empty")),
        spacing="3",
        width="100%",
        align="start",
    )


@page(route=routes.MAILBOX, on_load=[AppState.enter_admin, MailboxState.load])
def mailbox_page() -> rx.Component:
    """The list of kept emails, or one opened."""
    return app_shell(
        page_title(tr("nav.mailbox")),
        rx.cond(MailboxState.open_id > 0, _open(), _list()),
    )
