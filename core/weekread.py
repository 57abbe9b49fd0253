"""Read a typed week the forgiving way: keep every day understood, ask only about the rest.

`read_week("Mon rest, Tue 8x400 at 6pm, Thrusday tempo at 3, Sat 10 mile long run")` gives a
`WeekReading` with the days it understood (Mon, Tue and Sat here), one `Problem` per part it
could not use, each with the runner's own words and one question about that part only ("Is
"at 3" 15:00 (3pm)?"), and the days not mentioned at all, so a caller can change only the days
named (a partial week). `answer_problem(reading, "yes")` feeds the runner's reply to the first
problem and reads that part again; a suggestion the reader made ("did you mean Thursday?") is
accepted with "yes" or by typing it.

Beyond `core.weekparse.parse_week` (which stays as it is, strict, for its callers), this reads:

- workout notation: "8x400", "6 x 800m", "5x1k", "6x3min" (intervals, or hills/tempo when
  named), "5k easy", "easy 5k", "10 mile long run", with a length estimate (`PACE_MIN_PER_KM`);
- loose times: "at 7" (morning unless the part says evening or pm; "at 1" to "at 4" are asked),
  "0730", "18h", "18h00", "6.30pm", "noon", and the time-of-day words in `TIME_OF_DAY`
  ("morning", "lunchtime", "before work", "after work"...), which are defaults a caller may
  replace;
- common activities: "gym" (the runner's own session, read as cross-training), "run commute"
  (an easy run), "double run 6am and 6pm" (the harder run decides the day's kind), "parkrun
  tempo" / "parkrun race" / "parkrun easy";
- typos of day names, run types and time words through `core.fuzzy`.

Pure functions: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core import weekparse as wp
from core.answers import CLOCK_HOURS, yes_no
from core.fuzzy import guess
from core.models import WEEKDAY_NAMES, Day, DayKind, Frozen, Week, Weekday

__all__ = [
    "PACE_MIN_PER_KM",
    "TIME_OF_DAY",
    "DayReading",
    "Move",
    "MoveRefused",
    "Moved",
    "Problem",
    "WeekReading",
    "answer_problem",
    "apply_move",
    "read_move",
    "read_week",
]

# The clock time each time-of-day word stands for when no time is given. Editable: pass your
# own mapping as `read_week(..., time_of_day=...)`; the runner sees the time chosen.
TIME_OF_DAY: Mapping[str, dt.time] = {
    "early morning": dt.time(6, 0),
    "before work": dt.time(6, 30),
    "morning": dt.time(7, 0),
    "lunchtime": dt.time(12, 30),
    "afternoon": dt.time(15, 0),
    "after work": dt.time(18, 0),
    "evening": dt.time(18, 30),
    "night": dt.time(20, 0),
}
# Other spellings of the same words.
_TIME_OF_DAY_ALIASES = {
    "mornings": "morning",
    "am": "morning",
    "first thing": "early morning",
    "lunch": "lunchtime",
    "lunch time": "lunchtime",
    "lunchbreak": "lunchtime",
    "lunch break": "lunchtime",
    "over lunch": "lunchtime",
    "midday": "lunchtime",
    "afternoons": "afternoon",
    "evenings": "evening",
    "tonight": "evening",
    "pm": "evening",
    "after school": "afternoon",
    "before school": "before work",
}
_EVENING_WORDS = frozenset({"afternoon", "after work", "evening", "night"})

# Usual pace by kind, in minutes per kilometre, for a length estimate from a distance: a
# steady recreational runner. The estimate is shown to the runner and only times reminders.
PACE_MIN_PER_KM: Mapping[DayKind, float] = {
    DayKind.EASY: 6.0,
    DayKind.RECOVERY: 6.5,
    DayKind.LONG: 6.0,
    DayKind.TEMPO: 5.0,
    DayKind.RACE: 5.0,
    DayKind.INTERVALS: 5.5,
    DayKind.HILLS: 6.0,
}
_REP_PACE = 4.5  # min/km for the fast part of reps
_WARM_UP_COOL_DOWN = 20  # minutes around a session of reps
KM_PER_MILE = 1.609344

# Which run decides a day with two: the harder one (race > intervals > hills > tempo > long).
_HARDNESS = {
    DayKind.RACE: 8,
    DayKind.INTERVALS: 7,
    DayKind.HILLS: 6,
    DayKind.TEMPO: 5,
    DayKind.LONG: 4,
    DayKind.EASY: 3,
    DayKind.RECOVERY: 2,
    DayKind.CROSS: 1,
    DayKind.OFF: 0,
    DayKind.REST: 0,
}

ANSWER = "{answer}"  # where a reply goes in a problem's template


class DayReading(Frozen):
    """One day understood: the day, the runner's words, and what was assumed to read them."""

    weekday: Weekday
    day: Day
    fragment: str
    notes: tuple[str, ...] = ()  # e.g. 'read "at 7" as 07:00', 'about 50 min for 8x400'
    distance_km: float | None = None
    minutes_estimated: bool = False


