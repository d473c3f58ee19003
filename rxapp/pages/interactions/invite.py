"""Invite page after creating an interaction (R-INT-5, R-INT-7)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.interactions import InviteState


def _option(label: str, checked: rx.Var, on_change, hint: str) -> rx.Component:  # noqa: ANN001
    return rx.el.label(
        rx.hstack(
            rx.switch(checked=checked, on_change=on_change, size="3", aria_label=tr(label)),
            rx.vstack(rx.text(tr(label), weight="medium"),
                      rx.text(tr(hint), size="2", color_scheme="gray"), spacing="0"),
            align="center", min_height="44px", spacing="3",
        ),
    )


@page(route=routes.PARTICIPANT_NEW, on_load=[AppState.enter_interactions, InviteState.load])
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
        rx.image(src=s.api_base + routes.interaction_qr_path(s.created_id.to_string()),
                 alt=tr("invite.qr"), width="240px", height="240px", background="white"),
        rx.link(tr("invite.back"), href=routes.PARTICIPANTS),
        spacing="3", width="100%",
    )
    sent = rx.vstack(
        rx.callout(tr("invite.sent_to").to(str).replace("{email}", s.participant_email),
                   color_scheme="green", icon="mail-check", role="status", id="invite-sent",
                   width="100%"),
        rx.text(tr("invite.sent_hint"), size="2", color_scheme="gray"),
        rx.hstack(
            rx.link(rx.button(rx.icon("arrow-left", size=16), tr("invite.back_overview"),
                              size="3", id="back-to-overview"), href=routes.PARTICIPANTS),
            rx.link(tr("invite.open_participant"),
                    href=routes.PARTICIPANTS + "/" + s.participant_id.to_string()),
            align="center", spacing="4", wrap="wrap",
        ),
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
                rx.cond(s.questionnaire != "", rx.text(
                    tr("invite.questionnaire").to(str).replace("{name}", s.questionnaire),
                    color_scheme="gray", id="invite-questionnaire")),
                rx.card(rx.cond(s.created_id > 0, rx.cond(s.auto_sent, sent, manual), form),
                        width="100%", max_width="640px"),
                width="100%",
            ),
            rx.callout(tr("participant.not_found"), color_scheme="amber"),
        ),
    )
