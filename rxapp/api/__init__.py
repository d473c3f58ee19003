"""Every HTTP endpoint beside the event socket, and the middleware in front of them all."""