class Problem(Frozen):
    """One part of the message that could not be used, and the one question to ask about it.

    `template` is that part with `{answer}` where the runner's reply goes; `suggestion` is what
    "yes" stands for when the question is a "did you mean ...?".
    """

    fragment: str
    days: tuple[Weekday, ...] = ()
    question: str
    template: str
    suggestion: str | None = None


class WeekReading(Frozen):
    """What `read_week` understood, what it could not, and which days were not mentioned."""

    days: tuple[DayReading, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def understood(self) -> tuple[Weekday, ...]:
        return tuple(sorted(d.weekday for d in self.days))

    @property
    def unmentioned(self) -> tuple[Weekday, ...]:
        """Days named neither in a day understood nor in a problem."""
        named = set(self.understood) | {w for p in self.problems for w in p.days}
        return tuple(w for w in Weekday if w not in named)

    @property
    def complete(self) -> bool:
        return not self.problems and bool(self.days)

    def day(self, weekday: Weekday) -> Day | None:
        for reading in self.days:
            if reading.weekday == weekday:
                return reading.day
        return None

    def week(self, base: Week | None = None) -> Week:
        """The days understood over `base` (a partial week); without one, others are rest."""
        start = base or Week.all_rest()
        return Week(days=tuple(self.day(w) or start[w] for w in Weekday))

    def notes(self) -> tuple[str, ...]:
        return tuple(note for reading in self.days for note in reading.notes)

    def summary(self) -> str:
        """'I got Mon, Tue and Sat. I couldn't read Thu ("tempo at 3"): Is "at 3" 15:00?'"""
        lines: list[str] = []
        if self.days:
            lines.append(f"I got {_short_names(self.understood)}.")
        for problem in self.problems:
            where = _short_names(problem.days) if problem.days else "this part"
            lines.append(f'I couldn\'t read {where} ("{problem.fragment}"): {problem.question}')
        return "\n".join(lines)


def _short_names(days: tuple[Weekday, ...] | list[Weekday]) -> str:
    names = [WEEKDAY_NAMES[d][:3] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------------------------
# Words


def _kind_words() -> frozenset[str]:
    words = {w for phrase in wp._KINDS for w in phrase.split()}
    return frozenset(w for w in words if w.isalpha())


_KIND_WORDS = _kind_words()
_EXTRA_FILLERS = frozenset({"in", "on", "every", "each", "usually", "normally", "do", "go"})
_DOUBLE_WORDS = frozenset({"double", "doubles", "twice"})
_CONNECTORS = frozenset({"and", "&", "+", "then", "plus"})
_CONTEXT_WORDS = frozenset(
    w for phrase in (*TIME_OF_DAY, *_TIME_OF_DAY_ALIASES) for w in phrase.split()
)
_ACTIVITY_WORDS = frozenset(
    {"gym", "weights", "lifting", "crossfit", "circuits", "bootcamp", "strength", "commute"}
    | {"parkrun", "work", "home", "own", "class"}
)
_UNIT_WORDS = frozenset(
    {"k", "km", "kms", "mi", "mile", "miles", "m", "meters", "metres", "kilometers"}
    | {"kilometres", "x", "min", "mins", "minutes", "hour", "hours", "h", "hr", "hrs"}
)


# Words typos are matched against (days are matched separately), each with its meaning: the
# run type it names, or itself.
def _fuzzy_pool() -> dict[str, str]:
    kinds: dict[str, set[str]] = {}
    for phrase, kind in wp._KINDS.items():
        for word in phrase.split():
            kinds.setdefault(word, set()).add(kind.value)
    pool: dict[str, str] = {}
    for word in _KIND_WORDS | _CONTEXT_WORDS | _ACTIVITY_WORDS | _DOUBLE_WORDS:
        if len(word) >= 4:
            meanings = kinds.get(word, set())
            pool[word] = next(iter(meanings)) if len(meanings) == 1 else word
    return dict(sorted(pool.items()))


_FUZZY_POOL = _fuzzy_pool()
_KNOWN = (
    wp._VOCABULARY
    | _KIND_WORDS
    | _CONTEXT_WORDS
    | _ACTIVITY_WORDS
    | _DOUBLE_WORDS
    | _CONNECTORS
    | _EXTRA_FILLERS
    | _UNIT_WORDS
    | frozenset({"runs", "to", "with", "noon", "midnight", "pm", "am", "of"})
)
_DAY_NAMES = tuple(n.lower() for n in WEEKDAY_NAMES)

_ACTIVITIES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"\b(?:run(?:ning)?\s(?:commute|to\swork|home(?:\sfrom\swork)?)(?:\shome)?"
            r"|commute(?:\srun)?)\b"
        ),
        "easy",
        "a run commute counts as an easy run",
    ),
    (
        re.compile(
            r"\b(?:my\s)?(?:own\s)?(?:gym|weights|lifting|crossfit|circuits|bootcamp"
            r"|strength)(?:\s(?:session|training|class|workout))?\b"
        ),
        "cross",
        "your own gym session counts as cross-training, and the strength I plan fits around it",
    ),
)

