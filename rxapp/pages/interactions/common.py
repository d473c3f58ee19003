"""Small pieces shared by the interactions pages."""

import reflex as rx

from rxapp.components.shell import tr


def state_badge(state: rx.Var) -> rx.Component:
    """The state of an interaction as a coloured badge."""
    colors = {"none": "gray", "invited": "blue", "in_progress": "amber", "completed": "green",
              "deleted": "gray"}
    return rx.badge(tr("istate." + state),
                    color_scheme=rx.Var.create(colors).to(dict)[state].to(str), variant="soft")


