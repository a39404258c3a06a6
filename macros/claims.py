"""Claims: author macros that put a statement about data into words and check it.

Each macro renders its words from the data ("September", "narrowed", "every year since 1998")
and takes `expect=`, the fact the surrounding prose relies on. When the data no longer support
it, the build stops: "claim '…' is false: …" says what the data now say. `text=` (with
`expect=`) renders the author's own words for a checked claim. Numbers a claim shows go through
`authoring.value`, so they carry provenance and are listed for the refresh review. What is true
of the data is decided in `macros/facts.py`; this module only words it, in the page's language
(`page.lang`: English, or Korean with the particles, counters and order of macros/locale_ko.py;
in Korean every value the words join ends in a vowel when read, 달러, %, 위, 배, so the
particle is always 로, never 으로). Error messages stay in English: they are for authors.
"""
from __future__ import annotations

from . import authoring, citations, facts, i18n, indicators, locale_ko, periods, render
from .errors import PortalError
from .formatting import format_value, number

UNIT_WORDS = {"annual": "year", "quarterly": "quarter", "monthly": "month"}
NTH = ("", "", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
       "tenth")
COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve")


def _false(claim: str, now: str) -> PortalError:
    return PortalError(f"claim '{claim}' is false: {now}")


def _say(words: str, text: str | None, expect) -> str:
    if text is not None and expect is None:
        raise PortalError("text= replaces the data's words only for a checked claim: add expect=")
    return words if text is None else text


def _fmt(indicator_id: str, point: facts.Point, digits=None, magnitude=False,
         unit: str | None = None) -> str:
    """A plain-text value for messages: '15.0%'."""
    return format_value(point.value, unit or indicators.get(indicator_id).unit, digits=digits,
                        magnitude=magnitude)


def _when(point: facts.Point, *, month_only: bool = False, lang: str = "en") -> str:
    """'2024', 'January–July 2026', 'September 2025' (with `month_only`: 'September');
    ko: '2024년', '2026년 1–7월', '2025년 9월' ('9월')."""
    text = periods.words(point.period, point.frequency, point.months, lang=lang)
    if month_only and point.frequency == "monthly":
        return text[6:] if lang == "ko" else text[:-5]
    return text


def _ko(page) -> bool:
    return getattr(page, "lang", "en") == "ko"


def _dims_text(dims: dict) -> str:
    return f" ({', '.join(f'{k}={v}' for k, v in dims.items())})" if dims else ""


def span(page, indicator_id: str, *, frequency: str | None = None, **dims) -> str:
    """The years (or months) an indicator covers, e.g. '1991–2026'. `{{ span("us_kor_balance") }}`"""
    page.use_indicator(indicator_id)
    facts.series(indicator_id, frequency=frequency, partial=True, **dims)  # checks the dims
    table = facts.select(indicator_id, dims)
    table = periods.of_frequency(table, periods.pick_frequency(table, frequency,
                                                               f"indicator {indicator_id!r}"))
    return periods.span(table, short=False, lang=page.lang)


def coverage(page, indicator_id: str, period="latest", *, frequency: str | None = None,
             show: str = "period", expect: str | None = None, **dims) -> str:
    """The months a period covers: 'January–July 2026' (show="months": 'January–July',
    show="year": '2026');
    expect="partial" or "complete" pins whether it is a part-year. `{{ coverage("us_kor_balance", "latest", expect="partial") }}`"""
    page.use_indicator(indicator_id)
    point = facts.resolve(indicator_id, period, frequency=frequency, partial=True, **dims)
    state = "partial" if point.partial else "complete"
    if expect not in (None, "partial", "complete"):
        raise PortalError(f"expect={expect!r}: say \"partial\" or \"complete\"")
    if expect is not None and expect != state:
        raise _false(f"{period} {point.frequency} period of {indicator_id} is {expect}",
                     f"{point.period} is {state}, covering "
                     f"{periods.month_span(point.period, point.months)}")
    if show == "months":
        return periods.month_span(point.period, point.months, lang=page.lang)
    if show == "year":
        return point.period[:4]
    if show != "period":
        raise PortalError(f"show={show!r}: say \"period\", \"months\" or \"year\"")
    return _when(point, lang=page.lang)