# --------------------------------------------------------------------------------------------
# Times

_RE_FRENCH = re.compile(r"([0-9]{1,2})h([0-9]{2})?")
_RE_HHMM = re.compile(r"([0-9]{2})([0-9]{2})")
_RE_COLON = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_RE_BARE = re.compile(r"[0-9]{1,2}")
_RE_AMPM = re.compile(r"[0-9]{1,2}(?:[:.][0-9]{2})?(?:am|pm)")


def _french_time(word: str) -> str | None:
    """ "18h", "18h00", "07h30" as "18:00"...; None for a length such as "2h" or "1h30"."""
    match = _RE_FRENCH.fullmatch(word)
    if not match:
        return None
    hour_text, minute_text = match[1], match[2]
    hour = int(hour_text)
    clock = hour >= 11 or (len(hour_text) == 2 and hour_text.startswith("0"))
    if not clock or hour > 23 or (minute_text is not None and int(minute_text) > 59):
        return None
    return f"{hour:02d}:{int(minute_text or 0):02d}"


def _timeish(word: str) -> bool:
    return bool(
        _RE_AMPM.fullmatch(word)
        or _RE_COLON.fullmatch(word)
        or _french_time(word)
        or (_RE_HHMM.fullmatch(word) and int(word[:2]) < 24 and int(word[2:]) < 60)
        or word in ("noon", "midnight")
    )


@dataclass
class _Part:
    """One run's words while they are being read (a day holds one, or two for a double)."""

    words: list[str]
    notes: list[str] = field(default_factory=list)
    distance_km: float | None = None
    rep_minutes: int | None = None  # estimate for a session of reps
    kind_hint: DayKind | None = None
    parkrun: bool = False
    distance_shown: str = ""
    estimated: bool = False


class _Ask(Exception):
    """A question about one part; `words` is the part with ANSWER where the reply goes."""

    def __init__(self, question: str, words: list[str], suggestion: str | None = None) -> None:
        super().__init__(question)
        self.question = question
        self.words = words
        self.suggestion = suggestion


def _take_time_of_day(part: _Part, table: Mapping[str, dt.time]) -> str | None:
    """Remove a time-of-day phrase ("after work", "in the evening"); return its table key."""
    phrases = sorted({*table, *_TIME_OF_DAY_ALIASES}, key=lambda p: -len(p))
    text = " " + " ".join(part.words) + " "
    for phrase in phrases:
        pattern = f" {phrase} "
        if pattern in text:
            key = _TIME_OF_DAY_ALIASES.get(phrase, phrase)
            if phrase in ("am", "pm") and re.search(r"[0-9] (?:am|pm) ", text):
                continue  # "7 pm" is a time, read below
            part.words = text.replace(pattern, " ", 1).split()
            return key
    return None


