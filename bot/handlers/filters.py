"""The filters every feature's handlers share."""

from __future__ import annotations

from telegram.ext import filters

# Private chats only, and only new messages: an edit of an earlier answer is not a new answer.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
