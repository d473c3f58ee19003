"""The frame around every page: top navigation, language switcher, sign out."""

import reflex as rx

from rxapp import routes
from rxapp.states.base import LANGUAGES, AppState

APP_NAME = "Beckon"  # the same in every language


def tr(key: str | rx.Var) -> rx.Var:
    """The text of a catalogue key in the current language."""
    return AppState.t[key]


def lang_switcher() -> rx.Component:
    """A select of the four languages, each named in its own language."""
    return rx.select.root(
        # 44 px: a thumb-sized target on phones (R-UI-3).
        rx.select.trigger(aria_label=tr("lang.label"), variant="ghost", id="lang-switch",
                          min_height="44px", min_width="44px", margin="0"),
        rx.select.content(
            *[rx.select.item(tr(f"lang.{code}"), value=code) for code in LANGUAGES]
        ),
        value=AppState.language,
        on_change=AppState.set_lang,
        size="2",
    )


def module_selector() -> rx.Component:
    """Switch between the organization's modules; shown only when it has several (R-ACC-5)."""
    return rx.cond(
        AppState.module_nav.length() > 1,
        rx.select.root(
            rx.select.trigger(placeholder=tr("nav.module_select"),
                              aria_label=tr("nav.module_select"), id="module-select"),
            rx.select.content(rx.foreach(
                AppState.module_nav,
                lambda m: rx.select.item(tr(m["key"]), value=m["module"]),
            )),
            value=AppState.current_module,
            on_change=AppState.choose_module,
            size="2",
        ),
    )


def _wide_only(component: rx.Component) -> rx.Component:
    # Phones get the modules from the menu button; the bar has no room for a selector.
    return rx.box(component, display=["none", "none", "block"])


def _brand(name: str | rx.Var | None = None) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("mail-check", size=22),
            rx.text(tr("app.name") if name is None else name, weight="bold", size="5"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        underline="none",
        color="inherit",
        display="inline-flex",
        align_items="center",
        min_height="44px",
    )


def _nav_link(item: rx.Var) -> rx.Component:
    active = AppState.router.url.path == item["route"]
    return rx.link(
        tr(item["key"]),
        href=item["route"],
        weight=rx.cond(active, "bold", "regular"),
        underline=rx.cond(active, "always", "hover"),
        color_scheme=rx.cond(active, "indigo", "gray"),
        high_contrast=True,
        white_space="nowrap",
    )


def _mobile_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("menu"), aria_label=tr("nav.menu"), variant="soft", size="3",
                id="mobile-menu",
            ),
        ),
        rx.menu.content(
            rx.foreach(
                AppState.nav,
                lambda item: rx.menu.item(
                    tr(item["key"]), on_click=rx.redirect(item["route"]), min_height="44px"
                ),
            ),
            rx.menu.separator(),
            rx.menu.item(tr("nav.sign_out"), on_click=AppState.sign_out, min_height="44px"),
        ),
    )


def top_bar() -> rx.Component:
    """The navigation of the signed-in role, limited to the organization's modules."""
    return rx.box(
        rx.hstack(
            _brand(),
            _wide_only(module_selector()),
            rx.el.nav(
                rx.hstack(rx.foreach(AppState.bar_nav, _nav_link), spacing="5", align="center"),
                display=["none", "none", "block"],
                aria_label=tr("nav.module"),
            ),
            rx.spacer(),
            rx.text(AppState.org_name, color_scheme="gray", size="2", white_space="nowrap",
                    display=["none", "none", "none", "none", "block"]),
            lang_switcher(),
            rx.button(
                tr("nav.sign_out"), on_click=AppState.sign_out, variant="outline", size="2",
                display=["none", "none", "flex"], id="sign-out",
            ),
            rx.box(_mobile_menu(), display=["block", "block", "none"]),
            align="center",
            spacing="4",
            width="100%",
            max_width="1200px",
            margin_x="auto",
            padding_x="16px",
            padding_y="10px",
        ),
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-panel-solid)",
        width="100%",
        position="sticky",
        top="0",
        z_index="10",
    )


def app_shell(*children: rx.Component) -> rx.Component:
    """A page for signed-in users: top bar, then the content; nothing shows before the guard."""
    return rx.box(
        rx.cond(
            AppState.signed_in,
            rx.fragment(
                top_bar(),
                rx.el.main(
                    *children,
                    width="100%",
                    max_width="1200px",
                    margin_x="auto",
                    padding_x=["12px", "16px", "24px"],
                    padding_y="24px",
                ),
            ),
            rx.center(rx.spinner(size="3"), aria_label=tr("common.loading"), height="60vh"),
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def public_shell(*children: rx.Component) -> rx.Component:
    """A page anyone can open (sign-in, invitee pages): a card centred on a narrow column."""
    return rx.box(
        rx.hstack(
            _brand(),
            rx.spacer(),
            lang_switcher(),
            width="100%",
            max_width="480px",
            margin_x="auto",
            padding="16px",
            align="center",
        ),
        rx.el.main(
            rx.card(*children, size="3", width="100%"),
            width="100%",
            max_width="480px",
            margin_x="auto",
            padding_x="12px",
            padding_bottom="32px",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def loading_shell() -> rx.Component:
    """The static page a route with a parameter shows until the app has loaded.

    Reflex prerenders it into the HTML of ``/i/<token>``, ``/join/<token>`` etc., so a
    phone paints the frame at once instead of a blank page while the JavaScript and
    the first state arrive. It holds no state (it is built before any exists).
    """
    return rx.box(
        rx.hstack(
            _brand(APP_NAME),
            width="100%",
            max_width="480px",
            margin_x="auto",
            padding="16px",
            align="center",
        ),
        rx.box(
            rx.card(rx.center(rx.spinner(size="3"), min_height="120px"), size="3",
                    width="100%"),
            width="100%",
            max_width="480px",
            margin_x="auto",
            padding_x="12px",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def page_title(text: rx.Var) -> rx.Component:
    """The one h1 of a page."""
    return rx.heading(text, as_="h1", size="7", margin_bottom="12px")


def tap_link(text: rx.Var, *, href: str, **props) -> rx.Component:
    """A text link with a 44 px tall target, for pages people open on a phone (R-UI-3)."""
    return rx.link(text, href=href, display="inline-flex", align_items="center",
                   min_height="44px", **props)
