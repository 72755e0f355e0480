"""Years of ceilings (R1, R14): agreement years run from `in_force` (or the scenario start) by
calendar anniversary, so a ceiling resets on the anniversary date, not every 365 days; a
party's fiscal year starts on a fixed `MM-DD` (the United States: 1 October)."""

from __future__ import annotations

from datetime import datetime, timedelta


def anniversary(start: datetime, years: int) -> datetime:
    """`start` moved on by whole years; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def agreement_year(year_start: datetime, clock_start: datetime, hours: float) -> int:
    """The agreement year (0 = the first) that simulation time `hours` falls in."""
    return agreement_year_at(year_start, clock_start + timedelta(hours=hours))[0]


def agreement_year_at(year_start: datetime, when: datetime) -> tuple[int, datetime, datetime]:
    """The agreement year that the moment `when` falls in, and the moments it starts and
    ends, so a caller can reuse the year until the clock passes its end."""
    year = when.year - year_start.year
    while year > 0 and anniversary(year_start, year) > when:
        year -= 1
    while anniversary(year_start, year + 1) <= when:
        year += 1
    return year, anniversary(year_start, year), anniversary(year_start, year + 1)


def fiscal_year_at(month_day: str, when: datetime) -> tuple[datetime, datetime]:
    """The fiscal year starting each `MM-DD` that `when` falls in: (its first moment, the
    next year's)."""
    month, day = (int(x) for x in month_day.split("-"))
    start = datetime(when.year, month, 1) + timedelta(days=day - 1)  # 02-30: 1 March
    if start > when:
        start = datetime(when.year - 1, month, 1) + timedelta(days=day - 1)
    end = datetime(start.year + 1, month, 1) + timedelta(days=day - 1)
    return start, end