def _read_times(part: _Part, table: Mapping[str, dt.time], day_label: str) -> None:
    """Turn every loose time into "HH:MM" (or "7am"), the forms weekparse reads."""
    moment = _take_time_of_day(part, table)
    evening = moment in _EVENING_WORDS
    morning = moment in ("morning", "early morning", "before work")
    words = part.words
    out: list[str] = []
    found = False
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in ("am", "pm") and out and _RE_COLON.fullmatch(out[-1]):
            out[-1] += word  # "7:30 pm"
            i += 1
            continue
        french = _french_time(word)
        hhmm = _RE_HHMM.fullmatch(word)
        colon = _RE_COLON.fullmatch(word)
        if french:
            out.append(french)
            found = True
        elif hhmm and nxt not in _UNIT_WORDS and int(hhmm[1]) < 24 and int(hhmm[2]) < 60:
            out.append(f"{hhmm[1]}:{hhmm[2]}")
            found = True
        elif colon and nxt not in ("am", "pm") and evening and 1 <= int(colon[1]) <= 11:
            out.append(f"{int(colon[1]) + 12}:{colon[2]}")  # "6:30 in the evening"
            found = True
        elif word == "at" and (_RE_BARE.fullmatch(nxt) or nxt in CLOCK_HOURS):
            after = words[i + 2] if i + 2 < len(words) else ""
            if after in _UNIT_WORDS:
                out.append(word)
                i += 1
                continue
            hour = int(nxt) if nxt.isdigit() else CLOCK_HOURS[nxt]
            shown = f"at {nxt}"
            if after in ("am", "pm"):
                out.append(f"{hour}{after}")
                i += 3
                found = True
                continue
            if hour == 0 or 12 <= hour <= 23:
                out.append(f"{hour:02d}:00")
            elif evening:
                out.append(f"{hour + 12:02d}:00")
            elif morning or 5 <= hour <= 11:
                out.append(f"{hour:02d}:00")
                if not morning:
                    part.notes.append(
                        f'read "{shown}" as {hour:02d}:00 (morning); say {hour}pm if it is '
                        "in the evening"
                    )
            elif hour <= 4:
                rest = [*out, ANSWER, *words[i + 2 :]]
                raise _Ask(
                    f'is "{shown}" {hour + 12}:00 ({hour}pm)? Or type the time, like 3pm.',
                    rest,
                    f"{hour}pm",
                )
            else:
                out.append(word)
                i += 1
                continue
            found = True
            i += 2
            continue
        else:
            out.append(word)
            found = found or _timeish(word)
        i += 1
    if moment is not None and not found:
        clock = table[moment]
        out.append(f"{clock:%H:%M}")
        part.notes.append(f'read "{moment}" as {clock:%H:%M} on {day_label}')
    part.words = out


# --------------------------------------------------------------------------------------------
# Workout notation

_UNIT = r"(km|kms|k|kilometers|kilometres|mi|miles|mile|meters|metres|m)"
_RE_REPS = re.compile(
    r"(?<![\w.:])([0-9]{1,2}) ?x ?([0-9]{1,4}(?:\.[0-9]{1,2})?) ?"
    r"(km|kms|k|mi|miles|mile|meters|metres|m|min|mins|minutes|'|sec|secs|s)?(?![\w.:'])"
)
_RE_DIST = re.compile(rf"(?<![\w.:])([0-9]{{1,3}}(?:\.[0-9]{{1,2}})?) ?{_UNIT}(?![\w.:'])")


def _km(value: float, unit: str | None) -> float:
    if unit in ("mi", "mile", "miles"):
        return value * KM_PER_MILE
    if unit in ("m", "meters", "metres") or (unit is None and value >= 100):
        return value / 1000
    return value


def _round5(minutes: float) -> int:
    return max(wp.MIN_MINUTES, min(wp.MAX_MINUTES, int(5 * round(minutes / 5))))


def _read_notation(part: _Part) -> None:
    text = " ".join(part.words)
    reps = _RE_REPS.search(text)
    if reps:
        count, value, unit = int(reps[1]), float(reps[2]), reps[3]
        if unit == "s" and value >= 100:
            unit = "m"  # "10x400s": 400 m repeats, not 400 seconds
        if unit in ("min", "mins", "minutes", "'"):
            work = count * value
        elif unit in ("s", "sec", "secs"):
            work = count * value / 60
        else:
            work = count * _km(value, unit) * _REP_PACE
        rest = work if work / max(count, 1) <= 5 else work / 2
        part.rep_minutes = _round5(work + rest + _WARM_UP_COOL_DOWN)
        part.kind_hint = DayKind.INTERVALS
        part.notes.append(f"about {part.rep_minutes} min for {reps[0].replace(' ', '')}")
        text = text[: reps.start()] + " " + text[reps.end() :]
    dist = _RE_DIST.search(text)
    if dist and not (dist[2] == "m" and float(dist[1]) < 100):
        part.distance_km = round(_km(float(dist[1]), dist[2]), 2)
        part.distance_shown = dist[0].replace(" ", "")
        text = text[: dist.start()] + " " + text[dist.end() :]
        if _RE_DIST.search(text):
            raise _Ask("which distance is it? Give one per day.", [*text.split(), ANSWER])
    part.words = text.split()


# --------------------------------------------------------------------------------------------
# One day


def _fix_typos(words: list[str], notes: list[str]) -> list[str]:
    fixed: list[str] = []
    for i, word in enumerate(words):
        if word in _KNOWN or not word.isalpha():
            fixed.append(word)
            continue
        found = guess(word, _FUZZY_POOL)
        if found is None:
            fixed.append(word)
        elif found.sure:
            notes.append(f'read "{word}" as "{found.word}"')
            fixed.append(found.word)
        else:
            raise _Ask(
                f'did you mean "{found.word}" for "{word}"?',
                [*fixed, ANSWER, *words[i + 1 :]],
                found.word,
            )
    return fixed


