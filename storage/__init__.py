"""runcoach storage layer: tables (`tables`), the mapping between rows and `core`'s models
(`mapping`), engine and migrations (`db`), repositories by aggregate (`repo`), and the inbox
of updates and replies (`inbox`).

Handed a database URL, never reads settings. Alembic (`storage/migrations`) owns the schema.
"""
