"""Form pieces: a labelled field with its error right below it (R-UI-4)."""

import reflex as rx


def field_error(message: rx.Var, *, show: rx.Var, field_id: str) -> rx.Component:
    """An error line tied to a field, announced to screen readers."""
    return rx.cond(
        show,
        rx.text(message, id=f"{field_id}-error", color_scheme="red", size="2", role="alert"),
    )


def form_field(
    *,
    label: rx.Var,
    name: str,
    error: rx.Var,
    error_text: rx.Var,
    input_type: str = "text",
    autocomplete: str = "off",
    hint: rx.Var | None = None,
    **input_props,
) -> rx.Component:
    """A label, an input and the error that belongs to it."""
    field_id = f"field-{name}"
    input_props.setdefault("min_height", "44px")  # a thumb-sized target (R-UI-3)
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9rem"),
        rx.input(
            id=field_id,
            name=name,
            type=input_type,
            auto_complete=autocomplete,
            size="3",
            width="100%",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
            **input_props,
        ),
        hint if hint is not None else rx.fragment(),
        field_error(error_text, show=error != "", field_id=field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def notice(message: rx.Var, *, show: rx.Var, color: str = "blue") -> rx.Component:
    """A callout shown above a form."""
    return rx.cond(
        show,
        rx.callout(message, color_scheme=color, width="100%", role="status"),
    )
