"""Business meetings at events (§3, R-BM-1..9): one module per concept, no Reflex."""
