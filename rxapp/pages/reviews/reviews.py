"""Staff's reviews list: filters, average, distribution and export (R-REV-7)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.reviews.common import labelled, pager, section_tabs, select_field
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.reviews import ReviewsState as S


def _summary() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(tr("reviews.list.average"), size="2", color_scheme="gray"),
                rx.text(S.average, size="8", weight="bold", id="average"),
                rx.text(S.count.to_string(), " ", tr("reviews.list.count"), size="2"),
                spacing="1",
                min_width="140px",
            ),
            rx.vstack(
                rx.foreach(
                    S.distribution,
                    lambda d: rx.hstack(
                        rx.text(d["stars"], "★", size="2", width="28px"),
                        rx.box(
                            rx.box(
                                height="10px",
                                width=d["width"],
                                background="var(--amber-9)",
                                border_radius="4px",
                            ),
                            flex="1",
                            background="var(--gray-a3)",
                            border_radius="4px",
                        ),
                        rx.text(d["n"], size="2", width="48px", text_align="right"),
                        width="100%",
                        align="center",
                    ),
                ),
                flex="1",
                width="100%",
                min_width="200px",
                spacing="1",
                id="distribution",
            ),
            gap="24px",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
    )


def _day_filter(name: str, value: rx.Var) -> rx.Component:
    field_id = f"filter-{name}"
    return labelled(
        tr(f"reviews.list.{name}"),
        field_id,
        rx.input(
            type="date",
            id=field_id,
            value=value,
            size="3",
            on_change=lambda v: S.set_filter(name, v),
        ),
    )


def _filters() -> rx.Component:
    return rx.grid(
        select_field(
            label=tr("reviews.list.stars"),
            value=S.stars,
            options=[
                ("all", tr("reviews.list.all")),
                *[(str(n), f"{n} ★") for n in range(5, 0, -1)],
            ],
            on_change=lambda v: S.set_filter("stars", v),
            field_id="filter-stars",
        ),
        labelled(
            tr("reviews.list.subject"),
            "filter-subject",
            rx.select.root(
                rx.select.trigger(id="filter-subject", width="100%"),
                rx.select.content(
                    rx.select.item(tr("reviews.list.all"), value="all"),
                    rx.foreach(
                        S.subjects,
                        lambda s: rx.select.item(
                            rx.cond(s[0] == "service", tr("reviews.subject_service"), s[1]),
                            value=s[0],
                        ),
                    ),
                ),
                value=S.subject,
                on_change=lambda v: S.set_filter("subject", v),
                size="3",
            ),
        ),
        select_field(
            label=tr("reviews.list.language"),
            value=S.filter_language,
            options=[("all", tr("reviews.list.all")), *[(c, tr(f"lang.{c}")) for c in LANGUAGES]],
            on_change=lambda v: S.set_filter("language", v),
            field_id="filter-language",
        ),
        _day_filter("since", S.since),
        _day_filter("until", S.until),
        columns=rx.breakpoints(initial="1", sm="3", lg="5"),
        spacing="3",
        width="100%",
    )


def _review(r: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(r["stars"], color="var(--amber-10)", aria_label=r["n"], size="4"),
            rx.text(r["subject"], weight="medium"),
            rx.spacer(),
            rx.text(
                r["customer"], " · ", r["when"], " · ", r["language"], size="2", color_scheme="gray"
            ),
            gap="8px",
            wrap="wrap",
            align="center",
        ),
        rx.cond(r["text"] != "", rx.text(r["text"], size="2", white_space="pre-wrap")),
        rx.cond(
            r["edited"] != "", rx.text(tr("reviews.list.edited"), size="1", color_scheme="gray")
        ),
        padding_y="10px",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
    )


@page(route=routes.REVIEWS, on_load=[AppState.enter_staff, S.load])
def reviews_page() -> rx.Component:
    """What customers said, with the average and the distribution."""
    return app_shell(
        section_tabs(),
        rx.flex(
            page_title(tr("reviews.list.title")),
            rx.spacer(),
            rx.link(
                rx.button(
                    rx.icon("download", size=16),
                    tr("reviews.list.export"),
                    variant="soft",
                    size="3",
                ),
                href=AppState.api_base + S.export_path + S.export_query,
                is_external=True,
                reload_document=True,
                id="export-reviews",
            ),
            wrap="wrap",
            align="center",
            width="100%",
            gap="8px",
        ),
        rx.vstack(
            _summary(),
            _filters(),
            rx.cond(
                S.rows.length() > 0,
                rx.card(
                    rx.vstack(rx.foreach(S.rows, _review), spacing="0", width="100%", id="reviews"),
                    width="100%",
                ),
                rx.callout(
                    tr("reviews.list.empty"),
                    icon="message-square",
                    width="100%",
                    id="reviews-empty",
                ),
            ),
            pager(S.go_page, first=S.page == 0, last=~S.has_more),
            spacing="4",
            width="100%",
        ),
    )
