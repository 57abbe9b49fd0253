"""runcoach storage layer: tables (`tables`), engine and migrations (`db`), repositories (`repo`).

Handed a database URL, never reads settings. Alembic (`storage/migrations`) owns the schema.
"""