def _activities(part: _Part) -> None:
    text = " ".join(part.words)
    for pattern, replacement, note in _ACTIVITIES:
        if pattern.search(text):
            text = pattern.sub(replacement, text, count=1)
            part.notes.append(note)
    words = text.split()
    if "parkrun" in words:
        part.parkrun = True
        words.remove("parkrun")
        if part.distance_km is None:
            part.distance_km = 5.0
            part.distance_shown = "parkrun (5k)"
    part.words = words


def _kind_phrase(words: list[str]) -> str:
    return " ".join(
        w for w in words if w.isalpha() and w not in wp._FILLERS and w not in _EXTRA_FILLERS
    )


def _read_part(part: _Part, table: Mapping[str, dt.time], day_label: str) -> tuple[Day, _Part]:
    _read_notation(part)
    _activities(part)
    _read_times(part, table, day_label)
    words = [w for w in part.words if w not in _EXTRA_FILLERS]
    if not _kind_phrase(words):
        if part.kind_hint is not None:
            words.append(part.kind_hint.value)
        elif part.parkrun:
            raise _Ask(
                "is the parkrun a race, a tempo or an easy run?", ["parkrun", ANSWER, *words]
            )
        elif part.distance_km is not None:
            guessed = "long run" if part.distance_km >= 16 else "easy run"
            article = "a" if guessed.startswith("l") else "an"
            raise _Ask(
                f"what kind of run is it: easy, long, tempo or a race? ({article} {guessed}?)",
                [ANSWER, *part.words, f"{part.distance_km:g}km"],
                guessed,
            )
    try:
        day = wp._parse_body(words, " ".join(words), day_label)
    except wp.WeekParseError as error:
        raise _from_error(error, words) from None
    if part.rep_minutes is not None and day.kind is DayKind.EASY:
        day = day.model_copy(update={"kind": DayKind.INTERVALS})
    if day.minutes is None:
        estimate = _estimate(day.kind, part)
        if estimate is not None:
            day = day.model_copy(update={"minutes": estimate})
            part.estimated = True
    return day, part


def _estimate(kind: DayKind, part: _Part) -> int | None:
    if part.rep_minutes is not None:
        return part.rep_minutes
    if part.distance_km is None or kind not in PACE_MIN_PER_KM:
        return None
    minutes = part.distance_km * PACE_MIN_PER_KM[kind]
    if minutes > wp.MAX_MINUTES:
        return None
    estimate = _round5(minutes)
    part.notes.append(f"about {estimate} min for {part.distance_shown}")
    return estimate


def _from_error(error: wp.WeekParseError, words: list[str]) -> _Ask:
    problem = error.problem
    quoted = re.search(r'"([^"]+)"', problem)
    if "time of day" in problem and quoted:
        bad = quoted[1]
        rest = [w for w in words if w != bad]
        return _Ask(f"{problem} What time is it?", [*rest, ANSWER])
    if "start time" in problem and "more than one" in problem:
        return _Ask("which start time is it? Give one.", [_kind_phrase(words) or "", ANSWER])
    times = [w for w in words if _timeish(w)]
    return _Ask(problem, [ANSWER, *times])


def _split_double(words: list[str]) -> list[list[str]] | None:
    """A day's words as two runs ("double run 6am and 6pm", "easy 6am + tempo 6pm")."""
    double = any(w in _DOUBLE_WORDS for w in words)
    words = [w for w in words if w not in _DOUBLE_WORDS and w not in ("runs",)]
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _CONNECTORS:
            parts.append([])
        else:
            parts[-1].append(word)
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    if not any(_kind_phrase(p) for p in parts):
        parts[0].append("run")  # "double 6am and 6pm"
    timed = sum(any(_timeish(w) or w == "at" for w in p) for p in parts)
    if not double and timed < 2:
        return None
    return parts


def _read_day(
    words: list[str], table: Mapping[str, dt.time], day_label: str
) -> tuple[Day, list[str], float | None, bool]:
    notes: list[str] = []
    words = _fix_typos(words, notes)
    pieces = _split_double(words)
    if pieces is None:
        day, part = _read_part(_Part(words), table, day_label)
        notes += part.notes
        return day, notes, part.distance_km, part.estimated
    runs: list[tuple[Day, _Part]] = []
    named = [p for p in pieces if _kind_phrase(p)]
    for piece in pieces:
        if not _kind_phrase(piece):  # "double run 6am and 6pm": the same kind twice
            piece = [*piece, runs[-1][0].kind.value if runs else _kind_phrase(named[0])]
        runs.append(_read_part(_Part(piece), table, day_label))
    chosen, part = max(
        runs, key=lambda r: (_HARDNESS[r[0].kind], r[0].start or dt.time(0), r[0].minutes or 0)
    )
    for _, other in runs:
        notes += other.notes
    when = f" at {chosen.start:%H:%M}" if chosen.start else ""
    notes.append(
        f"two runs: the day counts as {chosen.kind.label}{when}, the harder (or later) one"
    )
    return chosen, notes, part.distance_km, part.estimated


