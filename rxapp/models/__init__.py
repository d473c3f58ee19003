"""Every table, imported here so that SQLModel.metadata knows them all."""

from rxapp.models.accounts import (
    AuthSession,
    Module,
    OneTimeToken,
    Organization,
    Role,
    TokenPurpose,
    User,
)
from rxapp.models.common import LANGUAGES, Language

__all__ = [
    "LANGUAGES",
    "AuthSession",
    "Language",
    "Module",
    "OneTimeToken",
    "Organization",
    "Role",
    "TokenPurpose",
    "User",
]
