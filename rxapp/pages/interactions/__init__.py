"""Pages of the interactions feature; importing this package registers their routes."""

import rxapp.pages.interactions.common  # noqa: F401
import rxapp.pages.interactions.invite  # noqa: F401
import rxapp.pages.interactions.overview  # noqa: F401
import rxapp.pages.interactions.participant  # noqa: F401
import rxapp.pages.interactions.take  # noqa: F401
