#!/usr/bin/env python3
"""Refresh datasets from their publishers (`make data [DATASETS=a,b]`), review, then write data/.

Every dataset with a machine-readable publisher source is fetched into a staged copy of data/,
validated (Frictionless, then every indicator's own checks), compared with the current data
(rows added/revised/removed, every published number that would move and the pages showing it,
from a strict build of the site on the staged data), and only then moved into data/. A failed
or interrupted refresh leaves data/ as it was. See README, "Refreshing data".
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import datasets  # noqa: E402
from macros.errors import PortalError  # noqa: E402
from macros.refresh import census_datasets, descriptor, diff, file_datasets, review, staging  # noqa: E402
from macros.refresh.context import Context  # noqa: E402
from macros.sources.http import Client  # noqa: E402

REFRESHERS = {
    "us_korea_goods_trade": census_datasets.us_korea_goods_trade,
    "us_duties_on_korea": census_datasets.us_duties_on_korea,
    "us_trade_by_partner": census_datasets.us_trade_by_partner,
    "us_tariff_tracker_daily": file_datasets.us_tariff_tracker_daily,
    "hs2022_bec4": file_datasets.hs2022_bec4,
}
NO_SOURCE = {
    "reported_figures": "figures quoted from reports, entered by hand",
    "bec4_classes": "BEC Rev.4 names and SNA classes from the UN manual, entered by hand",
    "us_imports_kor_hs10_2024": "not refreshed yet (Census HS10 lines with duties)",
    "us_statutory_tariff_by_country": "third-party CSV (trade-war-redux-2025), no publisher API",
    "us_hs2_tariff_korea": "third-party CSV (trade-war-redux-2025), no publisher API",
}


def _arguments(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", default=os.environ.get("DATASETS", ""),
                    help="comma-separated dataset ids (default: every one with a source)")
    ap.add_argument("--data-dir", type=Path,
                    default=Path(os.environ.get("PORTAL_DATA_DIR") or ROOT / "data"))
    ap.add_argument("--dry-run", action="store_true", help="review only; write nothing to data/")
    ap.add_argument("--no-build", action="store_true",
                    help="skip the site build (the review then lists no pages)")
    ap.add_argument("--today", type=date.fromisoformat,
                    default=date.fromisoformat(os.environ.get("PORTAL_REFRESH_DATE") or
                                               date.today().isoformat()),
                    help="the refresh date (vintage year, last year asked for); default today")
    ap.add_argument("--review", type=Path, help="where to write the review "
                    "(default <data>/../.cache/refresh/review.md)")
    return ap.parse_args(argv)


def _selected(text: str) -> list[str]:
    wanted = [d.strip() for d in text.split(",") if d.strip()] or list(REFRESHERS)
    for d in wanted:
        if d in NO_SOURCE:
            raise PortalError(f"dataset {d!r} has no refresh: {NO_SOURCE[d]}; edit its files by hand")
        if d not in REFRESHERS:
            raise PortalError(f"unknown dataset {d!r}; refreshable: {', '.join(REFRESHERS)}")
    return wanted


def run(args) -> int:
    data_dir = args.data_dir.resolve()
    ids = _selected(args.datasets)
    work = staging.workdir(data_dir)
    work.mkdir(parents=True, exist_ok=True)
    ctx = Context(today=args.today, http=Client())
    print(f"Refreshing {', '.join(ids)} into a staged copy of {data_dir} (data/ is untouched "
          "until every check passes)", flush=True)
    try:
        current = None
        note = ""
        try:
            current = review.record(data_dir, "current data")
        except PortalError as exc:
            note = f"The current data do not compute ({exc}); moved numbers cannot be listed."
        staged = staging.stage(data_dir)
        for dataset_id in ids:
            result = REFRESHERS[dataset_id](staged / dataset_id, ctx)
            files = staging.changed_files(data_dir, staged, [dataset_id])
            descriptor.update(staged / dataset_id, result, ctx, files_changed=bool(files))
            print(f"[{dataset_id}] {len(result.fetches)} responses; {result.release}", flush=True)
        print("Validating the staged data (Frictionless, then every indicator) …", flush=True)
        datasets.use_data_dir(staged)
        for dataset_id in ids:
            datasets.get(dataset_id)
        new = review.record(staged, "staged data")
        rev = review.Review(rows={d: diff.dataset(data_dir / d, staged / d) for d in ids}, note=note)
        if current is not None:
            rev.moved, rev.changed_data = editions_changes(current, new)
        if not args.no_build and rev.moved:
            print("Building the site on the staged data to find the pages each number is on …",
                  flush=True)
            previous = work / "current-edition.json"
            previous.write_text(json.dumps(current), encoding="utf-8")
            built, rev.build_error = review.build(staged, previous, work / "site")
            rev.build_ran = True
            if built:
                review.attach_pages(rev, built)
        text = review.markdown(rev)
        target = args.review or work / "review.md"
        target.write_text(text, encoding="utf-8")
        print("\n" + text)
        print(f"Review written to {target}")
        files = staging.changed_files(data_dir, staged, ids)
        if args.dry_run:
            print(f"Dry run: {len(files)} files would change; data/ is unchanged.")
        elif files:
            staging.commit(data_dir, staged, files)
            print(f"Wrote {len(files)} files into {data_dir}: {', '.join(files)}")
        else:
            print("Nothing changed: data/ is as it was.")
        if rev.build_error:
            print("WARNING: the site no longer builds on the new data; `make build` will fail "
                  "until the pages are fixed (see 'Pages that no longer build' in the review).")
        return 0
    finally:
        datasets.use_data_dir(data_dir)
        staging.discard(data_dir)


def editions_changes(old, new):
    from macros import editions
    return editions.changes(old, new)


def _stop(signum, frame):
    raise KeyboardInterrupt   # `kill` cleans up like Ctrl-C: staged copy removed, data/ intact


def main(argv=None) -> int:
    args = _arguments(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    try:
        return run(args)
    except PortalError as exc:
        print(f"error: {exc}\nNothing was written: data/ is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was written, data/ is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
