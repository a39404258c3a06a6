"""Datasets whose publisher ships a whole file: the tariff tracker (parquet) and the UNSD
HS 2022 -> BEC Rev.4 correlation table (Excel). Each is rewritten whole from that file."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import PortalError
from ..sources import tracker, unsd
from . import csvtext
from .context import Context, Refreshed

TRACKER_NAMES = {"CTY_NAME": "cty_name", "effective tariff": "statutory_effective_tariff"}


def us_tariff_tracker_daily(folder: Path, ctx: Context) -> Refreshed:
    """daily.csv from the tracker's parquet, numbers to 6 significant digits as before."""
    label = "us_tariff_tracker_daily"
    frame, fetch = tracker.daily(ctx.http, label=label)
    frame = frame.rename(columns=TRACKER_NAMES)
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
    header, _ = csvtext.read(folder / "daily.csv")
    missing = [c for c in header if c not in frame.columns]
    if missing:
        raise PortalError(f"{label}: the tracker file lacks {missing} for daily.csv")
    text = frame[header].to_csv(index=False, float_format="%g", lineterminator="\n")
    (folder / "daily.csv").write_text(text, encoding="utf-8")
    with_duties = frame.dropna(subset=["simplemean"])["date"]
    last = with_duties.max() if len(with_duties) else frame["date"].max()
    release = (f"TRI-tracker {tracker.PATH}, sha256 {fetch.sha256[:12]}, daily to "
               f"{frame['date'].max()} (duty-based measures to {last})")
    return Refreshed([fetch], release, frame["date"].max(),
                     widen=[("daily", "date", frame["date"].max(), None)])


def hs2022_bec4(folder: Path, ctx: Context) -> Refreshed:
    """correspondence.csv from the UNSD workbook's correlation sheet, in the sheet's order."""
    label = "hs2022_bec4"
    rows, fetch, sheet = unsd.hs2022_bec4(ctx.http, label=label)
    header, _ = csvtext.read(folder / "correspondence.csv")
    csvtext.write(folder / "correspondence.csv", header,
                  [dict(zip(header, row)) for row in rows])
    release = f"UNSD {unsd.FILE}, sheet {sheet!r}, sha256 {fetch.sha256[:12]}"
    return Refreshed([fetch], release, "")