def _extreme(page, indicator_id, span_, low, expect, show, text, digits, frequency, dims):
    page.use_indicator(indicator_id)
    if span_ is not None and frequency is None:
        present = periods.frequencies(facts.select(indicator_id, dims))
        frequency = next((f for f in ("monthly", "quarterly") if f in present), None)
        if frequency is None:
            raise PortalError(f"indicator {indicator_id!r} has no monthly or quarterly "
                              f"observations to find a peak within {span_}")
    points = facts.series(indicator_id, frequency=frequency, **dims)
    if str(span_) == periods.LATEST:
        span_ = points[-1].period[:4]
    top = facts.extreme(facts.within(points, span_), low=low)
    kind = "trough" if low else "peak"
    where = f" in {span_}" if span_ is not None else ""
    if expect is not None and str(expect) != top.period:
        raise _false(f"{kind} of {indicator_id}{_dims_text(dims)}{where} is {expect}",
                     f"the{where.replace(' in', '')} {kind} is now {top.period} "
                     f"({_fmt(indicator_id, top, digits)})")
    when = _when(top, month_only=span_ is not None, lang=page.lang)
    if show not in ("period", "value", "both"):
        raise PortalError(f"show={show!r}: say \"period\", \"value\" or \"both\"")
    if show == "period":
        authoring.shows(page, indicator_id, {"period": top.period}, dims)
        return _say(when, text, expect)
    shown = authoring.value(page, indicator_id, top.period, digits=digits, **dims)
    return _say(shown if show == "value" else f"{when} ({shown})", text, expect)


def peak(page, indicator_id: str, within=None, *, expect=None, show: str = "period",
         text: str | None = None, digits: int | None = None, frequency: str | None = None,
         **dims) -> str:
    """When a series is highest (within a year: its month), e.g. 'September'; show="value" or
    "both" gives the value; expect= pins the period. `{{ peak("us_kor_effective_duty_rate", 2025, expect="2025-09") }}`"""
    return _extreme(page, indicator_id, within, False, expect, show, text, digits, frequency,
                    dims)


def trough(page, indicator_id: str, within=None, *, expect=None, show: str = "period",
           text: str | None = None, digits: int | None = None, frequency: str | None = None,
           **dims) -> str:
    """When a series is lowest (within a year: its month), e.g. 'January'; as peak(). `{{ trough("us_kor_effective_duty_rate", 2025, expect="2025-01") }}`"""
    return _extreme(page, indicator_id, within, True, expect, show, text, digits, frequency,
                    dims)


def record(page, indicator_id: str, period, *, low: bool = False, word: str | None = None,
           expect=None, text: str | None = None, frequency: str | None = None,
           partial: bool = False, **dims) -> str:
    """How far back a value is unmatched: 'the highest in the series', 'the highest since 2004'
    or 'the highest in the series up to then' (low=True for lows, word="largest");
    expect="series", "then" or the since-period pins it. `{{ record("us_kor_balance", 2024, low=True, word="largest", expect="series") }}`"""
    page.use_indicator(indicator_id)
    point = facts.resolve(indicator_id, period, frequency=frequency, partial=partial, **dims)
    points = facts.series(indicator_id, frequency=point.frequency, partial=partial, **dims)
    word = word or (("낮은" if low else "높은") if _ko(page) else ("lowest" if low else "highest"))
    found = facts.record(points, point.period, low=low)
    said = {None: "in the series", "series": "in the series", "then": "up to then"}.get(
        expect, f"since {expect}")
    claim = f"{indicator_id}{_dims_text(dims)} in {point.period} is the {word} {said}"
    if not isinstance(found, facts.Record):
        raise _false(claim, f"the period before, {found.period}, is {_comparative(word)} or equal "
                            f"({_fmt(indicator_id, found)} against {_fmt(indicator_id, point)})")
    if expect is not None and str(expect) != found.reach:
        raise _false(claim, f"it is now {_record_words(found, word)}")
    if _ko(page):
        return _say(_record_words(found, word, "ko"), text, expect)
    return _say(_record_words(found, word), text, expect)


def _comparative(word: str) -> str:
    return word[:-3] + "er" if word.endswith("est") else f"more {word}"


# How far a record reaches, in words: the whole series, the series up to then, or since a date.
RECORD_WORDS = {
    "en": {"series": "the {word} in the series", "then": "the {word} in the series up to then",
           "since": "the {word} since {since}"},
    "ko": {"series": "시계열상 가장 {word}", "then": "당시까지 시계열상 가장 {word}",
           "since": "{since} 이후 가장 {word}"},
}


