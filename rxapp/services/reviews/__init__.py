"""Review invitations (§4): timing, purchases, reminders, reviews, API keys."""
