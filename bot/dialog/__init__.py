"""Dialogs: setup, settings and the pain check, asked one question at a time.

`question` says what a question is; `setup` (with `week`, `multiselect`, `zones`) and
`pain_questions` hold the questions; `registry` puts them in one table; `state` is a dialog
as stored and the step it is on; `engine` asks, reads answers and finishes a dialog.
"""
