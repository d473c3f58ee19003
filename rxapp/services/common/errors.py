"""Domain errors: a catalogue key the UI translates, and the form field it concerns."""


class DomainError(Exception):
    """A rule of the domain refused an action.

    Args:
        code: Catalogue key of the message shown to the user, e.g. ``"participant.email_taken"``.
        field: The form field the error belongs to, if any.
    """

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code if field is None else f"{code} ({field})")
        self.code = code
        self.field = field


class NotFound(DomainError):
    """The row does not exist (or is not visible to the caller)."""


class NotAllowed(DomainError):
    """The caller may not do this (wrong role, another organization's id)."""

    def __init__(self, code: str = "error.not_allowed", field: str | None = None) -> None:
        super().__init__(code, field)
