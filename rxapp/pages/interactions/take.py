"""The participant's page (R-INT-8, R-UI-3): one question per screen, thumb-sized answers."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import public_shell, tr
from rxapp.pages.registry import page
from rxapp.states.interactions.take import TakeState


def _scale_button(i: int) -> rx.Component:
    value = i + 1
    return rx.button(
        TakeState.scale[i],
        on_click=TakeState.answer(value),
        variant=rx.cond(TakeState.current_value == value, "solid", "outline"),
        size="3",
        width="100%",
        min_height="48px",
        white_space="normal",
        aria_pressed=rx.cond(TakeState.current_value == value, "true", "false"),
    )


def _progress() -> rx.Component:
    return rx.vstack(
        rx.progress(value=rx.cond(TakeState.total > 0,
                                  TakeState.answered * 100 / TakeState.total, 0), width="100%",
                    aria_labelledby="take-progress"),
        rx.text(tr("take.progress").to(str)
                .replace("{answered}", TakeState.answered.to_string())
                .replace("{total}", TakeState.total.to_string()),
                size="2", color_scheme="gray", id="take-progress"),
        width="100%", spacing="1",
    )


@page(route=routes.TAKE, on_load=TakeState.load)
def take_page() -> rx.Component:
    """Welcome, questions, review, thank-you; or a clear page for a dead link."""
    s = TakeState
    question = rx.vstack(
        _progress(),
        rx.text(tr("take.question_of").to(str).replace("{n}", s.current["number"])
                .replace("{total}", s.total.to_string()), size="2", weight="medium"),
        rx.heading(s.current["text"], as_="h2", size="5", id="question-text"),
        rx.vstack(*[_scale_button(i) for i in range(5)], spacing="2", width="100%"),
        rx.button(rx.icon("arrow-left", size=16), tr("take.back"), on_click=s.back,
                  variant="ghost", disabled=s.index == 0, min_height="44px"),
        spacing="4", width="100%",
    )
    return public_shell(
        rx.match(
            s.status,
            ("loading", rx.center(rx.spinner(size="3"), padding="32px")),
            ("invalid", rx.vstack(
                rx.heading(tr("take.invalid_title"), as_="h1", size="6"),
                rx.text(tr("take.invalid_body")),
                id="take-invalid",
            )),
            ("welcome", rx.vstack(
                rx.text(s.org, size="2", color_scheme="gray"),
                rx.heading(s.title, as_="h1", size="6"),
                rx.text(tr("take.welcome").to(str).replace("{name}", s.first_name)),
                rx.text(tr("take.how"), size="2", color_scheme="gray"),
                rx.button(tr("take.start"), on_click=s.start, size="3", width="100%",
                          min_height="48px", id="take-start"),
                spacing="4", width="100%",
            )),
            ("question", question),
            ("review", rx.vstack(
                _progress(),
                rx.heading(tr("take.review_title"), as_="h2", size="5"),
                rx.text(tr("take.review_body")),
                rx.button(tr("take.finish"), on_click=s.finish, size="3", width="100%",
                          min_height="48px", id="take-finish"),
                rx.button(rx.icon("arrow-left", size=16), tr("take.back"), on_click=s.back,
                          variant="ghost", min_height="44px"),
                spacing="4", width="100%",
            )),
            ("done", rx.vstack(
                rx.icon("circle-check", size=40, color="var(--green-9)"),
                rx.heading(tr("take.done_title"), as_="h1", size="6", id="take-done"),
                rx.text(tr("take.done_body")),
                rx.cond(s.report_available, rx.vstack(
                    rx.button(rx.icon("download", size=16), tr("take.report_download"),
                              on_click=s.download_report, size="3", variant="soft",
                              min_height="48px", id="take-report"),
                    rx.text(rx.cond(s.report_emailed, tr("take.report_emailed"),
                                    tr("take.report_not_emailed")),
                            size="2", color_scheme="gray", id="take-report-mail"),
                    align="center",
                )),
                spacing="3", width="100%", align="center", text_align="center",
            )),
            rx.fragment(),
        ),
    )