# --------------------------------------------------------------------------------------------
# The whole week


def _fuzzy_days(notes: list[str]) -> Callable[[str], tuple[Weekday, ...] | None]:
    def days_of(token: str) -> tuple[Weekday, ...] | None:
        known = wp._token_days(token)
        if known is not None or not token.isalpha() or token in _KNOWN:
            return known
        found = guess(token, _DAY_NAMES, min_length=5)
        if found is not None and found.sure:
            notes.append(f'read "{token}" as {found.word.title()}')
            return (Weekday(_DAY_NAMES.index(found.word)),)
        return None

    return days_of


def _no_day(words: list[str]) -> Problem | None:
    """A question for a part without a day, with a "did you mean Thursday?" when one is near."""
    if not words:
        return None
    fragment = " ".join(words)
    first = guess(words[0], _DAY_NAMES, min_length=4) if words[0].isalpha() else None
    if first is not None:
        name = first.word.title()
        return Problem(
            fragment=fragment,
            question=f'Did you mean {name}? Which day is "{fragment}"?',
            template=" ".join([ANSWER, *words[1:]]),
            suggestion=name,
        )
    return Problem(
        fragment=fragment,
        question=f'Which day is "{fragment}"? Start with the day, like "Thu {fragment}".',
        template=" ".join([ANSWER, *words]),
    )


def read_week(text: str, *, time_of_day: Mapping[str, dt.time] = TIME_OF_DAY) -> WeekReading:
    """Everything understood in a typed week, and one problem per part that was not.

    Never raises for what the runner typed. An empty text gives an empty reading (no days, no
    problems); a caller asks for the week again.
    """
    readings: dict[Weekday, DayReading] = {}
    problems: list[Problem] = []
    seen: dict[Weekday, str] = {}
    text = re.sub(r"@", " at ", text)
    for original, cleaned in wp._fragments(text):
        day_notes: list[str] = []
        for entry in wp._entries(original, cleaned, _fuzzy_days(day_notes)):
            fragment = " ".join(original[entry.start : entry.end].split())
            words = [t.text for t in entry.body if t.text]
            if not entry.days:
                problem = _no_day(words)
                if problem is not None:
                    problems.append(problem)
                continue
            days = tuple(entry.days)
            label = wp._day_names(entry.days)
            prefix = " ".join(WEEKDAY_NAMES[d][:3] for d in days)
            try:
                day, notes, distance, estimated = _read_day(words, time_of_day, label)
            except _Ask as ask:
                problems.append(
                    Problem(
                        fragment=fragment,
                        days=days,
                        question=ask.question[:1].upper() + ask.question[1:],
                        template=" ".join([prefix, *(w for w in ask.words if w)]),
                        suggestion=ask.suggestion,
                    )
                )
                continue
            for weekday in days:
                if weekday in seen:
                    readings.pop(weekday, None)
                    problems.append(
                        Problem(
                            fragment=fragment,
                            days=(weekday,),
                            question=(
                                f'{weekday.title} is there twice ("{seen[weekday]}" and '
                                f'"{fragment}"): what is it?'
                            ),
                            template=f"{WEEKDAY_NAMES[weekday][:3]} {ANSWER}",
                        )
                    )
                    continue
                seen[weekday] = fragment
                readings[weekday] = DayReading(
                    weekday=weekday,
                    day=day,
                    fragment=fragment,
                    notes=tuple(dict.fromkeys([*day_notes, *notes])),
                    distance_km=distance,
                    minutes_estimated=estimated,
                )
            day_notes.clear()
    return WeekReading(
        days=tuple(readings[w] for w in Weekday if w in readings), problems=tuple(problems)
    )


