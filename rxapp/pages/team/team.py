"""Team pages (§5): dashboard, invitations + stepper, CSV import, members, lists, join."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, form_field
from rxapp.components.shell import app_shell, page_title, public_shell, tr
from rxapp.components.status_log import status_log
from rxapp.models.team import LIST_KINDS
from rxapp.services.team import ATTRIBUTE_KINDS, CLASSES_OF_SERVICE, INVITABLE_ROLES
from rxapp.states.team import (
    ANY,
    AttributeListsState,
    CsvImportState,
    InvitationsState,
    JoinState,
    MembersState,
    TeamDashboardState,
)


def _fill(key: str, **values: rx.Var) -> rx.Var:
    """A catalogue text with ``{name}`` placeholders filled from vars."""
    text = tr(key).to(str)
    for name, value in values.items():
        # Strings go in as they are; numbers are turned into text (to_string would quote a str).
        filler = value if isinstance(value, str) or value._var_type is str else (
            value.to_string())
        text = text.replace("{" + name + "}", filler)
    return text


def _role_label(role: rx.Var) -> rx.Var:
    return tr("team.role." + role.to(str))


def _back_link() -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("team.inv.back")),
                             align="center", spacing="1"),
                   href=routes.TEAM, size="2")


# --- dashboard ------------------------------------------------------------------


def _tile(title: rx.Var, big: rx.Component, text: rx.Component, href: str,
          tile_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h2", size="4"),
            big,
            text,
            rx.link(rx.button(tr("team.dash.open"), variant="soft", size="3"), href=href),
            spacing="3",
            align="start",
        ),
        width="100%",
        id=tile_id,
    )


def team_dashboard_page() -> rx.Component:
    """The admin dashboard of the team module: Invitations tile first (R-TEAM-1)."""
    s = TeamDashboardState
    return app_shell(
        page_title(tr("team.dash.title")),
        rx.grid(
            _tile(
                tr("team.dash.invitations"),
                rx.text(s.pending, size="8", weight="bold", id="pending-count"),
                rx.vstack(
                    rx.text(_fill("team.dash.invitations_text", n=s.pending),
                            color_scheme="gray", size="2"),
                    rx.cond(s.renewals > 0, rx.badge(_fill("team.dash.renewals", n=s.renewals),
                                                     color_scheme="amber")),
                    spacing="1",
                ),
                routes.TEAM_INVITATIONS, "tile-invitations",
            ),
            _tile(
                tr("team.dash.members"),
                rx.text(s.members, size="8", weight="bold"),
                rx.text(_fill("team.dash.members_text", n=s.members, agents=s.agents),
                        color_scheme="gray", size="2"),
                routes.TEAM_MEMBERS, "tile-members",
            ),
            _tile(
                tr("team.dash.lists"),
                rx.icon("list-checks", size=36),
                rx.text(tr("team.dash.lists_text"), color_scheme="gray", size="2"),
                routes.TEAM_SETTINGS, "tile-lists",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
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
                    status_log(row["log"].to(list[dict[str, str]]),
                               label=lambda e: tr("status." + e.to(str)),
                               empty=tr("status.empty")),
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
                        rx.hstack(rx.radio_group.item(value=role),
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
                rx.progress(value=s.progress_percent, width="100%"),
                rx.text(_fill("team.step.progress", done=s.progress, total=s.total), size="2"),
                width="100%",
                role="status",
            ),
        ),
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


# --- CSV import ---------------------------------------------------------------------


def csv_import_page() -> rx.Component:
    """Paste a CSV, check every row, then send all or nothing (R-PLUS-10)."""
    s = CsvImportState
    return app_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("team.inv.title")),
                          align="center", spacing="1"),
                href=routes.TEAM_INVITATIONS, size="2"),
        page_title(tr("team.csv.title")),
        rx.card(
            rx.vstack(
                rx.text(tr("team.csv.intro"), size="2", color_scheme="gray"),
                rx.el.label(tr("team.csv.label"), html_for="field-csv", font_weight="500",
                            font_size="0.9rem"),
                rx.text_area(id="field-csv", default_value=s.csv_text, on_blur=s.set_csv_text,
                             rows="8", width="100%", font_family="monospace",
                             placeholder="email,role,channels,class_of_service,services,"
                                         "sites,skills"),
                field_error(tr(s.problem), show=s.problem != "", field_id="field-csv"),
                rx.hstack(
                    rx.button(tr("team.csv.check"), on_click=s.check, variant="soft",
                              size="3"),
                    rx.button(tr("team.csv.send"), on_click=s.send_all, size="3",
                              disabled=~s.ok | (s.sent != "")),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(s.sent != "", rx.callout(s.sent, color_scheme="green", role="status",
                                         margin_top="12px")),
        rx.cond(
            (s.report.length() > 0) & (s.sent == ""),
            rx.callout(
                rx.cond(s.ok, _fill("team.csv.all_ok", n=s.report.length()),
                        _fill("team.csv.has_problems", n=s.problems_count)),
                color_scheme=rx.cond(s.ok, "blue", "red"), role="status", margin_top="12px",
            ),
        ),
        rx.cond(
            s.report.length() > 0,
            rx.vstack(
                rx.foreach(s.report, lambda r: rx.hstack(
                    rx.text(tr("team.csv.line"), " ", r["line"], size="2",
                            color_scheme="gray", min_width="4.5em"),
                    rx.text(r["email"], size="2", weight="medium", word_break="break-all"),
                    rx.badge(r["role"], variant="surface"),
                    rx.cond(r["ok"].to(bool),
                            rx.badge(tr("team.csv.row_ok"), color_scheme="green"),
                            rx.text(r["problems"], color_scheme="red", size="2")),
                    wrap="wrap",
                    align="center",
                    spacing="2",
                    padding_y="6px",
                    border_bottom="1px solid var(--gray-a4)",
                    width="100%",
                    class_name="csv-row",
                )),
                spacing="0",
                width="100%",
                margin_top="12px",
                role="list",
                aria_label=tr("team.csv.result"),
            ),
        ),
    )


# --- members --------------------------------------------------------------------------


def _filter_select(kind: str) -> rx.Component:
    s = MembersState
    if kind == "role":
        items = [rx.select.item(tr(f"team.role.{r}"), value=r) for r in INVITABLE_ROLES]
    elif kind == "class_of_service":
        items = [rx.select.item(tr(f"team.cos.{c}"), value=c) for c in CLASSES_OF_SERVICE]
    else:
        items = [rx.foreach(s.options[kind].to(list[str]),
                            lambda v: rx.select.item(v, value=v))]
    label = tr("team.inv.role") if kind == "role" else tr(f"team.kind.{kind}")
    return rx.vstack(
        rx.text(label, size="1", weight="medium"),
        rx.select.root(
            rx.select.trigger(aria_label=label, width="100%", id=f"filter-{kind}"),
            rx.select.content(rx.select.item(tr("team.members.any"), value=ANY), *items),
            value=s.filters.get(kind, ANY).to(str),
            on_change=lambda v: s.set_filter(kind, v),
        ),
        spacing="1",
        width="100%",
    )


def _member_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(
                    rx.text(rx.cond(row["name"] != "", row["name"], row["email"]),
                            weight="bold"),
                    rx.badge(_role_label(row["role"]), variant="surface"),
                    wrap="wrap", align="center", spacing="2",
                ),
                rx.text(row["email"], size="2", color_scheme="gray", word_break="break-all"),
                rx.cond(row["attributes"] != "",
                        rx.text(row["attributes"], size="2", class_name="member-attributes")),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.button(rx.icon("pencil", size=14), tr("team.members.edit"), size="2",
                      variant="soft", on_click=MembersState.start_edit(row["id"].to(int))),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
        class_name="member-row",
    )


def _edit_dialog() -> rx.Component:
    s = MembersState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(_fill("team.members.edit_title", name=s.edit_name)),
            rx.vstack(
                *[_option_checks(kind, s.options, s.edit_chosen, s.toggle_edit)
                  for kind in LIST_KINDS],
                _cos_select(s.edit_cos, s.set_edit_cos),
                rx.cond(s.edit_error != "", rx.text(s.edit_error, color_scheme="red",
                                                    role="alert")),
                rx.hstack(
                    rx.button(tr("common.cancel"), variant="soft", color_scheme="gray",
                              on_click=s.cancel_edit),
                    rx.button(tr("common.save"), on_click=s.save_edit),
                    justify="end", width="100%", spacing="3",
                ),
                spacing="4",
                width="100%",
            ),
            max_width="560px",
        ),
        open=s.edit_open,
        on_open_change=s.set_edit_open,
    )


def members_page() -> rx.Component:
    """Every member with role and attributes, filterable by each (R-TEAM-5)."""
    s = MembersState
    return app_shell(
        _back_link(),
        page_title(tr("team.members.title")),
        rx.card(
            rx.grid(
                *[_filter_select(kind) for kind in ("role", *ATTRIBUTE_KINDS)],
                columns=rx.breakpoints(initial="1", xs="2", md="3", lg="6"),
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.text(_fill("team.members.count", n=s.rows.length()), size="2",
                        color_scheme="gray"),
                rx.button(tr("team.members.clear"), size="1", variant="ghost",
                          on_click=s.clear_filters),
                align="center", margin_top="8px",
            ),
            width="100%",
            margin_bottom="12px",
        ),
        rx.cond(
            s.rows.length() > 0,
            rx.vstack(rx.foreach(s.rows, _member_card), spacing="3", width="100%"),
            rx.callout(tr("team.members.empty"), icon="users"),
        ),
        _edit_dialog(),
    )


# --- attribute lists ----------------------------------------------------------------


def _list_card(kind: str) -> rx.Component:
    s = AttributeListsState
    err = s.errors.get(kind, "").to(str)
    return rx.card(
        rx.vstack(
            rx.heading(tr(f"team.kind.{kind}"), as_="h2", size="4"),
            rx.cond(
                s.options[kind].to(list[str]).length() > 0,
                rx.flex(
                    rx.foreach(
                        s.options[kind].to(list[str]),
                        lambda v: rx.badge(
                            rx.text(v),
                            rx.icon_button(
                                rx.icon("x", size=12), size="1", variant="ghost",
                                color_scheme="gray",
                                aria_label=_fill("team.lists.remove", value=v),
                                on_click=s.remove(kind, v),
                            ),
                            size="2", variant="surface", radius="full",
                        ),
                    ),
                    wrap="wrap", gap="6px",
                ),
                rx.text(tr("team.lists.empty"), size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="kind", value=kind),
                    rx.input(name="value", placeholder=tr("team.lists.new_value"),
                             aria_label=tr(f"team.kind.{kind}"),
                             id=f"field-{kind}", key=s.form_key.to_string(), flex="1",
                             size="3"),
                    rx.button(tr("team.step.add"), type="submit", size="3", variant="soft"),
                    width="100%",
                ),
                field_error(tr(err), show=err != "", field_id=f"field-{kind}"),
                on_submit=s.add,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def attribute_lists_page() -> rx.Component:
    """The organization's lists of channels, services, sites and skills."""
    return app_shell(
        _back_link(),
        page_title(tr("team.lists.title")),
        rx.text(tr("team.lists.intro"), color_scheme="gray", margin_bottom="12px"),
        rx.grid(
            *[_list_card(kind) for kind in LIST_KINDS],
            rx.card(
                rx.vstack(
                    rx.heading(tr("team.kind.class_of_service"), as_="h2", size="4"),
                    rx.text(tr("team.lists.cos_fixed"), size="2", color_scheme="gray"),
                    rx.flex(*[rx.badge(tr(f"team.cos.{c}"), size="2", variant="soft")
                              for c in CLASSES_OF_SERVICE], wrap="wrap", gap="6px"),
                    spacing="3",
                ),
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


# --- the invitee's page ----------------------------------------------------------------


def _join_form() -> rx.Component:
    s = JoinState
    return rx.vstack(
        rx.heading(_fill("team.join.title", org=s.invite_org), as_="h1", size="6"),
        rx.text(_fill("team.join.intro", role=_role_label(s.invite_role))),
        rx.text(tr("team.join.email"), ": ", rx.text.strong(s.invite_email), size="2",
                color_scheme="gray", word_break="break-all"),
        rx.form(
            rx.vstack(
                form_field(label=tr("team.join.name"), name="full_name", autocomplete="name",
                           error=s.name_error, error_text=tr(s.name_error), min_height="44px"),
                form_field(label=tr("team.join.password"), name="password",
                           input_type="password", autocomplete="new-password",
                           error=s.password_error, error_text=tr(s.password_error),
                           hint=rx.text(tr("team.join.hint"), size="1", color_scheme="gray"),
                           min_height="44px"),
                form_field(label=tr("team.join.confirm"), name="confirm", input_type="password",
                           autocomplete="new-password", error=s.confirm_error,
                           error_text=tr(s.confirm_error), min_height="44px"),
                rx.button(tr("team.join.submit"), type="submit", size="3", width="100%",
                          id="join-submit", min_height="44px"),
                spacing="4",
                width="100%",
            ),
            on_submit=s.submit,
            no_validate=True,
            reset_on_submit=False,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _join_expired() -> rx.Component:
    s = JoinState
    return rx.vstack(
        rx.heading(tr("team.join.closed"), as_="h1", size="6"),
        rx.callout(tr("team.link.expired"), color_scheme="amber", role="alert",
                   id="join-expired", width="100%"),
        rx.cond(
            s.asked,
            rx.callout(tr("team.join.asked"), color_scheme="green", role="status",
                       width="100%", id="join-asked"),
            rx.vstack(
                rx.text(_fill("team.join.expired_body", org=s.invite_org)),
                rx.button(tr("team.join.ask"), on_click=s.ask_new_link, size="3",
                          width="100%", min_height="44px", id="join-ask"),
                spacing="3",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def join_page() -> rx.Component:
    """Accept a team invitation from the emailed link; phone first (R-TEAM-4, R-UI-3)."""
    s = JoinState
    return public_shell(
        rx.cond(
            ~s.checked,
            rx.center(rx.spinner(size="3"), min_height="120px"),
            rx.cond(
                s.done,
                rx.vstack(
                    rx.heading(_fill("team.join.title", org=s.invite_org), as_="h1", size="6"),
                    rx.callout(tr("team.join.done"), color_scheme="green", role="status",
                               id="join-done", width="100%"),
                    rx.link(rx.button(tr("team.join.sign_in"), size="3", width="100%"),
                            href=routes.LOGIN, width="100%"),
                    spacing="3",
                    width="100%",
                ),
                rx.match(
                    s.status,
                    ("ok", _join_form()),
                    ("expired", _join_expired()),
                    rx.vstack(
                        rx.heading(tr("team.join.closed"), as_="h1", size="6"),
                        rx.callout(tr("team.link." + s.status), color_scheme="amber",
                                   role="alert", id="join-closed", width="100%"),
                        rx.link(tr("team.join.sign_in"), href=routes.LOGIN),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
        ),
    )


__all__ = [
    "attribute_lists_page",
    "csv_import_page",
    "invitations_page",
    "join_page",
    "members_page",
    "team_dashboard_page",
]
