"""Pages that belong to no feature; importing this package registers their routes."""

import rxapp.pages.common.not_found  # noqa: F401