def answer_problem(
    reading: WeekReading,
    reply: str,
    *,
    index: int = 0,
    time_of_day: Mapping[str, dt.time] = TIME_OF_DAY,
) -> WeekReading:
    """The reading with the runner's reply to one problem (the first by default) read in.

    "yes" (or "yep", "sure"...) takes the problem's suggestion; "no" keeps the problem and
    asks the plain question again without a suggestion; anything else is put in the part
    where the question was and the part is read again, so it may give a new, narrower problem.
    Days read from the reply replace the same days in the reading.
    """
    if not 0 <= index < len(reading.problems):
        return reading
    problem = reading.problems[index]
    others = reading.problems[:index] + reading.problems[index + 1 :]
    said = yes_no(reply)
    if said is True and problem.suggestion is not None:
        filled = problem.suggestion
    elif said is False and problem.suggestion is not None:
        again = problem.model_copy(
            update={"suggestion": None, "question": "Then what is it? Type it, please."}
        )
        return reading.model_copy(
            update={"problems": (*reading.problems[:index], again, *reading.problems[index + 1 :])}
        )
    else:
        filled = reply.strip()
    if not filled:
        return reading
    again_read = read_week(problem.template.replace(ANSWER, filled), time_of_day=time_of_day)
    if not again_read.days and not again_read.problems:
        return reading
    replaced = {d.weekday for d in again_read.days}
    kept = tuple(d for d in reading.days if d.weekday not in replaced)
    days = tuple(sorted((*kept, *again_read.days), key=lambda d: d.weekday))
    return WeekReading(days=days, problems=(*again_read.problems, *others))


# --------------------------------------------------------------------------------------------
# Moving runs in the usual week ("move long run to sunday", "swap tue and thu")


class Move(Frozen):
    """A change to the usual week typed as a move (docs/understanding.md, "Moves").

    `kind` is the run moved ("long run"; None: whatever is on `source`), `source` the day it
    is on (None: the week's only run of that kind), `target` where it goes; with `swap`, the
    two days trade places.
    """

    kind: DayKind | None = None
    source: Weekday | None = None
    target: Weekday
    swap: bool = False


class MoveRefused(ValueError):
    """A move that cannot be made on this week; the message says why, for the runner."""


class Moved(Frozen):
    """A move made: the new week and what changed, in one sentence."""

    week: Week
    said: str


_MOVE_VERBS = frozenset({"move", "moving", "shift", "put", "push", "bring", "change", "switch"})
_SWAP_VERBS = frozenset({"swap", "switch", "exchange", "trade", "flip"})
_MOVE_FILLERS = frozenset(
    {"my", "the", "a", "please", "can", "you", "could", "i", "want", "to", "like", "would"}
    | {"run", "session", "workout", "day", "from", "usual", "usually", "instead", "now"}
    | {"let's", "lets", "me", "do", "over", "around", "round", "and", "with", "for"}
)
_MOVE_POOL: dict[str, str] = {
    **{n.lower(): n.lower() for n in WEEKDAY_NAMES},
    **{w: w for w in _MOVE_VERBS | _SWAP_VERBS if len(w) >= 4},
    **_FUZZY_POOL,
}
_RE_MOVE_WORD = re.compile(r"[a-z]+(?:'s)?|[0-9]+\S*")


def _move_words(text: str) -> list[str] | None:
    """The message's words, typos of days, kinds and verbs fixed ("lnog" → "long"), or None
    when something in it is not a word a move uses (a time, a distance)."""
    words: list[str] = []
    for raw in _RE_MOVE_WORD.findall(text.lower().replace("’", "'")):
        if raw[0].isdigit():
            return None  # "tempo at 6", "8x400 to friday": a day's details, not a move
        word = raw.removesuffix("'s")
        if word not in _MOVE_POOL and wp.parse_weekday(word) is None and word not in _KNOWN:
            found = guess(word, _MOVE_POOL)
            if found is not None and found.sure:
                word = found.word
        words.append(word)
    return words


def _move_day(word: str) -> Weekday | None:
    return wp.parse_weekday(word) if len(word) >= 3 else None


def _move_what(words: list[str]) -> tuple[DayKind | None, Weekday | None] | None:
    """The run named ("long run", "thursday's tempo", "the tempo on thursday"): its kind and
    day, or None when other words are in the way."""
    kind_words = [w for w in words if w in _KIND_WORDS and w not in _MOVE_FILLERS]
    days = [d for d in (_move_day(w) for w in words) if d is not None]
    others = [
        w
        for w in words
        if w not in _KIND_WORDS
        and _move_day(w) is None
        and w not in _MOVE_FILLERS
        and w not in {"on", "of", "in"}
    ]
    if others or len(days) > 1:
        return None
    kind = None
    if kind_words:
        kind = wp.parse_day_kind(" ".join(kind_words)) or wp.parse_day_kind(kind_words[0])
        if kind is None or kind in (DayKind.REST, DayKind.OFF):
            return None
    source = days[0] if days else None
    if kind is None and source is None:
        return None
    return kind, source


