"""Dialogs: setup, settings and the pain check, asked one question at a time.

`question` says what a question is; `setup` orders setup's questions (held in `goal`, `week`,
`sessions`, `multiselect` and `zones`; `profile` turns their answers into a profile and a
week) and `pain_questions` holds the pain check's; `registry` puts them in one table; `state`
is a dialog as stored and the step it is on; `engine` asks, reads answers and finishes a
dialog.
"""
