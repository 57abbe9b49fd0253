"""The Bot API's own vocabulary: its error answers, uploaded files, sizes, and Telegram-HTML.

`parse_html` turns a message sent with `parse_mode=HTML` into the plain text and entities the
runner would see, and refuses markup Telegram refuses, so a bad tag fails a test here first.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)>")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file the bot uploaded (multipart part), as Telegram would have received it."""

    filename: str
    data: bytes
    mime_type: str


class ApiError(Exception):
    """A Bot API error answer; turned into the JSON body PTB expects."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> bytes:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return json.dumps(body).encode()


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Strip Telegram-HTML to the plain text the runner sees, plus its entities.

    Raises ApiError like Telegram does for markup it cannot parse, e.g. an unescaped "<".
    """
    out: list[str] = []
    entities: list[JSON] = []
    open_tags: list[tuple[str, int, JSON]] = []
    offset = 0  # in UTF-16 code units, as Telegram counts entity offsets
    pos = 0
    while pos < len(source):
        lt = source.find("<", pos)
        chunk = source[pos : len(source) if lt < 0 else lt]
        text = html.unescape(chunk)
        out.append(text)
        offset += utf16_len(text)
        if lt < 0:
            break
        match = _TAG.match(source, lt)
        if match is None:
            raise ApiError(
                400,
                "Bad Request: can't parse entities: Unexpected character after '<' "
                f"at byte offset {len(source[:lt].encode())}",
            )
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name not in _HTML_TAGS or (
            name == "span" and not closing and "tg-spoiler" not in attrs
        ):
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                f"at byte offset {len(source[:lt].encode())}",
            )
        if closing:
            if not open_tags or open_tags[-1][0] != name:
                raise ApiError(
                    400,
                    "Bad Request: can't parse entities: Unmatched end tag "
                    f'"</{name}>" at byte offset {len(source[:lt].encode())}',
                )
            _, start, entity = open_tags.pop()
            if offset > start:
                entity["offset"] = start
                entity["length"] = offset - start
                entities.append(entity)
        else:
            entity = {"type": _HTML_TAGS[name]}
            if name == "a":
                href = _HREF.search(attrs)
                url = next((g for g in href.groups() if g is not None), "") if href else ""
                entity["url"] = html.unescape(url)
            open_tags.append((name, offset, entity))
        pos = match.end()
    if open_tags:
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \""
            f'{open_tags[-1][0]}"',
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities
