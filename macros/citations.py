"""Reports and reported figures, and the portal's own citations.

Reports: who said a number, where (`reported_figure`, `short_cite`, `full_cite`).

Citations: one CSL-JSON record per citable thing (an edition, a page, a figure, a number),
and every form of it rendered from that record by the ecosystem's processors: APA and Chicago
by citeproc-py with the official CSL styles vendored in `macros/csl/`, BibTeX by bibtexparser
(LaTeX escaping by its pylatexenc encoder), RIS by rispy, Highwire tags for Zotero and Google
Scholar. An edition URL is permanent, so its citation carries no access date; the `latest`
variant of a page's citation has no date and an access date that the reader's browser fills in
when it is copied or downloaded (docs/assets/javascripts/cite.js replaces ACCESS_MARKER).
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from . import atomic, datasets, render
from .errors import PortalError, unknown

REPORTED = "reported_figures"


@functools.cache
def reports() -> pd.DataFrame:
    return datasets.get(REPORTED).table("reports").set_index("report", drop=False)


@functools.cache
def figures() -> pd.DataFrame:
    return datasets.get(REPORTED).table("reported_figures").set_index("id", drop=False)


def reported_figure(figure_id: str) -> pd.Series:
    table = figures()
    if figure_id not in table.index:
        raise unknown("reported figure", figure_id, table.index,
                      hint=f"reported figures are the rows of data/{REPORTED}/reported_figures.csv")
    return table.loc[figure_id]


def short_name(publisher: str) -> str:
    """'Korea International Trade Association (KITA)' -> 'KITA'."""
    match = re.search(r"\(([^)]+)\)\s*$", publisher)
    return match.group(1) if match else publisher


def short_cite(report_id: str) -> str:
    """In-text citation: 'KITA, 2025'."""
    r = reports().loc[report_id]
    return f"{short_name(r['publisher'])}, {str(r['date'])[:4]}"


def report_url(report_id: str) -> str | None:
    """The report's URL, checked: only http(s) (a build error names the file, row and field)."""
    r = reports().loc[report_id]
    if not (isinstance(r.get("url"), str) and r["url"]):
        return None
    row = list(reports().index).index(report_id) + 2  # the header is line 1
    return render.href(r["url"], where=f"data/{REPORTED}/reports.csv: line {row} "
                                       f"(report {report_id!r}), field url")


def _cite_words(report_id: str, lang: str = "en") -> str:
    r = reports().loc[report_id]
    if lang != "en":  # publisher, title and medium from reports.<lang>.yaml, beside reports.csv
        from . import datasets, i18n
        folder = datasets.get(REPORTED).folder
        tr = lambda f: i18n.report(folder, report_id, f, lang, r[f])  # noqa: E731
        return f"{tr('publisher')} ({r['date']}). {tr('title')}. {tr('medium')}."
    author = f"{r['author']} ({r['publisher']})" if isinstance(r["author"], str) and r["author"] \
        else r["publisher"]
    text = f"{author} ({r['date']}). {r['title']}."
    if isinstance(r.get("medium"), str) and r["medium"]:
        text += f" {r['medium'][0].upper()}{r['medium'][1:]}."
    return text


def full_cite(report_id: str, lang: str = "en") -> str:
    """Reference-list entry as plain text: Author/Publisher (date). Title. Medium. <URL>"""
    url = report_url(report_id)
    return _cite_words(report_id, lang) + (f" <{url}>" if url else "")


def full_cite_html(report_id: str, lang: str = "en") -> str:
    """The reference-list entry as escaped HTML, its URL a checked link."""
    url = report_url(report_id)
    words = render.md(_cite_words(report_id, lang))
    return words + " " + render.link(url, url, where="report URL") if url else words


# --- The portal's own citations -----------------------------------------------------------------

PORTAL = "Korea–US Trade Briefings"
STYLE_DIR = Path(__file__).resolve().parent / "csl"
STYLES = {"apa": "apa.csl", "chicago": "chicago-author-date.csl"}  # see macros/csl/README.md
EDITION_NAME = re.compile(r"(\d{4})\.(\d{2})(?:-(\d+))?")  # 2026.11, 2026.11-2
# Hosts nobody else can open: a build citing them is a preview, never an edition to cite.
LOCAL_HOSTS = {"example.org", "example.com", "example.net", "localhost", "127.0.0.1", "::1", ""}
PREVIEW_NOTE = "Preview build, not a published edition: do not cite"
# citeproc's locale (its own locales-<locale>.xml) for the terms APA and Chicago add, by the
# record's language; a record's own words in a language are interface strings (macros/locale).
CSL_LOCALES = {"en": "en-US", "ko": "ko-KR"}
# A language's corrections to citeproc's locale, as CSL lets a style carry them: a <locale
# xml:lang="ko"> (macros/csl/locale-ko.xml) that `style_source` puts into each vendored style,
# ahead of the locale file in CSL's lookup (the styles themselves stay as published).
LOCALE_OVERRIDE = "locale-{language}.xml"
GENRE = "Edition"  # a report's genre, an interface string: "판" in Korean
# The access date of a `latest` citation as built; the browser puts the reader's day in its place.
ACCESS_MARKER = (1900, 1, 1)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def edition_date(edition: str, today: str) -> tuple[str, str]:
    """(year, month number) of an edition: '2026.11' -> ('2026', '11'); dev builds use today."""
    if edition[:4].isdigit() and edition[4:5] == "." and edition[5:7].isdigit():
        return edition[:4], edition[5:7]
    return today[:4], today[5:7]


def build_time() -> datetime.datetime:
    """When this build says it was made: SOURCE_DATE_EPOCH if set (releases set it to the
    commit's time; `make` to the start of its day, so the two editions of one `make build` never
    straddle midnight), else the start of today, UTC, as first asked in this build (each build
    starts from a freshly imported engine or runtime.reset), so that its pages never straddle
    midnight either."""
    return _build_time(os.environ.get("SOURCE_DATE_EPOCH"))


def _now() -> datetime.datetime:
    """The clock an undated build reads (a test sets another)."""
    return datetime.datetime.now(datetime.timezone.utc)


@functools.cache
def _build_time(epoch: str | None) -> datetime.datetime:
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PortalError(f"SOURCE_DATE_EPOCH={epoch!r}: not a Unix time in seconds; "
                              "unset it or give seconds since 1970, e.g. "
                              "$(git show -s --format=%ct)") from None
    day = _now().date()
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)


def build_date() -> datetime.date:
    """The day of this build (see `build_time`): what a preview or this month's edition is dated."""
    return build_time().date()


@dataclass(frozen=True)
class Edition:
    """The edition being built: name, permanent root URL, publication date (CSL date-parts) and
    whether it is a preview (not a dated edition, or a URL nobody else can open)."""

    name: str
    url: str
    issued: tuple[int, ...]
    preview: bool

    @property
    def latest_url(self) -> str | None:
        """The root of the moving `latest` alias, when the root URL names this edition."""
        suffix = f"/{self.name}/"
        return self.url[:-len(suffix)] + "/latest/" if self.url.endswith(suffix) else None

    @property
    def date_words(self) -> str:
        parts = [str(self.issued[0])]
        if len(self.issued) > 1:
            parts.insert(0, MONTHS[self.issued[1] - 1])
        if len(self.issued) > 2:
            parts.insert(0, str(self.issued[2]))
        return " ".join(parts)


def edition(name: str, site_url: str, today: datetime.date | None = None) -> Edition:
    """The edition `name` published at `site_url` (mike deploy: <site>/<edition>/), dated the
    day of the build, or only its month when the build day lies outside the edition's month."""
    today = today or build_date()
    url = site_url if site_url.endswith("/") else site_url + "/"
    match = EDITION_NAME.fullmatch(name)
    issued: tuple[int, ...] = (today.year, today.month, today.day)
    if match and (int(match[1]), int(match[2])) != (today.year, today.month):
        issued = (int(match[1]), int(match[2]))
    preview = not match or (urlsplit(url).hostname or "") in LOCAL_HOSTS
    return Edition(name=name, url=url, issued=issued, preview=preview)


_BUILDING: dict[tuple[str, str], Edition] = {}


def current(name: str, site_url: str) -> Edition:
    """The edition of this build, the same object for every page and macro."""
    if (name, site_url) not in _BUILDING:
        _BUILDING[(name, site_url)] = edition(name, site_url)
    return _BUILDING[(name, site_url)]


def built() -> Edition | None:
    """The edition the pages of this build cite (None before any page asked for it)."""
    return next(reversed(_BUILDING.values()), None)


def _key(edition_name: str, path: str, lang: str = "en") -> str:
    """kusb_<edition>_<path>; another language's record (its own title and words) is another
    item in a reference manager: kusb_<edition>_<lang>_<path>."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path.strip("/")).strip("_") or "edition"
    ed = re.sub(r'[^A-Za-z0-9]+', '_', edition_name)
    return f"kusb_{ed}_{slug}" if lang == "en" else f"kusb_{ed}_{lang}_{slug}"


def _t(lang: str, msgid: str, **values) -> str:
    from . import i18n
    return i18n.t(lang, msgid, **values)


def portal_name(lang: str = "en") -> str:
    """The portal's name in `lang`, its author and publisher: '한미 통상 브리핑' in Korean."""
    return _t(lang, PORTAL)


def _author(record: dict) -> str:
    return record["author"][0]["literal"]


def _record(ed: Edition, *, key: str, kind: str, title: str, path: str,
            notes: list[str] = (), lang: str = "en") -> dict:
    name = portal_name(lang)
    record = {"id": key, "type": kind, "title": title, "author": [{"literal": name}],
              "publisher": name, "issued": {"date-parts": [list(ed.issued)]},
              "URL": ed.url + path, "language": lang}
    notes = [*notes, *([_t(lang, PREVIEW_NOTE)] if ed.preview else [])]
    if notes:
        record["note"] = ". ".join(notes)
    return record


def _data_note(publishers: list[str], lang: str = "en") -> list[str]:
    return [_t(lang, "Data: %(sources)s", sources=", ".join(dict.fromkeys(publishers)))] \
        if publishers else []


def edition_record(ed: Edition, *, lang: str = "en") -> dict:
    """The whole edition, a report numbered by its edition name."""
    return {**_record(ed, key=_key(ed.name, "", lang), kind="report", title=portal_name(lang),
                      path="", lang=lang),
            "genre": _t(lang, GENRE), "number": ed.name}


def page_record(ed: Edition, *, title: str, path: str, publishers: list[str] = (),
                lang: str = "en") -> dict:
    """One page of one edition (`path` relative to the edition root), a report; `lang`: the
    page's language, which its title, notes, key and citeproc's terms are in."""
    if not path:
        return edition_record(ed, lang=lang)
    return {**_record(ed, key=_key(ed.name, path, lang), kind="report", title=title, path=path,
                      notes=_data_note(publishers, lang), lang=lang),
            "genre": _t(lang, GENRE), "number": ed.name}


def figure_record(ed: Edition, *, figure_id: str, title: str, number: int, page_title: str,
                  path: str, publishers: list[str], lang: str = "en") -> dict:
    """Figure `number` of a page, by its anchor on that page of this edition."""
    return {**_record(ed, key=_key(ed.name, f"{path}figure_{figure_id}", lang), kind="figure",
                      title=title, path=f"{path}#figure-{figure_id}",
                      notes=_data_note(publishers, lang), lang=lang),
            "container-title": page_title, "number": _t(lang, "Figure %(number)s", number=number),
            "version": ed.name}


def number_record(ed: Edition, *, indicator_id: str, title: str, period: str,
                  publishers: list[str], dims: dict | None = None, lang: str = "en") -> dict:
    """One observation of an indicator, by its row on the indicator page of this edition; its
    title names the dimensions' values in `lang` (중국, 중간재), its key by their codes."""
    from . import i18n
    label = ", ".join([title, *[i18n.dimension(k, v, lang) for k, v in (dims or {}).items()],
                       str(period)])
    suffix = "_".join([indicator_id, *[str(v) for v in (dims or {}).values()], str(period)])
    return {**_record(ed, key=_key(ed.name, suffix, lang), kind="dataset", title=label,
                      path=f"indicators/{indicator_id}/#p-{period}",
                      notes=_data_note(publishers, lang), lang=lang),
            "version": ed.name}


def latest_record(record: dict, ed: Edition) -> dict | None:
    """The same thing cited at the moving `latest` URL: no date, no edition, an access date
    (ACCESS_MARKER until the reader's browser fills in the day); None without such a URL."""
    if not ed.latest_url or not record["URL"].startswith(ed.url):
        return None
    out = {k: v for k, v in record.items() if k not in ("issued", "number", "genre", "version")}
    if record["type"] == "figure":
        out["number"] = record["number"]
    out.update(id=record["id"] + "_latest", URL=ed.latest_url + record["URL"][len(ed.url):],
               accessed={"date-parts": [list(ACCESS_MARKER)]})
    return out


# --- Renderers: every form comes from the record ---------------------------------------------

def _override(locale: str) -> Path:
    return STYLE_DIR / LOCALE_OVERRIDE.format(language=locale.split("-")[0])


@functools.cache
def style_source(name: str, locale: str = "en-US") -> bytes:
    """The vendored style `name` as citeproc reads it for `locale`: with the language's
    <locale> override (LOCALE_OVERRIDE) after its <info>, where CSL puts in-style locales."""
    from lxml import etree
    path = STYLE_DIR / STYLES[name]
    if not _override(locale).exists():
        return path.read_bytes()
    style = etree.parse(str(path))
    style.getroot().find("{http://purl.org/net/xbiblio/csl}info").addnext(
        etree.parse(str(_override(locale))).getroot())
    return etree.tostring(style, xml_declaration=True, encoding="utf-8")


@functools.cache
def _style(name: str, locale: str = "en-US"):
    import io

    from citeproc import CitationStylesStyle
    return CitationStylesStyle(io.BytesIO(style_source(name, locale)), locale=locale,
                               validate=False)


def formatted(record: dict, style: str, *, html: bool = False) -> str:
    """The bibliography entry of `record` in `style` ("apa" or "chicago"), by citeproc-py: HTML
    (italics), or its text, which is citeproc's plain output (tests/test_citations.py checks)."""
    return _templated(_escaped(record), style, html=html)


@functools.lru_cache(maxsize=4096)  # a page's cite block and every download ask again
def _text(html: str) -> str:
    import lxml.html
    return lxml.html.fromstring(f"<p>{html}</p>").text_content()


def _escaped(value):
    """The record with `& < >` in its text as HTML entities: citeproc-py's HTML formatter
    writes text as it gets it, so a title from data would otherwise become markup."""
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


CACHE_DIR = datasets.ROOT / ".cache" / "citations"


@functools.cache
def _renderer_key(style: str) -> str:
    """What a formatted citation depends on besides its record: the style file, the locale
    overrides and citeproc-py."""
    from importlib.metadata import version
    overrides = b"".join(p.read_bytes() for p in sorted(STYLE_DIR.glob(
        LOCALE_OVERRIDE.format(language="*"))))
    return hashlib.sha256((STYLE_DIR / STYLES[style]).read_bytes() + overrides
                          + version("citeproc-py").encode()).hexdigest()


@functools.lru_cache(maxsize=4096)  # a number shown on several pages is rendered once
def _formatted(record_json: str, style: str) -> str:
    """citeproc's rendering, cached on disk by a hash of (record, style file, citeproc-py):
    about 20 ms a citation, which a build that changed nothing should not pay again."""
    key = hashlib.sha256(f"{_renderer_key(style)}\n{style}\n{record_json}".encode()).hexdigest()
    path = CACHE_DIR / key[:2] / f"{key}.html"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    out = _render(record_json, style)
    atomic.write(path, out.encode("utf-8"))
    return out


