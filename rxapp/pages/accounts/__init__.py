"""Pages of the accounts feature; importing this package registers their routes."""

import rxapp.pages.accounts.auth  # noqa: F401
import rxapp.pages.accounts.home  # noqa: F401
import rxapp.pages.accounts.mailbox  # noqa: F401
import rxapp.pages.accounts.profile  # noqa: F401
import rxapp.pages.accounts.settings  # noqa: F401
