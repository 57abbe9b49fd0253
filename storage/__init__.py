"""runcoach storage layer."""
