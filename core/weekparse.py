"""Read a runner's usual week typed in one message, and print a week back the same way.

`parse_week("Mon rest, Tue intervals 18:00, Wed easy 7am, ...")` gives a `Week`. The parser is
forgiving about spelling (day abbreviations, run-type synonyms, 24h or am/pm times, lengths such
as "45min" or "1h30") but never guesses: anything it is not sure about raises `WeekParseError`,
whose message names the part it could not read and shows an example week.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.models import WEEKDAY_NAMES, Day, DayKind, Week, Weekday

__all__ = [
    "EXAMPLE_WEEK",
    "WeekParseError",
    "format_week",
    "parse_day",
    "parse_day_kind",
    "parse_minutes",
    "parse_time",
    "parse_week",
    "parse_weekday",
]

EXAMPLE_WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 7am, Thu tempo 18:00, Fri rest, "
    "Sat long run 08:00, Sun easy 9:00"
)

MIN_MINUTES = 5
MAX_MINUTES = 600


class WeekParseError(ValueError):
    """The text could not be read as a week (or a day, a time...).

    `part` is the fragment that was not understood ("" when the whole text was empty),
    `problem` says what was wrong with it, and `str()` is a friendly message for the runner
    that names the part and shows an example week.
    """

    def __init__(self, part: str, problem: str) -> None:
        self.part = part
        self.problem = problem
        if part:
            shown = part if len(part) <= 60 else part[:57] + "..."
            message = f'I couldn\'t read "{shown}": {problem} Try something like: {EXAMPLE_WEEK}'
        else:
            message = f"{problem} Try something like: {EXAMPLE_WEEK}"
        super().__init__(message)


# --------------------------------------------------------------------------------------------
# Vocabulary

_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _build_day_words() -> dict[str, Weekday]:
    words: dict[str, Weekday] = {}
    for weekday, name in zip(Weekday, WEEKDAY_NAMES, strict=True):
        full = name.lower()
        # Any prefix of two letters or more is unambiguous: mo, tu, we, th, fr, sa, su...
        for end in range(2, len(full) + 1):
            words[full[:end]] = weekday
        words[full + "s"] = weekday  # "Mondays rest"
    extras = {
        "tues": Weekday.TUE,
        "weds": Weekday.WED,
        "wensday": Weekday.WED,
        "wednsday": Weekday.WED,
        "thr": Weekday.THU,
        "thrs": Weekday.THU,
        "thurday": Weekday.THU,
    }
    words.update(extras)
    return words


_DAY_WORDS = _build_day_words()
_WEEKDAYS = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)
_WEEKEND = (Weekday.SAT, Weekday.SUN)
_DAY_GROUPS: dict[str, tuple[Weekday, ...]] = {
    "weekdays": _WEEKDAYS,
    "weekday": _WEEKDAYS,
    "weekend": _WEEKEND,
    "weekends": _WEEKEND,
    "daily": tuple(Weekday),
    "everyday": tuple(Weekday),
}

_KIND_WORDS: dict[DayKind, tuple[str, ...]] = {
    DayKind.REST: (
        "rest",
        "rest day",
        "full rest",
        "complete rest",
        "total rest",
        "nothing",
        "none",
        "no training",
        "day of rest",
    ),
    DayKind.OFF: (
        "off",
        "day off",
        "off day",
        "no run",
        "no running",
        "no run day",
        "non running",
        "not running",
        "no run not a full rest day",
    ),
    DayKind.EASY: (
        "easy",
        "easy run",
        "easy jog",
        "jog",
        "jogging",
        "run",
        "running",
        "ez",
        "z2",
        "zone 2",
        "easy pace",
    ),
    DayKind.RECOVERY: (
        "recovery",
        "recovery run",
        "recovery jog",
        "recov",
        "shakeout",
        "shake out",
    ),
    DayKind.LONG: (
        "long",
        "long run",
        "lsr",
        "lr",
        "lsd",
        "long slow run",
        "long slow distance",
        "long easy",
    ),
    DayKind.INTERVALS: (
        "intervals",
        "interval",
        "speed",
        "speedwork",
        "speed work",
        "track",
        "track workout",
        "reps",
        "repeats",
        "fartlek",
        "vo2max",
        "vo2 max",
    ),
    DayKind.TEMPO: (
        "tempo",
        "threshold",
        "lt",
        "lactate threshold",
    ),
    DayKind.HILLS: (
        "hills",
        "hill",
        "hill repeats",
        "hill reps",
        "hill sprints",
        "hill intervals",
        "hillwork",
        "hill work",
    ),
    DayKind.RACE: (
        "race",
        "racing",
        "race day",
        "parkrun race",
    ),
    DayKind.CROSS: (
        "cross",
        "cross training",
        "crosstraining",
        "x training",
        "xt",
        "swim",
        "swimming",
        "bike",
        "biking",
        "cycle",
        "cycling",
        "ride",
        "spin",
        "spinning",
        "elliptical",
        "cross trainer",
        "row",
        "rowing",
        "yoga",
        "pilates",
        "hike",
        "hiking",
        "pool running",
        "aqua jogging",
    ),
}

_KINDS: dict[str, DayKind] = {}
for _kind, _words in _KIND_WORDS.items():
    for _word in (*_words, _kind.value, _kind.label):
        _KINDS.setdefault(re.sub(r"[^a-z0-9]+", " ", _word.lower()).strip(), _kind)

# Words that are not a run type on their own, with a hint for each.
_AMBIGUOUS_KINDS = {
    "parkrun": 'is it a race ("parkrun race"), a tempo or an easy run?',
    "workout": "which kind: intervals, tempo or hills?",
    "session": "which kind: intervals, tempo or hills?",
    "quality": "which kind: intervals, tempo or hills?",
    "hard": "which kind: intervals, tempo or hills?",
    "strength": "I plan the strength sessions for you; tell me the running (or rest / off).",
    "gym": "I plan the strength sessions for you; tell me the running (or rest / off).",
    "walk": 'is it a day off running ("off") or cross-training ("cross")?',
    "walking": 'is it a day off running ("off") or cross-training ("cross")?',
    "active rest": 'is it a day off running ("off") or cross-training ("cross")?',
}

_FILLERS = frozenset(
    {"at", "for", "around", "about", "approx", "~", "-", "a", "an", "the", "my", "usual"}
    | {"usually", "ish", "and", "then", "&", "+", "/", "from", "starting", "start", "starts"}
)
_DAY_CONNECTORS = frozenset({"and", "&", "+", "/"})
_RANGE_CONNECTORS = frozenset({"-", "to", "through", "thru", "till", "until"})
_VAGUE_TIMES = frozenset(
    {"morning", "evening", "afternoon", "night", "lunch", "lunchtime", "tonight", "am", "pm"}
    | {"early", "late", "mornings", "evenings", "noonish", "dawn"}
)
_VOCABULARY = (
    frozenset(word for phrase in (*_KINDS, *_AMBIGUOUS_KINDS) for word in phrase.split())
    | _FILLERS
    | {"session", "workout", "training", "day", "jog"}
)

_KIND_LIST = "rest, off, easy, recovery, long, intervals, tempo, hills, race, cross"

# --------------------------------------------------------------------------------------------
# Times and lengths

_B = r"(?<![\w.:'])"  # no word, digit, dot, colon or apostrophe just before
_E = r"(?![\w.:'])"  # ... nor just after
_TIME_ATOM = (
    r"(?:noon|midday|midnight|[0-9]{1,2}(?:[:.][0-9]{2})?\s?(?:am|pm)|[0-9]{1,2}[:.][0-9]{2})"
)
_RE_TIME_RANGE = re.compile(
    rf"{_B}({_TIME_ATOM})\s?(?:-|to|till|until)\s?({_TIME_ATOM}){_E}", re.ASCII
)
_RE_COLON_HOURS = re.compile(
    rf"{_B}([0-9]{{1,2}}):([0-9]{{2}})\s?(?:h|hr|hrs|hours){_E}", re.ASCII
)
_RE_HOURS = re.compile(
    rf"{_B}([0-9]{{1,2}}(?:\.[0-9]{{1,2}})?)\s?(?:h|hr|hrs|hour|hours)"
    rf"(?:\s?([0-9]{{1,2}})\s?(?:m|min|mins|minute|minutes|')?)?{_E}",
    re.ASCII,
)
_RE_MINUTES = re.compile(rf"{_B}([0-9]{{1,4}})\s?(min|mins|minute|minutes|mn|m|'){_E}", re.ASCII)
_RE_DISTANCE = re.compile(
    rf"{_B}[0-9]{{1,4}}(?:\.[0-9]{{1,2}})?\s?(?:k|km|kms|kilometers|kilometres|mi|mile|miles"
    rf"|meters|metres){_E}",
    re.ASCII,
)
_RE_TIME_12 = re.compile(rf"{_B}([0-9]{{1,2}})(?:[:.]([0-9]{{2}}))?\s?(am|pm){_E}", re.ASCII)
_RE_TIME_24 = re.compile(rf"{_B}([0-9]{{1,2}})[:.]([0-9]{{2}}){_E}", re.ASCII)
_RE_TIME_WORD = re.compile(rf"{_B}(noon|midday|midnight){_E}", re.ASCII)
_RE_HHMM = re.compile(r"([0-9]{2})([0-9]{2})(?:h|hrs)?", re.ASCII)
_RE_ANY_TIME = re.compile(
    rf"{_B}(?:[0-9]{{1,2}}(?:[:.][0-9]{{2}})?\s?(?:am|pm)|[0-9]{{1,2}}[:.][0-9]{{2}}"
    rf"|noon|midday|midnight){_E}",
    re.ASCII,
)


def _time_from_parts(hour: int, minute: int, ampm: str | None, shown: str) -> dt.time:
    if minute > 59:
        raise WeekParseError(shown, f'"{shown}" isn\'t a time of day: minutes go up to 59.')
    if ampm is not None:
        if not 1 <= hour <= 12:
            raise WeekParseError(
                shown, f'"{shown}" isn\'t a time of day: with am or pm the hour goes from 1 to 12.'
            )
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif hour > 23:
        raise WeekParseError(
            shown, f'"{shown}" isn\'t a time of day: in 24-hour time the hour goes up to 23.'
        )
    return dt.time(hour, minute)


def _time_atom(text: str) -> dt.time:
    """A string matched by `_TIME_ATOM` as a time (raises for an impossible one)."""
    text = text.strip()
    if text in ("noon", "midday"):
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    match = _RE_TIME_12.fullmatch(text)
    if match:
        return _time_from_parts(int(match[1]), int(match[2] or 0), match[3], text)
    match = _RE_TIME_24.fullmatch(text)
    if match:
        return _time_from_parts(int(match[1]), int(match[2]), None, text)
    raise AssertionError(text)  # pragma: no cover - only called on _TIME_ATOM matches


def _check_minutes(minutes: int, shown: str) -> int:
    if minutes < MIN_MINUTES:
        raise WeekParseError(
            shown, f'"{shown}" is too short to plan around; give at least {MIN_MINUTES} minutes.'
        )
    if minutes > MAX_MINUTES:
        raise WeekParseError(
            shown,
            f'"{shown}" is more than 10 hours; give the usual length (and a start time '
            "like 18:00 or 6pm).",
        )
    return minutes


def _token_norm(raw: str) -> str:
    token = raw.lower()
    token = re.sub(r"([ap])\.m\.?$", r"\1m", token)
    return token.strip(".")


_PUNCT_TO_SPACE = str.maketrans({c: " " for c in '@()[]{}!?*•·="<>→\t'})
_DASHES = str.maketrans({c: "-" for c in "–—‒−"})
_QUOTES = str.maketrans({c: "'" for c in "’‘′"})


def _clean(text: str) -> str:
    """Same length as `text`, so that spans found in it can be cut from the original."""
    text = text.translate(_PUNCT_TO_SPACE).translate(_DASHES).translate(_QUOTES)
    # A colon between digits is part of a time; anywhere else it only separates words.
    return re.sub(r"(?<![0-9]):|:(?![0-9])", " ", text)


def _normalise_phrase(text: str) -> str:
    return " ".join(_token_norm(t) for t in re.findall(r"[^\s\-/_]+", _clean(text)))


# --------------------------------------------------------------------------------------------
# Public helpers


def parse_weekday(text: str) -> Weekday | None:
    """One day name or abbreviation ("Mon", "tues.", "Thursday:") as a Weekday, else None."""
    phrase = _normalise_phrase(text)
    return _DAY_WORDS.get(phrase)


def _lookup_kind(phrase: str) -> DayKind | None:
    phrase = " ".join(phrase.replace("-", " ").replace("/", " ").split())
    if phrase in _KINDS:
        return _KINDS[phrase]
    for suffix in (" run", " jog", " running"):
        if phrase.endswith(suffix):
            kind = _lookup_kind(phrase.removesuffix(suffix))
            if kind is not None and kind.is_run:
                return kind
    for suffix in (" session", " workout", " training", " sesh"):
        if phrase.endswith(suffix):
            kind = _lookup_kind(phrase.removesuffix(suffix))
            if kind is not None and kind not in (DayKind.REST, DayKind.OFF):
                return kind
    if phrase.endswith(" day"):
        return _lookup_kind(phrase.removesuffix(" day"))
    return None


def parse_day_kind(text: str) -> DayKind | None:
    """A run type or one of its synonyms ("long run", "track", "swim", "day off") or None."""
    if text.strip() and set(_clean(text).split()) <= {"-"}:
        return DayKind.REST
    return _lookup_kind(_normalise_phrase(text))


def parse_time(text: str) -> dt.time | None:
    """A clock time: "18:00", "18.00", "1800", "7:30", "7am", "6 pm", "7:30am", "noon".

    Returns None for text that is not a time at all (including "7", which could be am or pm)
    and raises WeekParseError for a time that cannot exist ("25:00", "7:75", "13pm").
    """
    phrase = _normalise_phrase(text)
    phrase = re.sub(r"^(?:at|@)\s+", "", phrase)
    if re.fullmatch(_TIME_ATOM, phrase, re.ASCII):
        return _time_atom(phrase)
    match = _RE_HHMM.fullmatch(phrase)
    if match:  # asked for a time, "1800" can only mean 18:00
        return _time_from_parts(int(match[1]), int(match[2]), None, phrase)
    return None


def parse_minutes(text: str) -> int | None:
    """A usual length: "45min", "45 min", "45'", "1h", "1h30", "1.5h", "90 minutes", or None.

    Raises WeekParseError for a length outside 5 minutes to 10 hours.
    """
    phrase = _normalise_phrase(text)
    minutes, rest = _extract_minutes(phrase)
    if minutes is None or rest.strip():
        return None
    return minutes


def _extract_minutes(body: str) -> tuple[int | None, str]:
    """The length found in `body` (one at most) and the body without it."""
    found: list[tuple[int, str]] = []

    def colon_hours(m: re.Match[str]) -> str:
        found.append((int(m[1]) * 60 + int(m[2]), m[0].strip()))
        return " "

    def hours(m: re.Match[str]) -> str:
        found.append((round(float(m[1]) * 60) + int(m[2] or 0), m[0].strip()))
        return " "

    def minutes(m: re.Match[str]) -> str:
        value = int(m[1])
        if m[2] == "m" and value >= 100:
            raise WeekParseError(m[0].strip(), _distance_problem(m[0].strip()))
        found.append((value, m[0].strip()))
        return " "

    body = _RE_COLON_HOURS.sub(colon_hours, body)
    body = _RE_HOURS.sub(hours, body)
    body = _RE_MINUTES.sub(minutes, body)
    if len(found) > 1:
        shown = " and ".join(f'"{s}"' for _, s in found)
        raise WeekParseError(found[1][1], f"I found two lengths ({shown}); give one per day.")
    if not found:
        return None, body
    value, shown = found[0]
    return _check_minutes(value, shown), body


def _distance_problem(shown: str) -> str:
    return (
        f'I can\'t use a distance ("{shown}") yet; give the usual length in time instead, '
        "like 45min or 1h30."
    )


# --------------------------------------------------------------------------------------------
# One day


def _describe(day_name: str | None) -> str:
    return day_name if day_name else "that day"


def _parse_body(tokens: list[str], part: str, day_name: str | None) -> Day:
    """What is done on one day, from the words after the day name."""
    tokens = [t for t in tokens if t]
    if tokens and all(t == "-" for t in tokens):
        return Day(kind=DayKind.REST)
    body = " " + " ".join(tokens) + " "
    start: dt.time | None = None
    minutes: int | None = None

    def fail(problem: str) -> WeekParseError:
        return WeekParseError(part, problem)

    # A time range gives the start and the length.
    ranges = list(_RE_TIME_RANGE.finditer(body))
    if len(ranges) > 1:
        raise fail("I found two time ranges; I can only keep one run a day.")
    if ranges:
        first, last = _time_atom(ranges[0][1]), _time_atom(ranges[0][2])
        span = (last.hour * 60 + last.minute) - (first.hour * 60 + first.minute)
        if span <= 0:
            raise fail(f'"{ranges[0][0]}" ends before it starts.')
        start = first
        minutes = _check_minutes(span, ranges[0][0])
        body = body.replace(ranges[0][0], " ", 1)

    try:
        length, body = _extract_minutes(body)
    except WeekParseError as error:
        raise fail(error.problem) from None
    if length is not None:
        if minutes is not None:
            raise fail("I found both a time range and a length; give one of them.")
        minutes = length

    distance = _RE_DISTANCE.search(body)
    if distance:
        raise fail(_distance_problem(distance[0]))

    times: list[tuple[dt.time, str]] = []

    def take_time(m: re.Match[str]) -> str:
        try:
            times.append((_time_atom(m[0]), m[0].strip()))
        except WeekParseError as error:
            raise fail(error.problem) from None
        return " "

    body = _RE_TIME_12.sub(take_time, body)
    body = _RE_TIME_24.sub(take_time, body)
    body = _RE_TIME_WORD.sub(take_time, body)
    if len(times) + (start is not None) > 1:
        raise fail(
            f"I found more than one start time for {_describe(day_name)}; "
            "I can only keep one run a day."
        )
    if times:
        start = times[0][0]

    words = [w for w in body.split() if w not in _FILLERS]
    for word in words:
        if any(c.isdigit() for c in word) and word not in _VOCABULARY:
            raise fail(
                f'I\'m not sure what "{word}" means. Write a start time like 18:00 or 6pm, '
                "and a length like 45min."
            )
        if word in _VAGUE_TIMES:
            raise fail(
                f'"{word}" isn\'t a clock time; give the start time like 7am or 18:00 '
                "(or leave it out)."
            )
        if word not in _VOCABULARY and _looks_like_day(word):
            raise fail(_unknown_day_problem(word))

    phrase = " ".join(words)
    if not phrase:
        if start is not None or minutes is not None:
            what = f"a time ({start:%H:%M})" if start is not None else f"a length ({minutes} min)"
            raise fail(
                f"I see {what} for {_describe(day_name)} but not what you do then. "
                f"Add the run type ({_KIND_LIST})."
            )
        raise fail(
            f"What do you do on {_describe(day_name)}? Add the run type after the day "
            f'({_KIND_LIST}), like "Tue intervals 18:00" or "Fri rest".'
        )
    kind = _lookup_kind(phrase)
    if kind is None:
        raise fail(_unknown_kind_problem(phrase))
    if kind in (DayKind.REST, DayKind.OFF) and (start is not None or minutes is not None):
        what = "A rest day" if kind is DayKind.REST else "A day off running"
        raise fail(
            f"{what} has no start time or length. If you run or train that day, say what, "
            'like "easy 18:00" or "swim 7am".'
        )
    return Day(kind=kind, start=start, minutes=minutes)


def _unknown_kind_problem(phrase: str) -> str:
    if phrase in _AMBIGUOUS_KINDS:
        return f'"{phrase}" alone doesn\'t tell me enough: {_AMBIGUOUS_KINDS[phrase]}'
    guess = difflib.get_close_matches(phrase, [k.value for k in DayKind], n=1, cutoff=0.75)
    guess = guess or difflib.get_close_matches(phrase, list(_KINDS), n=1, cutoff=0.75)
    hint = f' (did you mean "{guess[0]}"?)' if guess else ""
    return f'I don\'t know the run type "{phrase}"{hint}. Use one of: {_KIND_LIST}.'


def _looks_like_day(word: str) -> bool:
    if len(word) >= 5 and word.endswith("day"):
        return True
    names = [n.lower() for n in WEEKDAY_NAMES]
    if len(word) >= 5 and difflib.get_close_matches(word, names, n=1, cutoff=0.75):
        return True
    abbreviations = ["tues", "weds", "thur", "thurs"]
    return len(word) == 4 and bool(difflib.get_close_matches(word, abbreviations, cutoff=0.75))


def _unknown_day_problem(word: str) -> str:
    names = [n.lower() for n in WEEKDAY_NAMES]
    guess = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    hint = f" (did you mean {guess[0].title()}?)" if guess else ""
    return (
        f'I don\'t know the day "{word}"{hint}. Write days as Mon, Tue, Wed, Thu, Fri, Sat, Sun '
        "or in full."
    )


def parse_day(text: str) -> Day:
    """One day's answer without the day name: "easy 7am", "long run 08:00 1h30", "rest"."""
    tokens = [_token_norm(m[0]) for m in re.finditer(r"[^\s\-]+|-", _clean(text))]
    if not any(tokens):
        raise WeekParseError("", "I didn't get an answer.")
    return _parse_body(tokens, text.strip(), None)


