"""The time zone: a button, an IANA name, or a city or country the runner types."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

from bot import texts
from bot.dialog.question import Accepted, Answers, Button, Context, Invalid, Prompt, norm, rows
from core.answers import Option, match_option

TIMEZONE_BUTTONS = {
    "Europe/London": "London",
    "Europe/Berlin": "Berlin / Paris",
    "America/New_York": "New York",
    "America/Chicago": "Chicago",
    "America/Los_Angeles": "Los Angeles",
    "Australia/Sydney": "Sydney",
    "Asia/Tokyo": "Tokyo",
    "UTC": "UTC",
}
CITY_ZONES = {
    "uk": "Europe/London",
    "england": "Europe/London",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "birmingham": "Europe/London",
    "ireland": "Europe/Dublin",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "lyon": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "geneva": "Europe/Zurich",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "boulder": "America/Denver",
    "calgary": "America/Edmonton",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "melbourne": "Australia/Melbourne",
    "canberra": "Australia/Sydney",
    "nyc": "America/New_York",
    "la": "America/Los_Angeles",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "cape town": "Africa/Johannesburg",
    "wellington": "Pacific/Auckland",
    "gmt": "UTC",
    "utc": "UTC",
    "cet": "Europe/Berlin",
}


def _zones_by_name() -> dict[str, str]:
    zones: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        zones.setdefault(zone.lower(), zone)
        city = zone.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            zones.setdefault(city, zone)
    return zones


_ZONES = _zones_by_name()


def find_zone(text: str) -> str | None:
    """An IANA zone for a zone name or a city, or None."""
    said = norm(text).replace("_", " ")
    for candidate in (said, said.replace(" ", "_")):
        if candidate in _ZONES:
            return _ZONES[candidate]
    return CITY_ZONES.get(said)


def ask_timezone(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, zone) for zone, label in TIMEZONE_BUTTONS.items()]
    return Prompt(texts.ASK_TIMEZONE, rows(buttons, 3))


def _zone_options() -> list[Option]:
    cities: dict[str, list[str]] = {}
    for city, zone in CITY_ZONES.items():
        cities.setdefault(zone, []).append(city)
    labels = {**{z: z for z in cities}, **TIMEZONE_BUTTONS}
    return [Option(z, label, tuple(cities.get(z, ()))) for z, label in labels.items()]


ZONE_OPTIONS = _zone_options()


def accept_timezone(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    zone = raw if pressed and raw in TIMEZONE_BUTTONS else find_zone(raw)
    if zone is None:  # a label or city with a typo ("Londn"); no guesses offered
        found = match_option(raw, ZONE_OPTIONS).option
        if found is None:
            raise Invalid(texts.HINT_TIMEZONE)
        zone = found.value
    ZoneInfo(zone)  # known to exist: it came from the zone database
    return Accepted({**a, "timezone": zone}, zone)