def _record_words(found: facts.Record, word: str, lang: str = "en") -> str:
    """'the largest in the series', 'the largest since 2004';
    ko: '시계열상 가장 큰', '2004년 이후 가장 큰'."""
    pattern = RECORD_WORDS[lang][found.reach if found.reach in ("series", "then") else "since"]
    since = _when(found.since, lang=lang) if "{since}" in pattern else ""
    return pattern.format(word=word, since=since)


def streak(page, indicator_id: str, *, above=None, below=None, until=None, expect=None,
           show: str = "words", frequency: str | None = None, **dims) -> str:
    """How long a series has stayed above or below a level: 'every year since 1998'
    (show="span": '1998–2025'; show="count": 'three years'); expect= pins the first period. `{{ streak("us_kor_balance", below=0, expect=1998) }}`"""
    if (above is None) == (below is None):
        raise PortalError("say above=… or below=… (one of them)")
    page.use_indicator(indicator_id)
    points = facts.series(indicator_id, frequency=frequency, **dims)
    if until is not None:
        until = facts.resolve(indicator_id, until, frequency=points[0].frequency, **dims).period
    level, side = (above, "above") if above is not None else (below, "below")
    test = (lambda v: v > level) if above is not None else (lambda v: v < level)
    found = facts.streak(points, test, until=until)
    unit = UNIT_WORDS[points[0].frequency]
    claim = f"{indicator_id}{_dims_text(dims)} {side} {level} in every {unit} " + (
        f"since {expect}" if expect is not None else f"up to {until or points[-1].period}")
    if not isinstance(found, facts.Streak):
        raise _false(claim, f"{found.period} is not {side} {level} ({_fmt(indicator_id, found)})")
    if expect is not None and str(expect) != found.start.period:
        before = points[points.index(found.start) - 1] if found.start is not points[0] else None
        raise _false(claim, f"it is {side} {level} in every {unit} since {found.start.period}"
                            + (f" ({before.period}: {_fmt(indicator_id, before)})" if before else ""))
    if _ko(page):
        return _streak_ko(found, points, show)
    start, end = _when(found.start), _when(found.end)
    if show == "span":
        return start if found.count == 1 else f"{start}–{end}"
    if show == "count":
        n = COUNTS[found.count] if found.count < len(COUNTS) else str(found.count)
        return f"{n} {unit}{'s' if found.count != 1 else ''}"
    if found.end is points[-1]:
        return f"every {unit} since {start}"
    return f"every {unit} from {start} to {end}"


def _streak_ko(found: facts.Streak, points: list, show: str) -> str:
    """'1998년 이후 매년', '1995년부터 1997년까지 매년', '1991–1994년', '3년'."""
    frequency = points[0].frequency
    start, end = _when(found.start, lang="ko"), _when(found.end, lang="ko")
    if show == "span":
        if found.count == 1:
            return start
        if frequency == "annual":
            return locale_ko.year_span(found.start.period, found.end.period)
        return f"{start}–{end}"
    if show == "count":
        return locale_ko.count(found.count, frequency)
    every = locale_ko.UNIT_EVERY[frequency]
    if found.end is points[-1]:
        return f"{start} 이후 {every}"
    return f"{start}부터 {end}까지 {every}"


def _nth(n: int, word: str) -> str:
    if n == 1:
        return f"the {word}"
    return f"the {NTH[n] if n < len(NTH) else format_value(n, 'rank')}-{word}"


