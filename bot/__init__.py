"""runcoach bot layer."""
