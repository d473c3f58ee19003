"""States of the operator's platform console (R-ACC-5, R-PLUS-10)."""

from rxapp.states.platform.console import PlatformState
from rxapp.states.platform.organization import PlatformOrgState

__all__ = ["PlatformOrgState", "PlatformState"]