# A build cites thousands of numbers, figures and pages whose records differ only in their id,
# title, URL and container title, and citeproc-py takes about 20 ms a record. So a record is
# formatted as a template: those fields replaced by probe tokens, rendered once per remaining
# content, then filled in. A probe mixes case, a stop word, periods, a quote and punctuation,
# and keeps its field's first and last character class, so whatever the style does to the field
# shows in the probe: a text case (found by citeproc-py's own TextCased, then applied to the
# value), or anything else (stripped periods, smart quotes), which leaves the template unused.
# The first record of each template is also rendered in full and compared; any difference, or
# a field with other characters, falls back to citeproc itself.
FILLED = ("id", "title", "URL", "container-title")
_PLAIN = re.compile(r"[\w .,:;/()#%+'\-–]*")
_CORE = "xq{n}z of qz Qz.a,b:c;d/e(f)#g%h+i'j-k–l"
_CASES = (None, "title", "capitalize-first", "capitalize-all", "sentence", "lowercase", "uppercase")
_TEMPLATES: dict[tuple, dict | None] = {}  # (template JSON, style) -> each field's text case
_CHECKED: dict[tuple, bool] = {}  # (template JSON, style, html) -> its first fill was citeproc's


def _class(char: str) -> str:
    """A representative of `char`'s class for text case and punctuation: A, a, 0, 가 or itself."""
    if char.isascii():
        return "A" if char.isupper() else "a" if char.islower() else "0" if char.isdigit() else char
    if char.isalpha() and char.upper() == char.lower():
        return "가"  # a letter without case (Hangul)
    return char  # a cased non-ASCII letter, or punctuation: the same shape only with itself


@functools.cache
def _case_element(case: str):
    """An object citeproc-py's TextCased.case accepts as a `text-case="<case>"` element."""
    from citeproc.model import TextCased

    class Cased(TextCased):
        def get(self, name, default=None):
            return case if name == "text-case" else default
    return Cased()


def _cased(text: str, case: str | None, language: str) -> str:
    if case is None:
        return text
    from citeproc.string import String
    return str(_case_element(case).case(String(text), language))


def _fields_cases(raw: str, probes: dict, language: str) -> dict | None:
    """Each probed field's text case in the template's output `raw` (None: not shown), or None
    when some probe was changed otherwise."""
    cases = {}
    for n, key in enumerate(sorted(probes)):
        if f"xq{n}z" not in raw.lower():
            cases[key] = None
            continue
        case = next((c for c in _CASES if _cased(probes[key], c, language) in raw), False)
        if case is False:
            return None
        cases[key] = case
    return cases


def _templated(record: dict, style: str, *, html: bool = True) -> str:
    """`_formatted(record)` (or its text), from a template shared by records that differ only
    in FILLED; the first fill of each template and form is checked against citeproc."""
    form = (lambda out: out) if html else _text
    exact = json.dumps(record, sort_keys=True, ensure_ascii=False)
    filled = {k: v for k, v in record.items() if k in FILLED}
    if not all(isinstance(v, str) and v and _PLAIN.fullmatch(v) for v in filled.values()):
        return form(_formatted(exact, style))
    probes = {k: _class(v[0]) + _CORE.format(n=n) + _class(v[-1])
              for n, (k, v) in enumerate(sorted(filled.items()))}
    template = json.dumps({**record, **probes}, sort_keys=True, ensure_ascii=False)
    raw = _formatted(template, style)
    language = str(record.get("language", "en"))[:2]
    if (template, style) not in _TEMPLATES:
        _TEMPLATES[template, style] = _fields_cases(raw, probes, language)
    cases = _TEMPLATES[template, style]
    if cases is None:
        return form(_formatted(exact, style))
    out = form(raw)  # a filled value has no markup: its text is itself
    for key, case in cases.items():
        out = out.replace(_cased(probes[key], case, language), _cased(filled[key], case, language))
    if (template, style, html) not in _CHECKED:
        _CHECKED[template, style, html] = out == form(_formatted(exact, style))
    return out if _CHECKED[template, style, html] else form(_formatted(exact, style))


