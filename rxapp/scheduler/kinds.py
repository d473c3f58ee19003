"""Every feature that registers send checks or attachment hooks, imported in one place.

A worker must know each kind's send-time check and attachments whether it runs in
the app or as its own process; importing the feature modules registers them.
"""

import rxapp.services.interactions  # noqa: F401  (invitation/reminder send checks)
import rxapp.services.password_mail  # noqa: F401  (reset link rebuilt at send time)
import rxapp.services.reports  # noqa: F401  (report.pdf attachment hook)
import rxapp.services.team  # noqa: F401  (invitation and expiry send checks)
