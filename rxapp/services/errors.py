"""Domain errors: each carries a catalogue key so the UI can show it in any language."""


class DomainError(Exception):
    """A rule of the domain refused an action.

    Args:
        code: Catalogue key of the message shown to the user.
        field: The form field the error belongs to, if any.

    """

    def __init__(self, code: str, *, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


class NotAllowed(DomainError):
    """The caller may not do this (wrong role, wrong organization, unknown id)."""

    def __init__(self, code: str = "error.not_allowed") -> None:
        super().__init__(code)