def _render(record_json: str, style: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON
    record = json.loads(record_json)  # citeproc-py edits its input: a fresh copy each time
    locale = CSL_LOCALES.get(record.get("language", "en"), "en-US")
    bib = CitationStylesBibliography(_style(style, locale), CiteProcJSON([record]),
                                     formatter.html)
    bib.register(Citation([CitationItem(record["id"])]))
    return str(bib.bibliography()[0])


def csl_json(record: dict) -> str:
    """The record as a CSL-JSON file (a list of one item)."""
    return json.dumps([record], ensure_ascii=False, indent=2) + "\n"


@functools.cache
def _latex():
    import logging
    from pylatexenc.latexencode import UnicodeToLatexEncoder
    logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)  # Hangul stays UTF-8
    return UnicodeToLatexEncoder(unknown_char_policy="keep")


@functools.lru_cache(maxsize=8192)  # the portal's name, publishers and notes recur in every entry
def _to_latex(text: str) -> str:
    return _latex().unicode_to_latex(text)


BIBTEX_TYPES = {"report": "techreport", "figure": "misc", "dataset": "misc"}


def _ymd(date: dict) -> list[int]:
    return list(date["date-parts"][0])


def bibtex(record: dict) -> str:
    """The record as a BibTeX entry, written by bibtexparser with every value LaTeX-encoded
    (pylatexenc: $ # ~ { } & % _ and non-ASCII), the organisation author in double braces
    (one name, never split), month as a BibTeX macro, URLs verbatim."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    def enc(text: str) -> str:
        """LaTeX-encoded, the Korean middle dot kept as UTF-8 like Hangul: citation-js reads
        pylatexenc's \\textperiodcentered as a dot accent (˙)."""
        return "·".join(map(_to_latex, text.split("·")))

    fields = [Field("author", "{" + enc(_author(record)) + "}"),
              Field("title", enc(record["title"]))]
    kind = BIBTEX_TYPES[record["type"]]
    if kind == "techreport":
        fields.append(Field("institution", enc(record["publisher"])))
        fields += [Field(name, enc(record[key])) for name, key in
                   (("type", "genre"), ("number", "number")) if record.get(key)]
    else:
        fields.append(Field("publisher", enc(record["publisher"])))
        if record.get("container-title"):
            fields.append(Field("howpublished", enc(
                f"{record['number']} in: {record['container-title']}"
                if record.get("language", "en") == "en"
                else f"{record['container-title']}, {record['number']}")))
        if record.get("version"):
            fields.append(Field("version", enc(record["version"])))
    if "issued" in record:
        ymd = _ymd(record["issued"])
        fields.append(Field("year", ymd[0]))
        if len(ymd) > 1:
            fields.append(Field("month", MONTHS[ymd[1] - 1][:3].lower(), enclosing="no-enclosing"))
        fields.append(Field("date", "-".join(f"{p:02d}" for p in ymd)))
    fields.append(Field("url", record["URL"]))
    if "accessed" in record:
        fields.append(Field("urldate", "-".join(f"{p:02d}" for p in _ymd(record["accessed"]))))
    if record.get("note"):
        fields.append(Field("note", enc(record["note"])))
    fields.append(Field("langid", {"ko": "korean"}.get(record.get("language"), "english")))
    library = bibtexparser.Library([Entry(kind, record["id"], fields)])
    return bibtexparser.write_string(library)


RIS_TYPES = {"report": "RPRT", "figure": "FIGURE", "dataset": "DATA"}


