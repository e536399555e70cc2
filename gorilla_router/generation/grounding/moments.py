"""Calendar dates and clock times a request states, in the forms people write them, and whether a value's
dates and date-times are those.

A date is stated only as a date: written in the request as ``2024-03-15``, ``3/15/2024`` or ``15/3/24``
(day and month either way round), as the day after an ISO one (a range's exclusive end: an all-day event
on 2025-06-20 ends on 2025-06-21), or as a fixed-date holiday with its year ("Christmas 2025" →
2025-12-25). The digits of "2021-12-25" do not state "2021-01-01", though each of its numbers occurs in
the request (``nasa.apod(start_date="2021-01-01")`` for "the astronomy picture on 2021-12-25" had passed as
a span of stated words).

A date-time (``2025-03-14T09:00``, ``2025-05-14 09:00:00``) is stated when its date is and its clock time
is one the request writes: ``15:00``, ``9am``, ``9:30 pm``, ``noon``, ``midnight``, or the bare first hour of
a range whose end carries the half of the day ("from 9 to 10am" states 09:00 and 10:00). Composing the two
into one value is the conversion the parameter's format asks for, so grounding records it as one instead of
refusing a date-time no request could ever write in ISO form (the zoo's own ``zoneinfo.convert`` and
``googlecalendar.events.insert`` examples ended in ``needs_input`` before). Seconds other than zero and a UTC
offset the request does not write are not stated: the model would have made them up.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["DATE", "clock_times", "date_time_stated", "dates_stated", "holiday_dates"]

DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
_DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.0+)?)?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
_HOLIDAYS = (
    (("christmas eve",), 12, 24),
    (("christmas", "xmas"), 12, 25),
    (("boxing day",), 12, 26),
    (("new year's eve", "new years eve", "new year eve"), 12, 31),
    (("new year's day", "new years day", "new year's", "new years"), 1, 1),
    (("halloween",), 10, 31),
    (("valentine's day", "valentines day", "valentine day"), 2, 14),
    (("fourth of july", "4th of july", "independence day"), 7, 4),
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
_MERIDIEM = r"(a\.?m\.?|p\.?m\.?)(?![a-z])"
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?!\d)(?:\s*" + _MERIDIEM + ")?")
_HOUR = re.compile(r"(?<![\d:.])(\d{1,2})\s*(?:" + _MERIDIEM + r"|o'?clock)")
_RANGE = re.compile(
    r"(?<![\d:.])(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to|until|till)\s*(\d{1,2})(?::\d{2})?\s*" + _MERIDIEM
)


def holiday_dates(request: str) -> set[date]:
    """The fixed-date holidays ``request`` names, in each year it writes (none without a year)."""
    text = request.lower().replace("’", "'")
    years = {int(year) for year in _YEAR.findall(text)}
    found: set[date] = set()
    for names, month, day in _HOLIDAYS:
        if any(re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text) for name in names):
            found |= {date(year, month, day) for year in years}
    return found


def dates_stated(value: str, request: str) -> bool:
    """Whether every calendar date in ``value`` is one ``request`` states (module docstring)."""
    stated: set[tuple[int, ...]] = set()
    for found in DATE.findall(request.lower()):
        stated.add(_date_key(found))
        day = _iso_day(found)
        if day is not None:
            stated.add(_date_key((day + timedelta(days=1)).isoformat()))
    stated |= {_date_key(day.isoformat()) for day in holiday_dates(request)}
    return all(_date_key(found) in stated for found in DATE.findall(value))


def clock_times(request: str) -> set[tuple[int, int]]:
    """The ``(hour, minute)`` times of day ``request`` writes, on the 24-hour clock."""
    text = request.lower()
    times: set[tuple[int, int]] = set()
    for hour, minute, meridiem in _CLOCK.findall(text):
        times.add((_on_24_hours(int(hour), meridiem), int(minute)))
    for hour, meridiem in _HOUR.findall(text):
        times.add((_on_24_hours(int(hour), meridiem), 0))
    for first, first_minute, last, meridiem in _RANGE.findall(text):
        start, end = _on_24_hours(int(first), meridiem), _on_24_hours(int(last), meridiem)
        if start > end:  # "11 to 1pm": the range starts in the other half of the day
            start = (start + 12) % 24
        times.add((start, int(first_minute or 0)))
    if re.search(r"(?<![a-z])noon(?![a-z])", text):
        times.add((12, 0))
    if re.search(r"(?<![a-z])midnight(?![a-z])", text):
        times.add((0, 0))
    return {(hour, minute) for hour, minute in times if hour < 24 and minute < 60}


def date_time_stated(value: str, request: str) -> bool:
    """Whether ``value`` is a date-time whose date and clock time ``request`` both state."""
    match = _DATE_TIME.match(value.strip())
    if match is None or not dates_stated(match["date"], request):
        return False
    if int(match["second"] or 0) != 0:
        return False
    offset = match["offset"]
    if offset and offset != "Z" and offset.lower() not in request.lower():
        return False
    if offset == "Z" and not re.search(r"(?<![a-z])(utc|gmt|zulu)(?![a-z])", request.lower()):
        return False
    return (int(match["hour"]), int(match["minute"])) in clock_times(request)


def _on_24_hours(hour: int, meridiem: str) -> int:
    if not meridiem or hour > 12:
        return hour
    if meridiem.startswith("p"):
        return hour % 12 + 12
    return hour % 12


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date_key(text: str) -> tuple[int, ...]:
    """A date's numbers, a two-digit year read as 20xx, in order of size: one key for the same day written
    ``2024-03-15``, ``3/15/2024`` or ``15/3/24``."""
    numbers = [int(part) for part in re.split(r"[-/]", text)]
    if len(numbers) == 3 and "/" in text and numbers[2] < 100:
        numbers[2] += 2000
    return tuple(sorted(numbers))
