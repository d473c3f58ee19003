"""Pages of the team feature; importing this package registers their routes."""

import rxapp.pages.team.attributes  # noqa: F401
import rxapp.pages.team.common  # noqa: F401
import rxapp.pages.team.csv_import  # noqa: F401
import rxapp.pages.team.dashboard  # noqa: F401
import rxapp.pages.team.invitations  # noqa: F401
import rxapp.pages.team.join  # noqa: F401
import rxapp.pages.team.members  # noqa: F401