def ris(record: dict) -> str:
    """The record as RIS, written by rispy. Zotero reads an AU without a comma as one
    (organisation) name, PB as a report's institution, SN as its number, M3 as its type."""
    import rispy
    entry = {"type_of_reference": RIS_TYPES[record["type"]], "authors": [_author(record)],
             "title": record["title"], "publisher": record["publisher"],
             "urls": [record["URL"]], "language": record.get("language", "en")}
    if "issued" in record:
        ymd = _ymd(record["issued"])
        entry["year"] = str(ymd[0])
        entry["date"] = "/".join(f"{p:02d}" for p in ymd) + ("/" * (3 - len(ymd)))
    if record["type"] == "report" and "number" in record:
        entry.update(issn=record["number"], type_of_work=record["genre"])
    if record.get("container-title"):
        entry["secondary_title"] = record["container-title"]
    if record.get("version"):
        entry["edition"] = record["version"]
    if "accessed" in record:
        entry["access_date"] = "/".join(f"{p:02d}" for p in _ymd(record["accessed"]))
    if record.get("note"):
        entry["notes"] = [record["note"]]
    # A line break in a value would start a new RIS tag ("\nTY  - …"): one line each.
    entry = {k: ([" ".join(str(x).split()) for x in v] if isinstance(v, list)
                 else " ".join(str(v).split())) for k, v in entry.items()}

    class Writer(rispy.RisWriter):
        def set_header(self, count):  # rispy numbers references ("1."); RIS has no such line
            return ""
    return rispy.dumps([entry], implementation=Writer)


def highwire(record: dict, *, pdf_url: str | None = None) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` tags of a page's record, for Google Scholar and Zotero:
    a full date (YYYY/MM/DD) or a year; the report's institution and number, so Zotero types it
    as a report; the author as "Name," — Zotero then keeps the organisation as one last name
    (its cleanAuthor splits a name without a comma into first and last)."""
    ymd = _ymd(record["issued"])
    date = "/".join(f"{p:02d}" for p in ymd) if len(ymd) == 3 else str(ymd[0])
    tags = [("citation_title", record["title"]), ("citation_author", f"{_author(record)},"),
            ("citation_publication_date", date),
            ("citation_technical_report_institution", record["publisher"]),
            ("citation_technical_report_number", record.get("number", "")),
            ("citation_publisher", record["publisher"]),
            ("citation_language", record.get("language", "en")),
            ("citation_public_url", record["URL"]), ("citation_fulltext_html_url", record["URL"])]
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return [(k, v) for k, v in tags if v]


def forms(record: dict) -> dict:
    """Every form of one record: APA and Chicago (HTML and plain), BibTeX, RIS, CSL-JSON."""
    return {"record": record, "csl": csl_json(record), "bibtex": bibtex(record),
            "ris": ris(record),
            **{f"{s}{suffix}": formatted(record, s, html=html) for s in STYLES
               for suffix, html in (("", True), ("_text", False))}}


def citation_forms(record: dict, ed: Edition) -> dict:
    """forms() of the edition citation and, where the edition has one, of its `latest` variant."""
    latest = latest_record(record, ed)
    return {"edition": forms(record), "latest": forms(latest) if latest else None,
            "preview": ed.preview, "marker": marker_words(record.get("language", "en"))}


def marker_words(lang: str = "en") -> dict:
    """ACCESS_MARKER as each form writes it, for the browser to replace with the reader's day:
    the text as citeproc's locale for `lang` writes a long date ('January 1, 1900',
    '1900년 1월 1일': Babel's long date, which cite.js writes with Intl in the same `locale`)."""
    from babel.dates import format_date
    y, m, d = ACCESS_MARKER
    locale = CSL_LOCALES.get(lang, "en-US")
    return {"text": format_date(datetime.date(y, m, d), "long", locale=locale.replace("-", "_")),
            "iso": f"{y:04d}-{m:02d}-{d:02d}", "ris": f"{y:04d}/{m:02d}/{d:02d}",
            "locale": locale}


def number_citation(ed: Edition, *, indicator_id: str, title: str, period: str,
                    publishers: list[str], dims: dict | None = None,
                    lang: str = "en") -> tuple[dict, str]:
    """A number's record and its APA text (for the tooltip)."""
    record = number_record(ed, indicator_id=indicator_id, title=title, period=period,
                           publishers=publishers, dims=dims, lang=lang)
    return record, formatted(record, "apa")
