"""The Atom and RSS feed of editions and briefings: `feed.xml` (Atom) and `rss.xml` (RSS 2.0).

Readers subscribe at <site>/latest/feed.xml and learn of each new edition; every entry links to a
permanent edition URL. Written with feedgen rather than mkdocs-rss-plugin: that plugin makes one
entry per page dated from the git log (wrong in a clean checkout of a tag) and knows nothing of
editions, which live on the gh-pages branch, not in the sources. The editions come from mike's
`versions.json` when the release hands it over (PORTAL_EDITIONS, a path), else this edition only.
"""
from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from .citations import EDITION_NAME, PORTAL, Edition

EDITIONS_ENV = "PORTAL_EDITIONS"
BRIEFINGS: dict[str, str] = {}  # path of each briefing in this edition -> its title


def _when(issued: tuple[int, ...]) -> datetime.datetime:
    y, m, d = (*issued, 1, 1)[:3]
    return datetime.datetime(y, m, d, tzinfo=datetime.timezone.utc)


def editions(ed: Edition) -> list[tuple[str, datetime.datetime]]:
    """(edition name, date) of every published edition and this one, newest first."""
    found = {ed.name: _when(ed.issued)}
    path = os.environ.get(EDITIONS_ENV)
    if path:
        for entry in json.loads(Path(path).read_text(encoding="utf-8")):
            match = EDITION_NAME.fullmatch(str(entry.get("version", "")))
            if match and entry["version"] not in found:
                found[entry["version"]] = _when((int(match[1]), int(match[2])))
    return sorted(found.items(), key=lambda item: (item[1], item[0]), reverse=True)


def build(ed: Edition):
    from feedgen.feed import FeedGenerator
    root = ed.url[:-len(ed.name) - 1] if ed.latest_url else ed.url
    fg = FeedGenerator()
    fg.id(f"{root}latest/feed.xml" if ed.latest_url else f"{ed.url}feed.xml")
    fg.title(f"{PORTAL}: editions and briefings")
    fg.subtitle("Each dated edition of the briefings, and the briefings of the newest one, "
                "at their permanent URLs.")
    fg.author({"name": PORTAL})
    fg.link(href=f"{ed.url}feed.xml", rel="self")
    fg.link(href=ed.url, rel="alternate")
    fg.language("en")
    when = _when(ed.issued)
    fg.updated(when)
    items = [(f"{ed.url}{path}", f"{title} (edition {ed.name})",
              f"{title}, in edition {ed.name} of {PORTAL} ({ed.date_words}).", when)
             for path, title in BRIEFINGS.items()]
    for name, date in editions(ed):
        url = f"{root}{name}/" if ed.latest_url else ed.url
        items.append((url, f"Edition {name}", f"Edition {name} of {PORTAL}.", date))
    for url, title, summary, date in sorted(items, key=lambda i: i[3]):  # feedgen prepends
        entry = fg.add_entry()
        entry.id(url)
        entry.title(title)
        entry.link(href=url)
        entry.summary(summary)
        entry.updated(date)
        entry.published(date)
    return fg


def write(site: Path, ed: Edition) -> None:
    fg = build(ed)
    fg.atom_file(str(site / "feed.xml"), pretty=True)
    fg.rss_file(str(site / "rss.xml"), pretty=True)
