"""The customer's review page (/r/<token>), mobile first, in the customer's language."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import public_shell, tr
from rxapp.pages.registry import page
from rxapp.states.reviews import ReviewPageState as S


def _star_button(key: rx.Var, n: int) -> rx.Component:
    chosen = S.stars[key].to(int) >= n
    return rx.button(
        rx.icon("star", size=28, fill=rx.cond(chosen, "currentColor", "none")),
        on_click=S.set_stars(key, n),
        variant="ghost",
        color_scheme=rx.cond(chosen, "amber", "gray"),
        aria_label=f"{n} / 5",
        aria_pressed=rx.cond(chosen, "true", "false"),
        min_width="44px",
        min_height="44px",
        padding="6px",
        type="button",
    )


def _subject(s: rx.Var) -> rx.Component:
    key = s["key"]
    return rx.vstack(
        rx.heading(
            rx.cond(
                key == "service", tr("review.service").to(str).replace("{org}", S.org), s["name"]
            ),
            as_="h2",
            size="4",
        ),
        rx.hstack(
            *[_star_button(key, n) for n in range(1, 6)],
            spacing="1",
            role="group",
            aria_label=tr("review.stars"),
        ),
        rx.cond(
            S.error_subject == key,
            rx.text(S.error_text, color_scheme="red", size="2", role="alert"),
        ),
        rx.text_area(
            value=S.texts[key].to(str),
            on_change=lambda v: S.set_text(key, v),
            placeholder=tr("review.text_placeholder"),
            aria_label=tr("review.text_label"),
            rows="4",
            width="100%",
            size="3",
        ),
        spacing="2",
        width="100%",
        padding_bottom="12px",
        border_bottom="1px solid var(--gray-a4)",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("review.title"), as_="h1", size="6"),
        rx.text(tr("review.intro").to(str).replace("{name}", S.customer), color_scheme="gray"),
        rx.foreach(S.subjects, _subject),
        rx.cond(
            (S.error_text != "") & (S.error_subject == ""),
            rx.text(S.error_text, color_scheme="red", size="2", role="alert"),
        ),
        rx.button(
            tr("review.submit"), on_click=S.submit, size="4", width="100%", id="submit-review"
        ),
        spacing="4",
        width="100%",
    )


def _thanks() -> rx.Component:
    return rx.vstack(
        rx.icon("heart-handshake", size=40, color="var(--green-9)"),
        rx.heading(tr("review.thanks_title"), as_="h1", size="6"),
        rx.text(tr("review.thanks_text").to(str).replace("{org}", S.org)),
        rx.cond(
            S.editable,
            rx.button(
                tr("review.edit"),
                variant="soft",
                on_click=S.edit,
                size="3",
                width="100%",
                id="edit-review",
            ),
            rx.text(tr("review.final"), size="2", color_scheme="gray"),
        ),
        spacing="3",
        align="center",
        text_align="center",
        width="100%",
        id="review-thanks",
    )


@page(route=routes.REVIEW, on_load=S.load, title="Beckon")
def review_page() -> rx.Component:
    """Stars and text for the service and each product; one review per link."""
    return public_shell(
        rx.match(
            S.status,
            ("form", _form()),
            ("thanks", _thanks()),
            (
                "invalid",
                rx.vstack(
                    rx.heading(tr("review.invalid_title"), as_="h1", size="6"),
                    rx.text(tr("review.invalid_text")),
                    spacing="3",
                    id="review-invalid",
                ),
            ),
            rx.center(rx.spinner(size="3"), height="200px"),
        ),
    )
