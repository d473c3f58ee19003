"""Services every feature shares (outbox, status log, tenancy, tokens, ...)."""