def read_move(text: str) -> Move | None:
    """A move of runs in the usual week, or None when the message is not one.

    Reads "move long run to sunday", "long run on sunday", "swap tue and thu", "move
    thursday's tempo to friday", "put the tempo on friday", with typos ("lnog run",
    "thrusday"). Without a verb only the long run (the week's one) is moved by "on"; other
    runs need "to" ("tempo to friday") or a verb, so "Fri tempo" stays a day typed. A message
    that mentions pain or another symptom is never a move: the pain check reads it.
    """
    from core.pain import mentions_pain  # here: core.pain is heavy, moves are rare
    from core.symptoms import Recognised, read_symptoms

    if mentions_pain(text) or read_symptoms(text).kind is not Recognised.NONE:
        return None
    words = _move_words(text)
    if not words:
        return None
    while words and words[0] in {"please", "can", "could", "you", "i", "want", "to", "lets"}:
        words = words[1:]
    if not words:
        return None
    if words[0] in _SWAP_VERBS:
        days = [d for d in (_move_day(w) for w in words[1:]) if d is not None]
        rest = [w for w in words[1:] if _move_day(w) is None]
        joined = "and" in words or "with" in words or "for" in words
        fillers = _MOVE_FILLERS | _KIND_WORDS | {"on"}
        if len(days) == 2 and joined and all(w in fillers for w in rest):
            return Move(source=days[0], target=days[1], swap=True)
        if words[0] != "switch":
            return None
    verb = words[0] in _MOVE_VERBS
    body = words[1:] if verb else words
    for i in range(len(body) - 1, 0, -1):  # the last "to"/"on": where it goes
        if body[i] in {"to", "on", "onto"}:
            break
    else:
        return None
    preposition, tail = body[i], [w for w in body[i + 1 :] if w not in {"a", "the"}]
    if len(tail) != 1 or (target := _move_day(tail[0])) is None:
        return None
    what = _move_what(body[:i])
    if what is None:
        return None
    kind, source = what
    if not verb and preposition == "on" and kind is not DayKind.LONG:
        return None  # "tempo on friday" is a day typed, not a move
    return Move(kind=kind, source=source, target=target)


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def _run_text(day: Day) -> str:
    return wp._format_day(Weekday.MON, day).split(" ", 1)[1]


def apply_move(week: Week, move: Move) -> Moved:
    """The week after `move`, and what changed ("Moved your long run from Saturday to Sunday;
    Saturday is now a rest day."). Raises `MoveRefused` with the reason when it cannot be
    made (no long run in the week, the same day, two tempo runs and no day said)."""
    target = move.target
    to_name = WEEKDAY_NAMES[target]
    if move.swap:
        assert move.source is not None
        first = move.source
        if first == target:
            raise MoveRefused("That's the same day twice: which two days should swap?")
        a, b = week[first], week[target]
        if a == b:
            raise MoveRefused(
                f"{WEEKDAY_NAMES[first]} and {to_name} are the same already "
                f"({_run_text(a)}), so swapping changes nothing."
            )
        days = list(week.days)
        days[first], days[target] = b, a
        return Moved(
            week=Week(days=tuple(days)),
            said=(
                f"Swapped {WEEKDAY_NAMES[first]} and {to_name}: {WEEKDAY_NAMES[first]} is "
                f"now {_run_text(b)}, {to_name} {_run_text(a)}."
            ),
        )
    source = move.source
    if source is None:
        assert move.kind is not None  # read_move names a kind or a day
        found = [w for w in Weekday if week[w].kind is move.kind]
        label = move.kind.label
        if not found:
            raise MoveRefused(f"There's no {label} in your week to move.")
        if len(found) > 1:
            names = _short_names(found)
            raise MoveRefused(
                f"You have {_a(label)} on {names}: which one? For example, "
                f'"move {WEEKDAY_NAMES[found[0]]}\'s {label} to {to_name}".'
            )
        source = found[0]
    moving = week[source]
    from_name = WEEKDAY_NAMES[source]
    if moving.kind in (DayKind.REST, DayKind.OFF):
        raise MoveRefused(f"{from_name} has no run to move (it's {_a(moving.kind.label)}).")
    if move.kind is not None and moving.kind is not move.kind:
        raise MoveRefused(
            f"{from_name} is your {moving.kind.label}, not {_a(move.kind.label)}: "
            f"which run should go to {to_name}?"
        )
    label = moving.kind.label
    if source == target:
        raise MoveRefused(f"Your {label} is already on {to_name}.")
    replaced = week[target]
    days = list(week.days)
    days[target], days[source] = moving, Day(kind=DayKind.REST)
    said = f"Moved your {label} from {from_name} to {to_name}; {from_name} is now a rest day."
    if replaced.kind not in (DayKind.REST, DayKind.OFF):
        said += f" It takes the place of {to_name}'s {replaced.kind.label}."
    return Moved(week=Week(days=tuple(days)), said=said)
