"""The Mini App "My week": the page, its API and the init-data check (docs/miniapp.md)."""