def rank(page, indicator_id: str, period, *, low: bool = False, word: str | None = None,
         among: list | None = None, by: str | None = None, expect: int | None = None,
         text: str | None = None, frequency: str | None = None, partial: bool = False,
         **dims) -> str:
    """Where a value stands, among periods or (for an indicator with a dimension) among its
    values: 'the highest', 'the third-lowest'; among= limits the field, expect= pins the
    place. `{{ rank("us_partner_effective_duty_rate", "2025-09", partner="CHINA", expect=1) }}`"""
    ind = page.use_indicator(indicator_id)
    point = facts.resolve(indicator_id, period, frequency=frequency, partial=partial, **dims)
    word = word or (("낮은" if low else "높은") if _ko(page) else ("lowest" if low else "highest"))
    if ind.dimensions:
        by = by or (ind.dimensions[0] if len(ind.dimensions) == 1 else None)
        if by not in dims:
            raise PortalError(f"say which dimension to rank by with by=…; one of "
                              f"{', '.join(ind.dimensions)}")
        table = facts.select(indicator_id, {k: v for k, v in dims.items() if k != by})
        table = table[table["period"] == point.period]
        field = dict(zip(table[by], table["value"]))
        key = str(dims[by])
    else:
        field = {p.period: p.value for p in facts.series(
            indicator_id, frequency=point.frequency, partial=partial)}
        key = point.period
    if among is not None:
        missing = [str(m) for m in among if str(m) not in field]
        if missing:
            raise PortalError(f"among= names {missing[0]!r}, which has no value in {point.period}")
        field = {k: v for k, v in field.items() if k in {str(m) for m in among} | {key}}
    n = facts.rank(field, key, low=low)
    if expect is not None and int(expect) != n:
        sign = -1 if low else 1
        leader = sorted(field, key=lambda k: -sign * field[k])[int(expect) - 1]
        shown = lambda k: format_value(field[k], ind.unit)  # noqa: E731
        raise _false(f"{key} is {_nth(int(expect), word)} of {len(field)} for {indicator_id} "
                     f"in {point.period}", f"it is {_nth(n, word)} ({shown(key)}); "
                     f"{_nth(int(expect), word)} is {leader} ({shown(leader)})")
    authoring.shows(page, indicator_id, {"period": point.period}, dims)
    return _say(locale_ko.nth(n, word) if _ko(page) else _nth(n, word), text, expect)


def change(page, indicator_id: str, start, end, *, up: str = "rose", down: str = "fell",
           same: str = "was unchanged", show: str = "full", expect: str | None = None,
           text: str | None = None, digits: int | None = None, magnitude: bool = False, frequency: str | None = None,
           partial: bool = False, **dims) -> str:
    """The direction of a change in the data's words, and its size: 'narrowed from −$65.7 bn in
    2024 to −$56.5 bn in 2025' (show="word", "to" or "by" for less); for a rank, up means
    towards first place; expect= pins the word. `{{ change("us_kor_balance", 2024, 2025, up="narrowed", down="widened", expect="narrowed") }}`"""
    ind = page.use_indicator(indicator_id)
    a = facts.resolve(indicator_id, start, frequency=frequency, partial=partial, **dims)
    b = facts.resolve(indicator_id, end, frequency=frequency or a.frequency, partial=partial,
                      **dims)
    sense = facts.direction(a.value, b.value) * (-1 if ind.unit == "rank" else 1)
    word = {1: up, -1: down, 0: same}[sense]
    if expect is not None and expect not in (up, down, same):
        raise PortalError(f"expect={expect!r} is none of up={up!r}, down={down!r}, same={same!r}")
    if expect is not None and expect != word:
        raise _false(f"{indicator_id}{_dims_text(dims)} {expect} from {a.period} to {b.period}",
                     f"it {word}, from {_fmt(indicator_id, a, digits, magnitude)} to "
                     f"{_fmt(indicator_id, b, digits, magnitude)}")
    value = lambda p: authoring.value(page, indicator_id, p.period, digits=digits,  # noqa: E731
                                      magnitude=magnitude, **dims)
    same_year = a.frequency == "monthly" and a.period[:4] == b.period[:4]
    if show == "word" or text is not None:
        authoring.shows(page, indicator_id, {"period": a.period}, dims)
        authoring.shows(page, indicator_id, {"period": b.period}, dims)
        return _say(word, text, expect)
    ko = _ko(page)
    if show == "to":
        return f"{value(b)}로 {word}" if ko else f"{word} to {value(b)}"
    if show == "by":
        size = abs(b.value - a.value)
        unit = {"%": "pp", "rank": "places"}.get(ind.unit, ind.unit)
        if ko:
            shown = f"{number(size, 0)}계단" if unit == "places" \
                else format_value(size, unit, digits=digits, lang="ko")
            fmt = lambda p: format_value(p.value, ind.unit, digits=digits,  # noqa: E731
                                         magnitude=magnitude, lang="ko")
            title = (f"{_when(a, lang='ko')} {fmt(a)} → {_when(b, lang='ko')} {fmt(b)} "
                     f"({i18n.indicator(ind, 'title', 'ko')})")
        else:
            shown = f"{number(size, 0)} place{'s' if round(size) != 1 else ''}" \
                if unit == "places" else format_value(size, unit, digits=digits)
            title = f"{_fmt(indicator_id, a, digits, magnitude)} in {_when(a)} → " \
                    f"{_fmt(indicator_id, b, digits, magnitude)} in {_when(b)} ({ind.title})"
        authoring.shows(page, indicator_id, {"period": a.period}, dims)
        authoring.shows(page, indicator_id, {"period": b.period}, dims)
        claim = render.page_fragment("claim.html", title=title, text=shown)
        return f"{claim} {render.md(word)}" if ko else render.md(word) + " by " + claim
    if show != "full":
        raise PortalError(f"show={show!r}: say \"full\", \"word\", \"to\" or \"by\"")
    if ko:
        return (f"{_when(a, month_only=same_year, lang='ko')} {value(a)}에서 "
                f"{_when(b, lang='ko')} {value(b)}로 {word}")
    return f"{word} from {value(a)} in {_when(a, month_only=same_year)} to {value(b)} in {_when(b)}"


