"""Invitations list and the invite stepper: role, attributes, addresses (R-TEAM-1..3)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, form_field
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.components.status_log import readable_log
from rxapp.pages.registry import page
from rxapp.pages.team.common import _back_link, _fill, _role_label
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.team import (
    ANY,
    CLASSES_OF_SERVICE,
    INVITABLE_ROLES,
    LIST_KINDS,
    InvitationsState,
)

# --- invitations --------------------------------------------------------------------


def _invitation_card(row: rx.Var) -> rx.Component:
    s = InvitationsState
    expired = row["state"] == "expired"
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row["email"], weight="bold", word_break="break-all"),
                rx.badge(_role_label(row["role"]), variant="surface"),
                rx.cond(expired,
                        rx.badge(tr("team.inv.state_expired"), color_scheme="amber"),
                        rx.badge(tr("team.inv.state_pending"), color_scheme="blue")),
                rx.cond(row["renewal"].to(bool),
                        rx.badge(tr("team.inv.renewal_requested"), color_scheme="orange")),
                wrap="wrap",
                align="center",
                spacing="2",
            ),
            rx.cond(row["attributes"] != "",
                    rx.text(row["attributes"], size="2", color_scheme="gray")),
            rx.flex(
                rx.text(tr("team.inv.sent"), ": ",
                        rx.cond(row["sent"] != "", row["sent"], tr("team.inv.not_sent")),
                        size="2"),
                rx.text(tr("team.inv.expires"), ": ", row["expires"], size="2"),
                wrap="wrap",
                column_gap="16px",
                row_gap="2px",
            ),
            rx.el.details(
                rx.el.summary(tr("team.inv.log"), cursor="pointer", font_size="0.85rem"),
                rx.box(
                    readable_log(row["log"].to(list[dict[str, str]]), expanded=True,
                                 on_toggle=None),
                    padding_top="8px",
                ),
            ),
            rx.hstack(
                rx.cond(
                    expired,
                    rx.button(tr("team.inv.renew"), size="2", variant="soft",
                              on_click=s.renew(row["id"].to(int))),
                    rx.button(tr("team.inv.resend"), size="2", variant="soft",
                              on_click=s.resend(row["id"].to(int))),
                ),
                rx.button(tr("team.inv.revoke"), size="2", variant="outline",
                          color_scheme="red", on_click=s.ask_revoke(row["id"].to(int))),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="invitation-row",
    )


def _revoke_dialog() -> rx.Component:
    s = InvitationsState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("team.inv.revoke_title")),
            rx.alert_dialog.description(_fill("team.inv.revoke_body", email=s.revoke_email)),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                 color_scheme="gray",
                                                 on_click=s.cancel_revoke)),
                rx.alert_dialog.action(rx.button(tr("team.inv.revoke_confirm"),
                                                 color_scheme="red", id="revoke-confirm",
                                                 on_click=s.confirm_revoke)),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=s.revoke_open,
    )


def _option_checks(kind: str, options: rx.Var, chosen: rx.Var, on_toggle) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        rx.text(tr(f"team.kind.{kind}"), weight="medium", size="2"),
        rx.cond(
            options[kind].to(list[str]).length() > 0,
            rx.flex(
                rx.foreach(
                    options[kind].to(list[str]),
                    lambda value: rx.el.label(
                        rx.hstack(
                            rx.checkbox(
                                checked=chosen[kind].to(list[str]).contains(value),
                                on_change=lambda _checked: on_toggle(kind, value),
                                # Radix renders a button: the wrapping label does not name it.
                                aria_label=value,
                            ),
                            rx.text(value, size="2"),
                            align="center",
                            spacing="2",
                            min_height="36px",
                            padding_right="12px",
                        ),
                    ),
                ),
                wrap="wrap",
            ),
            rx.text(tr("team.step.no_options"), size="1", color_scheme="gray"),
        ),
        spacing="1",
        width="100%",
        role="group",
        aria_label=tr(f"team.kind.{kind}"),
    )


def _cos_select(value: rx.Var, on_change) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        rx.text(tr("team.kind.class_of_service"), weight="medium", size="2"),
        rx.select.root(
            rx.select.trigger(aria_label=tr("team.kind.class_of_service"), width="100%"),
            rx.select.content(
                rx.select.item(tr("team.cos.none"), value=ANY),
                *[rx.select.item(tr(f"team.cos.{c}"), value=c) for c in CLASSES_OF_SERVICE],
            ),
            value=rx.cond(value != "", value, ANY),
            on_change=on_change,
        ),
        spacing="1",
        width="100%",
    )


def _step_role() -> rx.Component:
    s = InvitationsState
    return rx.vstack(
        rx.text(tr("team.step.role_intro")),
        rx.radio_group.root(
            rx.vstack(
                *[
                    rx.el.label(
                        rx.hstack(rx.radio_group.item(value=role,
                                                      aria_label=tr(f"team.role.{role}")),
                                  rx.text(tr(f"team.role.{role}")),
                                  align="center", spacing="2", min_height="40px"),
                    )
                    for role in INVITABLE_ROLES
                ],
                spacing="1",
            ),
            value=s.role,
            on_change=s.choose_role,
            aria_label=tr("team.step.role"),
        ),
        rx.vstack(
            rx.text(tr("team.step.language"), size="2", weight="medium"),
            rx.select.root(
                rx.select.trigger(aria_label=tr("team.step.language"), id="step-language"),
                rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                    for c in LANGUAGES]),
                value=s.invitee_language,
                on_change=s.choose_invitee_language,
            ),
            spacing="1",
        ),
        form_field(label=tr("field.time_zone"), name="invitee_zone",
                   error=s.zone_error, error_text=s.zone_error,
                   placeholder=s.org_zone, default_value=s.invitee_zone,
                   on_blur=s.set_invitee_zone,
                   hint=rx.text(tr("participants.time_zone_hint").to(str).replace(
                       "{zone}", s.org_zone), size="1", color_scheme="gray")),
        rx.hstack(
            rx.button(tr("common.cancel"), variant="soft", color_scheme="gray",
                      on_click=s.close_stepper),
            rx.button(tr("common.next"), on_click=s.go_to(2), id="step-next"),
            justify="end", width="100%", spacing="3",
        ),
        spacing="4",
        width="100%",
    )


def _step_attributes() -> rx.Component:
    s = InvitationsState
    return rx.vstack(
        rx.text(tr("team.step.attributes_intro"), size="2", color_scheme="gray"),
        *[_option_checks(kind, s.options, s.chosen, s.toggle_option) for kind in LIST_KINDS],
        _cos_select(s.class_of_service, s.set_class_of_service),
        rx.hstack(
            rx.button(tr("common.previous"), variant="soft", color_scheme="gray",
                      on_click=s.go_to(1)),
            rx.button(tr("common.next"), on_click=s.go_to(3), id="step-next"),
            justify="end", width="100%", spacing="3",
        ),
        spacing="4",
        width="100%",
    )


def _chip(email: rx.Var) -> rx.Component:
    return rx.badge(
        rx.text(email),
        rx.icon_button(
            rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
            aria_label=_fill("team.step.remove", email=email),
            on_click=InvitationsState.remove_chip(email),
        ),
        size="2", variant="surface", radius="full", class_name="address-chip",
    )


def _step_addresses() -> rx.Component:
    s = InvitationsState
    return rx.vstack(
        rx.form(
            rx.vstack(
                rx.el.label(tr("team.step.addresses_label"), html_for="field-addresses",
                            font_weight="500", font_size="0.9rem"),
                rx.text_area(
                    id="field-addresses", name="addresses", default_value=s.draft,
                    key=s.draft_key.to_string(), rows="3", width="100%",
                    aria_invalid=rx.cond(s.draft_error != "", "true", "false"),
                    aria_describedby="field-addresses-error",
                ),
                rx.text(tr("team.step.addresses_hint"), size="1", color_scheme="gray"),
                field_error(s.draft_error, show=s.draft_error != "", field_id="field-addresses"),
                rx.button(rx.icon("check", size=16), tr("team.step.add"), type="submit",
                          variant="soft", id="addresses-add"),
                spacing="2",
                width="100%",
            ),
            on_submit=s.add_addresses,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            s.chips.length() > 0,
            rx.vstack(
                rx.hstack(
                    rx.text(_fill("team.step.summary", n=s.chips.length()), weight="medium",
                            id="chips-summary"),
                    rx.spacer(),
                    rx.button(tr("team.step.clear"), size="1", variant="ghost",
                              on_click=s.clear_chips),
                    width="100%", align="center",
                ),
                rx.flex(rx.foreach(s.chips, _chip), wrap="wrap", gap="6px",
                        max_height="180px", overflow_y="auto", width="100%"),
                spacing="2",
                width="100%",
            ),
        ),
        rx.cond(
            s.reported.length() > 0,
            rx.vstack(
                rx.text(tr("team.step.reported"), weight="medium", size="2"),
                rx.foreach(
                    s.reported,
                    lambda r: rx.text(r["email"], " — ", tr("team.outcome." + r["outcome"]),
                                      size="2", color_scheme="amber", class_name="reported"),
                ),
                spacing="1",
                width="100%",
                id="reported",
            ),
        ),
        rx.cond(
            s.sending,
            rx.vstack(
                rx.progress(value=s.progress_percent, width="100%",
                            aria_labelledby="invite-progress"),
                rx.text(_fill("team.step.progress", done=s.progress, total=s.total), size="2",
                        id="invite-progress"),
                width="100%",
                role="status",
            ),
        ),
        rx.cond(s.seats_error != "",
                rx.callout(s.seats_error, color_scheme="red", icon="triangle-alert",
                           role="alert", id="seats-error", width="100%")),
        rx.hstack(
            rx.button(tr("common.previous"), variant="soft", color_scheme="gray",
                      on_click=s.go_to(2), disabled=s.sending),
            rx.button(tr("team.step.send"), on_click=s.send, id="invite-send",
                      loading=s.sending, disabled=s.chips.length() == 0),
            justify="end", width="100%", spacing="3",
        ),
        spacing="4",
        width="100%",
    )


def _stepper() -> rx.Component:
    s = InvitationsState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("team.step.title")),
            rx.text(_fill("team.step.of", n=s.step), size="2", color_scheme="gray"),
            rx.hstack(
                *[
                    rx.badge(tr(f"team.step.{name}"),
                             variant=rx.cond(s.step == n, "solid", "soft"),
                             color_scheme=rx.cond(s.step >= n, "indigo", "gray"))
                    for n, name in ((1, "role"), (2, "attributes"), (3, "addresses"))
                ],
                spacing="2", margin_y="12px", wrap="wrap",
            ),
            rx.match(
                s.step,
                (1, _step_role()),
                (2, _step_attributes()),
                (3, _step_addresses()),
                rx.fragment(),
            ),
            max_width="560px",
        ),
        open=s.step > 0,
        on_open_change=s.set_step_open,
    )


@page(route=routes.TEAM_INVITATIONS, on_load=[AppState.enter_team, InvitationsState.load])
def invitations_page() -> rx.Component:
    """Pending invitations with resend and revoke; "+" opens the stepper (R-TEAM-1..3)."""
    s = InvitationsState
    return app_shell(
        _back_link(),
        rx.hstack(
            page_title(tr("team.inv.title")),
            rx.spacer(),
            rx.link(rx.button(rx.icon("file-up", size=16), tr("team.inv.bulk"),
                              variant="soft", size="3"),
                    href=routes.TEAM_IMPORT),
            rx.icon_button(rx.icon("plus"), size="3", aria_label=tr("team.inv.new"),
                           title=tr("team.inv.new"), on_click=s.open_stepper,
                           id="invite-open"),
            align="center",
            width="100%",
            wrap="wrap",
            margin_top="8px",
        ),
        rx.cond(s.result != "",
                rx.callout(rx.text(s.result, " ", s.seconds), color_scheme="green",
                           role="status", id="invite-result", margin_bottom="12px")),
        rx.cond(
            s.rows.length() > 0,
            rx.vstack(
                rx.foreach(s.rows, _invitation_card),
                rx.cond(
                    s.row_count > s.rows.length(),
                    rx.hstack(
                        rx.button(rx.icon("chevron-left", size=16), tr("common.previous"),
                                  variant="soft", on_click=s.previous_page,
                                  disabled=s.page == 0),
                        rx.text(s.page_label, size="2", id="invitations-page"),
                        rx.button(tr("common.next"), rx.icon("chevron-right", size=16),
                                  variant="soft", on_click=s.next_page,
                                  disabled=~s.has_next),
                        align="center", justify="center", spacing="3", width="100%",
                    ),
                ),
                spacing="3", width="100%",
            ),
            rx.callout(tr("team.inv.empty"), icon="inbox"),
        ),
        _stepper(),
        _revoke_dialog(),
    )