# --------------------------------------------------------------------------------------------
# The whole week


@dataclass
class _Token:
    text: str  # normalised
    start: int
    end: int


@dataclass
class _Entry:
    days: list[Weekday] = field(default_factory=list)
    body: list[_Token] = field(default_factory=list)
    start: int = 0
    end: int = 0
    pending: str | None = None  # a connector between two days, waiting for the second


def _token_days(token: str) -> tuple[Weekday, ...] | None:
    if token in _DAY_WORDS:
        return (_DAY_WORDS[token],)
    return _DAY_GROUPS.get(token)


def _day_range(first: Weekday, last: Weekday) -> list[Weekday]:
    count = (last - first) % 7 + 1
    return [Weekday((first + i) % 7) for i in range(count)]


_SPLIT = re.compile(r"[,;\n\r|]|\s/\s")
_BULLET = re.compile(r"^\s*(?:[-*•·]+|[0-9]{1,2}[.)])(?=\s)")


def _fragments(text: str) -> list[tuple[str, str]]:
    """(original, cleaned) pieces between separators, bullets removed, empty ones dropped."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in [*_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        original = text[position:end]
        bullet = _BULLET.match(original)
        if bullet:
            original = " " * bullet.end() + original[bullet.end() :]
        if original.strip():
            pieces.append((original, _clean(original)))
        if match:
            position = match.end()
    return pieces


def _entries(
    original: str,
    cleaned: str,
    days_of: Callable[[str], tuple[Weekday, ...] | None] = _token_days,
) -> list[_Entry]:
    """The day entries of one fragment; `days_of` tells which tokens name days."""
    tokens = [
        _Token(_token_norm(m[0]), m.start(), m.end())
        for m in re.finditer(r"[^\s\-/]+|[-/]", cleaned)
    ]
    tokens = [t for t in tokens if t.text]
    entries: list[_Entry] = []
    current: _Entry | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        days = days_of(token.text)
        if days is not None:
            joining = current is not None and not current.body and current.pending is not None
            if current is not None and joining:
                if current.pending in _RANGE_CONNECTORS and len(days) == 1 and current.days:
                    current.days[-1:] = _day_range(current.days[-1], days[0])
                else:
                    current.days.extend(days)
                current.pending = None
            else:
                current = _Entry(days=list(days), start=token.start)
                entries.append(current)
            current.end = token.end
            i += 1
            continue
        if current is None:
            current = _Entry(start=token.start)
            entries.append(current)
        elif (
            not current.body
            and current.days
            and current.pending is None
            and token.text in _DAY_CONNECTORS | _RANGE_CONNECTORS
            and i + 1 < len(tokens)
            and days_of(tokens[i + 1].text) is not None
        ):
            current.pending = token.text  # "Mon and Wed", "Mon - Fri"
            current.end = token.end
            i += 1
            continue
        current.body.append(token)
        current.end = token.end
        i += 1
    return entries


def _no_day_problem(entry: _Entry, part: str) -> WeekParseError:
    first = entry.body[0].text if entry.body else ""
    if first not in _VOCABULARY and _looks_like_day(first):
        return WeekParseError(part, _unknown_day_problem(first))
    body = " " + " ".join(t.text for t in entry.body) + " "
    time = _RE_ANY_TIME.search(body)
    if time:
        return WeekParseError(
            part,
            f"I found a time ({time[0].strip()}) but no day. Put the time after the day and its "
            'run, like "Tue intervals 18:00".',
        )
    return WeekParseError(
        part,
        "I couldn't find a day in it. Start each part with a day and what you do, "
        'like "Tue intervals 18:00" or "Fri rest".',
    )


def _day_names(days: list[Weekday]) -> str:
    names = [d.title for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def parse_week(text: str) -> Week:
    """Read a whole week typed in one message; days left out are rest days.

    Raises WeekParseError (naming the part it could not read) rather than guess.
    """
    fragments = _fragments(text)
    if not fragments:
        raise WeekParseError("", "I didn't get any days. Type your usual week in one message.")
    seen: dict[Weekday, str] = {}
    days: dict[Weekday, Day] = {}
    for original, cleaned in fragments:
        for entry in _entries(original, cleaned):
            part = original[entry.start : entry.end].strip()
            if not entry.days:
                raise _no_day_problem(entry, part)
            day = _parse_body([t.text for t in entry.body], part, _day_names(entry.days))
            for weekday in entry.days:
                if weekday in seen:
                    earlier = seen[weekday]
                    both = f'"{earlier}" and "{part}"' if earlier != part else f'"{part}"'
                    raise WeekParseError(
                        part, f"{weekday.title} is there twice ({both}). Give each day once."
                    )
                seen[weekday] = part
                days[weekday] = day
    return Week(days=tuple(days.get(w, Day()) for w in Weekday))


def _format_day(weekday: Weekday, day: Day) -> str:
    words = [_SHORT[weekday], day.kind.value]
    if day.start is not None:
        words.append(f"{day.start:%H:%M}")
    if day.minutes is not None:
        words.append(f"{day.minutes}min")
    return " ".join(words)


def format_week(week: Week) -> str:
    """The week on one line, in the format `parse_week` reads back.

    E.g. "Mon rest, Tue intervals 18:00, Wed easy 07:00 45min, ...". Start times are shown to
    the minute.
    """
    return ", ".join(_format_day(w, week[w]) for w in Weekday)