def compare(page, indicator_id: str, period, *, than, close: float = 0.1, above: str = "above",
            below: str = "below", near: str = "close to", show: str = "word",
            expect: str | None = None, text: str | None = None, magnitude: bool = False, partial: bool = False,
            frequency: str | None = None, **dims) -> str:
    """How one value stands against another: 'above', 'below', 'close to' (within close=0.1,
    relative), or show="times": '3.5 times'; than= is another period or a dict of what differs
    (period, indicator, dimensions); expect= pins the relation. `{{ compare("us_partner_effective_duty_rate", "2025-09", partner="KOREA, SOUTH", than={"partner": "ALL COUNTRIES"}, expect="above") }}`"""
    page.use_indicator(indicator_id)
    other = dict(than) if isinstance(than, dict) else {"period": than}
    a = facts.resolve(indicator_id, period, frequency=frequency, partial=partial, **dims)
    if "reported" in other:  # a figure quoted from a report, set against the portal's own
        quoted = citations.reported_figure(other["reported"])
        other_id, other_dims, unit_b = f"reported figure {quoted['id']}", {}, quoted["unit"]
        b = facts.reported_point(other["reported"])
        page.reports[quoted["report"]] = True
        page.datasets[citations.REPORTED] = True
    else:
        unit_b = None
        other_id = other.pop("indicator", indicator_id)
        page.use_indicator(other_id)
        other_period = other.pop("period", period)
        other_dims = {**dims, **other} if other_id == indicator_id else other
        b = facts.resolve(other_id, other_period, frequency=a.frequency, partial=partial,
                          **other_dims)
    va, vb = (abs(a.value), abs(b.value)) if magnitude else (a.value, b.value)
    found = facts.relation(va, vb, close=close)
    keys = {"above": above, "below": below, "close": near}
    if expect is not None and expect not in keys and expect not in keys.values():
        raise PortalError(f"expect={expect!r}: say \"above\", \"below\" or \"close\"")
    expected = next((k for k, w in keys.items() if expect in (k, w)), None)
    if expect is not None and expected != found:
        raise _false(f"{indicator_id} {a.period}{_dims_text(dims)} is {keys[expected]} "
                     f"{other_id} {b.period}{_dims_text(other_dims)}",
                     f"it is {keys[found]} it ({_fmt(indicator_id, a, None, magnitude)} "
                     f"against {_fmt(other_id, b, None, magnitude, unit_b)})")
    authoring.shows(page, indicator_id, {"period": a.period}, dims)
    if unit_b is None:
        authoring.shows(page, other_id, {"period": b.period}, other_dims)
    if text is not None:
        return _say(keys[found], text, expect)
    if show == "times":
        if _ko(page):
            unit_a = indicators.get(indicator_id).unit
            unit_b2 = unit_b or indicators.get(other_id).unit
            title = (f"{format_value(a.value, unit_a, lang='ko')}({_when(a, lang='ko')}) ÷ "
                     f"{format_value(b.value, unit_b2, lang='ko')}({_when(b, lang='ko')})")
            return render.page_fragment("claim.html", title=title,
                                        text=f"{locale_ko.number(va / vb, 1)}배")
        title = f"{_fmt(indicator_id, a)} ({a.period}) ÷ {_fmt(other_id, b, unit=unit_b)} ({b.period})"
        return render.page_fragment("claim.html", title=title, text=f"{number(va / vb, 1)} times")
    if show != "word":
        raise PortalError(f"show={show!r}: say \"word\" or \"times\"")
    return keys[found]
