"""`make data` against local publishers that answer in each publisher's own format, with real
values taken from this repository's data/ (Census JSON arrays of strings, 204, the missing-key
redirect, the invalid-key page, plain-text errors; the tracker's parquet; UNSD's workbook)."""
from __future__ import annotations

import csv
import filecmp
import hashlib
import http.server
import importlib.util
import io
import json
import os
import shutil
import threading
import urllib.parse
import zipfile
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from macros import datasets
from macros.errors import PortalError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "publishers"
KEY = "k3y-0f-the-test-7a1c9e"
TODAY = "2026-11-15"
CENSUS_SETS = "us_korea_goods_trade,us_duties_on_korea"


def _load_script():
    spec = importlib.util.spec_from_file_location("refresh_data", ROOT / "scripts" / "refresh_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


refresh_data = _load_script()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _usd_for(musd: list[str], annual: str) -> list[int]:
    """Whole-dollar months that round to the published 0.1 millions and sum to the annual."""
    base = [round(float(m) * 10) * 100_000 for m in musd]
    rest = round(float(annual) * 10) * 100_000 - sum(base)
    share, extra = divmod(rest, len(base))
    return [b + share + (1 if i < extra else 0) for i, b in enumerate(base)]


class Publishers:
    """What the Census API, UNSD and the tracker 'publish', read from a copy of data/."""

    def __init__(self, data: Path):
        self.exports: dict[tuple, int] = {}            # KOR (y, m) -> ALL_VAL_MO
        self.imports: dict[tuple, dict] = defaultdict(dict)  # KOR (y, m) -> GEN/CON/CAL
        self.partners: dict[tuple, dict] = defaultdict(dict)  # (y, m) -> code -> row
        for r in _rows(data / "us_trade_by_partner" / "monthly.csv"):
            ym = (int(r["year"]), int(r["month"]))
            self.partners[ym][r["cty_code"]] = {
                "CTY_NAME": r["cty_name"],
                "ALL_VAL_MO": r["exports_total_usd"].removesuffix(".0"),
                "GEN_VAL_MO": r["imports_general_usd"].removesuffix(".0")}
            if r["cty_code"] == "5800" and ym[0] < 2024:
                self.exports[ym] = int(r["exports_total_usd"].removesuffix(".0"))
                self.imports[ym]["GEN_VAL_MO"] = int(r["imports_general_usd"].removesuffix(".0"))
        lines = [r for r in _rows(data / "us_korea_goods_trade" / "monthly_lines.csv")
                 if r["country_code"] == "KOR" and r["exports_musd"]]
        annual = {r["year"]: r for r in _rows(data / "us_korea_goods_trade" / "annual.csv")
                  if r["vintage"] == "2026"}
        for year in ("2024", "2025", "2026"):
            months = [r for r in lines if r["year"] == year]
            ex = _usd_for([r["exports_musd"] for r in months], annual[year]["us_exports_musd"])
            im = _usd_for([r["imports_musd"] for r in months], annual[year]["us_imports_general_musd"])
            for r, e, i in zip(months, ex, im):
                self.exports[int(year), int(r["month"])] = e
                self.imports[int(year), int(r["month"])]["GEN_VAL_MO"] = i
        for r in _rows(data / "us_duties_on_korea" / "monthly_lines.csv"):
            if r["country_code"] == "KOR" and r["duties_usd"]:
                ym = (int(r["year"]), int(r["month"]))
                self.imports[ym].update(CON_VAL_MO=int(r["import_value_usd"]),
                                        CAL_DUT_MO=int(r["duties_usd"]))
        self.parquet = (FIXTURES / "tri-all-country-data.parquet").read_bytes()
        self.workbook = _workbook(_rows(data / "hs2022_bec4" / "correspondence.csv"))
        self.faults: list[tuple[str, int, dict, bytes]] = []   # (path part, status, headers, body)
        self.renamed: dict[str, str] = {}
        self.seen: list[str] = []

    def census(self, endpoint: str, query: dict) -> tuple[int, dict, bytes]:
        get = query["get"][0].split(",")
        code = query.get("CTY_CODE", [None])[0]
        time = query["time"][0].split()
        months = ([(int(time[1][:4]), m) for m in range(int(time[1][5:]), int(time[3][5:]) + 1)]
                  if time[0] == "from" else [(int(time[0][:4]), int(time[0][5:]))])
        header = [*get, *(["CTY_CODE"] if code else []), "time"]
        rows = []
        for y, m in months:
            if code == "5800":
                values = {"CTY_NAME": "KOREA, SOUTH", "CTY_CODE": "5800",
                          **({"ALL_VAL_MO": self.exports.get((y, m))} if endpoint == "exports"
                             else self.imports.get((y, m), {}))}
                if endpoint == "exports" and values["ALL_VAL_MO"] is None or \
                        endpoint == "imports" and (y, m) not in self.imports:
                    continue
                partners = [values]
            else:
                column = "ALL_VAL_MO" if endpoint == "exports" else "GEN_VAL_MO"
                partners = [{"CTY_CODE": c, **v} for c, v in self.partners.get((y, m), {}).items()
                            if v[column] != ""]
            for v in partners:
                rows.append(["" if v.get(h) is None else str(v.get(h)) for h in header[:-1]]
                            + [f"{y}-{m:02d}"])
        if not rows:
            return 204, {}, b""
        header = [self.renamed.get(h, h) for h in header]
        return 200, {"Content-Type": "application/json;charset=utf-8"}, \
            json.dumps([header, *rows]).encode()


def _workbook(rows: list[dict]) -> bytes:
    """An .xlsx laid out like UNSD's: a conversion sheet, then the correlation sheet."""
    def sheet(table):
        out = []
        for n, row in enumerate(table, 1):
            cells = "".join(f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                            for i, v in enumerate(row))
            out.append(f'<row r="{n}">{cells}</row>')
        return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
                'formats.org/spreadsheetml/2006/main"><sheetData>' + "".join(out) +
                "</sheetData></worksheet>")
    conversion = [["From HS 2022", "To BEC 4"]] + [[r["hs2022_hs6"], r["bec4"]] for r in rows]
    correlation = [["HS 2022", "BEC 4", "Relationship"]] + \
        [[r["hs2022_hs6"], r["bec4"], r["relationship"]] for r in rows]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxml'
                   'formats.org/officeDocument/2006/relationships"><sheets><sheet name="Conversion'
                   ' Table" sheetId="1" r:id="rId1"/><sheet name="Correlation Table" sheetId="2" '
                   'r:id="rId2"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="'
                   'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                   'Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                   'Target="worksheets/sheet2.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet(conversion))
        z.writestr("xl/worksheets/sheet2.xml", sheet(correlation))
    return buf.getvalue()


@pytest.fixture
def publishers(tmp_path, monkeypatch):
    """A copy of data/, and a local server answering as the three publishers do."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    pub = Publishers(data)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            pub.seen.append(self.path)
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            for i, (part, status, headers, body) in enumerate(pub.faults):
                if part in self.path:
                    del pub.faults[i]
                    return self._send(status, headers, body)
            if url.path.startswith("/census/"):
                if not query.get("key", [""])[0]:
                    return self._send(302, {"Location": "https://api.census.gov/data/missing_key.html",
                                            "X-DataWebAPI-KeyError": "1"}, b"")
                if query["key"][0] != KEY:
                    return self._send(200, {"Content-Type": "text/html"},
                                      b"<html><head><title>Invalid Key</title></head><body><p>"
                                      b"Invalid Key</p><p>A valid <em>key</em> must be included "
                                      b"with each data API request.</p></body></html>")
                endpoint = url.path.split("/")[2]
                return self._send(*pub.census(endpoint, query))
            if url.path == "/tracker/data/tri-all-country-data.parquet":
                return self._send(200, {"Content-Type": "application/octet-stream"}, pub.parquet)
            if url.path == "/unsd/HS2022toBEC4ConversionAndCorrelationTables.xlsx":
                return self._send(200, {"Content-Type": "application/vnd.openxmlformats-"
                                        "officedocument.spreadsheetml.sheet"}, pub.workbook)
            self._send(404, {"Content-Type": "text/plain"}, b"not found")

        def _send(self, status, headers, body):
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for name, path in (("PORTAL_CENSUS_API_URL", "/census"), ("PORTAL_TRACKER_URL", "/tracker"),
                       ("PORTAL_UNSD_URL", "/unsd")):
        monkeypatch.setenv(name, base + path)
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    monkeypatch.setenv("PORTAL_FETCH_PAUSE", "0")
    monkeypatch.setenv("PORTAL_FETCH_BACKOFF", "0.01")
    monkeypatch.delenv("DATASETS", raising=False)
    before = datasets.DATA_DIR
    pub.data = data
    yield pub
    server.shutdown()
    datasets.use_data_dir(before)


def refresh(pub, *args: str, datasets_: str = CENSUS_SETS) -> int:
    return refresh_data.main(["--data-dir", str(pub.data), "--today", TODAY, "--no-build",
                              *(["--datasets", datasets_] if datasets_ else []), *args])


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def kor(pub, dataset: str, resource: str, year: int) -> list[dict]:
    return [r for r in _rows(pub.data / dataset / f"{resource}.csv")
            if r.get("country_code", "KOR") == "KOR" and r["year"] == str(year)]


# --- unchanged publisher data ----------------------------------------------------------------

def test_unchanged_publisher_data_rewrites_no_row_and_a_second_run_nothing(publishers, capsys):
    original = snapshot(publishers.data)
    assert refresh(publishers, datasets_="") == 0
    first = snapshot(publishers.data)
    # The API has KOR months 2013–2023 that the lines lacked: added, nothing else moved.
    for dataset in ("us_duties_on_korea", "us_trade_by_partner", "us_tariff_tracker_daily",
                    "hs2022_bec4"):
        csvs = [k for k in original if k.startswith(dataset + "/") and k.endswith(".csv")]
        assert csvs and all(first[k] == original[k] for k in csvs), dataset
    trade = publishers.data / "us_korea_goods_trade"
    assert kor(publishers, "us_korea_goods_trade", "monthly_lines", 2013)[0] == {
        "country_code": "KOR", "year": "2013", "month": "1", "exports_musd": "3118",
        "imports_musd": "5226.9"}
    rows_2013 = [r for r in _rows(trade / "annual.csv") if r["year"] == "2013"]
    assert [(r["us_exports_musd"], r["us_imports_general_musd"], r["balance_musd"], r["vintage"])
            for r in rows_2013] == [("41648.7", "62370.5", "-20721.7", "2025"),
                                    ("41648.7", "62370.5", "-20721.8", "2026")]
    for year in (2024, 2025, 2026):   # same months: the country.xlsx rows stay
        assert [r["source"].startswith("Census country.xlsx")
                for r in _rows(trade / "annual.csv") if r["year"] == str(year)][-1]
    fetched = json.loads((trade / "datapackage.json").read_text())["fetched"]
    assert fetched["publisher_release"] == ("Census International Trade API, data through "
                                            "2026-07 (retrieved 2026-11-15)")
    assert all(KEY not in r["request"] and "key=REDACTED" in r["request"]
               for r in fetched["requests"])
    capsys.readouterr()
    assert refresh(publishers, datasets_="") == 0
    assert "Nothing changed: data/ is as it was." in capsys.readouterr().out
    assert snapshot(publishers.data) == first


# --- new, revised and completed months -------------------------------------------------------

def test_new_month_and_revised_month_rewrite_exactly_those_rows_and_the_year(publishers, capsys):
    publishers.exports[2026, 8] = 7_012_345_678
    publishers.imports[2026, 8].update(GEN_VAL_MO=15_876_543_210, CON_VAL_MO=15_800_000_000,
                                       CAL_DUT_MO=1_264_000_000)
    publishers.exports[2026, 3] += 250_000_000            # a revision: 8181.0 -> 8431.0
    original = snapshot(publishers.data)
    assert refresh(publishers) == 0
    lines = kor(publishers, "us_korea_goods_trade", "monthly_lines", 2026)
    assert [(r["month"], r["exports_musd"], r["imports_musd"]) for r in lines[2:9]] == [
        ("3", "8431", "12853.1"), ("4", "8131.7", "13564"), ("5", "8378.9", "13300.8"),
        ("6", "6987.7", "15395.9"), ("7", "6188.1", "16703.8"), ("8", "7012.3", "15876.5"),
        ("9", "", "")]
    annual = [r for r in _rows(publishers.data / "us_korea_goods_trade" / "annual.csv")
              if r["year"] == "2026"]
    assert annual == [{"year": "2026", "us_exports_musd": "55904.3",
                       "us_imports_general_musd": "110748.1", "balance_musd": "-54843.8",
                       "months_reported": "8", "vintage": "2026",
                       "source": "Census API intltrade (ALL_VAL_MO, GEN_VAL_MO), monthly lines summed"}]
    duties = kor(publishers, "us_duties_on_korea", "annual", 2026)
    assert duties == [{"year": "2026", "duties_usd": "9089847560", "import_value_usd": "109207565393",
                       "duties_musd": "9089.8", "import_value_musd": "109207.6",
                       "effective_rate": "0.08323", "months_reported": "8", "check_ok": "True"}]
    assert kor(publishers, "us_duties_on_korea", "monthly_lines", 2026)[7] == {
        "country_code": "KOR", "year": "2026", "month": "8", "duties_usd": "1264000000",
        "import_value_usd": "15800000000", "rate": "0.08"}
    out = capsys.readouterr().out
    assert "revised KOR / 2026 / 3: exports_musd: 8181 → 8431" in out
    assert "| us_kor_exports | 2026 |  | 48.642 | 55.9043 | more months published | (no build) |" in out
    assert "| us_kor_effective_duty_rate | 2026-08 |  | — | 8 | new data | (no build) |" in out
    changed = {k for k, v in snapshot(publishers.data).items() if original.get(k) != v}
    assert {k.split("/")[0] for k in changed} == {"us_korea_goods_trade", "us_duties_on_korea"}


def test_partial_year_becoming_complete_reports_twelve_months(publishers):
    for m in range(8, 13):
        publishers.exports[2026, m] = 6_000_000_000 + m
        publishers.imports[2026, m].update(GEN_VAL_MO=14_000_000_000 + m, CON_VAL_MO=13_900_000_000,
                                           CAL_DUT_MO=1_100_000_000)
    # December 2026 is published in 2027 (a month after the access date would be refused as a
    # period in the future)
    assert refresh(publishers, "--today", "2027-02-10") == 0
    annual = [r for r in _rows(publishers.data / "us_korea_goods_trade" / "annual.csv")
              if r["year"] == "2026"][-1]  # the 2027 release's row
    assert (annual["months_reported"], annual["us_exports_musd"], annual["us_imports_general_musd"],
            annual["balance_musd"]) == ("12", "78642", "164871.6", "-86229.6")
    duties = kor(publishers, "us_duties_on_korea", "annual", 2026)[0]
    assert (duties["months_reported"], duties["duties_usd"], duties["import_value_usd"]) == \
        ("12", "13325847560", "162907565393")
    assert all(r["exports_musd"] for r in kor(publishers, "us_korea_goods_trade", "monthly_lines", 2026))


# --- publisher errors ------------------------------------------------------------------------

def test_api_error_payload_stops_with_its_text_and_leaves_data(publishers, capsys):
    publishers.faults.append(("/census/imports/hs", 400, {"Content-Type": "text/plain"},
                              b"error: unknown variable 'CAL_DUT_MO'"))
    original = snapshot(publishers.data)
    assert refresh(publishers) == 1
    err = capsys.readouterr().err
    assert "HTTP 400: error: unknown variable 'CAL_DUT_MO'" in err
    assert "data/ is unchanged" in err
    assert snapshot(publishers.data) == original


def test_429_and_500_are_retried_honouring_retry_after(publishers, capsys):
    publishers.faults += [("/census/exports/hs", 429, {"Retry-After": "0"}, b"Too Many Requests"),
                          ("/census/imports/hs", 500, {"Content-Type": "text/html"},
                           b"<html><body>There was an error while running your query.</body></html>")]
    publishers.exports[2026, 8] = 7_000_000_000
    publishers.imports[2026, 8].update(GEN_VAL_MO=15_000_000_000, CON_VAL_MO=1, CAL_DUT_MO=0)
    assert refresh(publishers) == 0
    out = capsys.readouterr().out
    assert "HTTP 429; retrying in 0 s" in out and "HTTP 500; retrying in" in out
    assert kor(publishers, "us_korea_goods_trade", "monthly_lines", 2026)[7]["exports_musd"] == "7000"


def test_a_year_the_api_keeps_failing_is_asked_month_by_month(publishers, capsys):
    publishers.faults += [("/census/exports/hs?get=CTY_NAME%2CALL_VAL_MO&CTY_CODE=5800&time=from+2025", 500,
                           {}, b"There was an error while running your query")] * 5
    assert refresh(publishers) == 0
    asked = [p for p in publishers.seen if "exports/hs" in p and "time=2025-" in p]
    assert len(asked) == 12
    assert "2025-12" in urllib.parse.unquote_plus(asked[-1])


def test_renamed_column_names_dataset_and_column_and_leaves_data(publishers, capsys):
    publishers.renamed["GEN_VAL_MO"] = "GEN_VAL_MON"
    original = snapshot(publishers.data)
    assert refresh(publishers) == 1
    err = capsys.readouterr().err
    assert "us_korea_goods_trade: Census API" in err
    assert "has no column GEN_VAL_MO (it has CTY_NAME, GEN_VAL_MON, CON_VAL_MO, CAL_DUT_MO, " \
           "CTY_CODE, time)" in err
    assert snapshot(publishers.data) == original


def test_interrupted_refresh_leaves_data_byte_for_byte(publishers, monkeypatch, capsys):
    publishers.exports[2026, 8] = 7_000_000_000
    publishers.imports[2026, 8].update(GEN_VAL_MO=15_000_000_000, CON_VAL_MO=1, CAL_DUT_MO=0)
    original = snapshot(publishers.data)

    def interrupted(folder, ctx):
        raise KeyboardInterrupt
    monkeypatch.setitem(refresh_data.REFRESHERS, "us_duties_on_korea", interrupted)
    assert refresh(publishers) == 130   # the trade dataset was already staged
    assert "interrupted: nothing was written" in capsys.readouterr().err
    assert snapshot(publishers.data) == original
    assert not (publishers.data.parent / ".cache" / "refresh" / "staging").exists()


def test_invalid_staged_data_is_not_written(publishers, capsys):
    publishers.exports[2026, 8] = -5_000_000   # fails the schema's minimum 0 in the staged copy
    publishers.imports[2026, 8].update(GEN_VAL_MO=1, CON_VAL_MO=1, CAL_DUT_MO=0)
    original = snapshot(publishers.data)
    assert refresh(publishers) == 1
    assert "Frictionless validation failed" in capsys.readouterr().err
    assert snapshot(publishers.data) == original


# --- the key ---------------------------------------------------------------------------------

def _no_key_anywhere(pub, texts):
    for text in texts:
        assert KEY not in text
    for path in pub.data.parent.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_missing_key_says_how_to_get_one(publishers, monkeypatch, capsys):
    monkeypatch.delenv("CENSUS_API_KEY")
    original = snapshot(publishers.data)
    assert refresh(publishers) == 1
    err = capsys.readouterr().err
    assert "CENSUS_API_KEY is not set" in err and "https://api.census.gov/data/key_signup.html" in err
    assert snapshot(publishers.data) == original


def test_missing_key_redirect_is_not_followed(publishers):
    from macros.sources.census import Census
    from macros.sources.http import Client
    publishers.faults.append(("/census/", 302, {"Location": "https://api.census.gov/data/missing_key.html",
                                                "X-DataWebAPI-KeyError": "1"}, b""))
    with pytest.raises(PortalError) as err:
        Census(Client(), key=KEY).year("exports/hs", ["ALL_VAL_MO"], 2025, label="t", CTY_CODE="5800")
    assert "no valid API key was received" in str(err.value)
    assert "key_signup.html" in str(err.value) and KEY not in str(err.value)
    assert not any("missing_key" in p for p in publishers.seen)


def test_invalid_key_stops_and_the_key_appears_nowhere(publishers, monkeypatch, capsys):
    wrong = "wr0ng-key-5e3d1f"
    monkeypatch.setenv("CENSUS_API_KEY", wrong)
    original = snapshot(publishers.data)
    assert refresh(publishers) == 1
    captured = capsys.readouterr()
    assert "the Census API says the key in CENSUS_API_KEY is invalid" in captured.err
    assert "key=REDACTED" in captured.out
    assert snapshot(publishers.data) == original
    for text in (captured.out, captured.err):
        assert wrong not in text
    for path in publishers.data.parent.rglob("*"):
        if path.is_file():
            assert wrong.encode() not in path.read_bytes(), path


def test_the_key_is_never_written_by_a_successful_refresh(publishers, capsys):
    assert refresh(publishers) == 0
    captured = capsys.readouterr()
    _no_key_anywhere(publishers, [captured.out, captured.err])


def test_offline_stops_with_a_clear_message(publishers, monkeypatch, capsys):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens there: connection refused
    monkeypatch.setenv("PORTAL_CENSUS_API_URL", f"http://127.0.0.1:{port}/census")
    assert refresh(publishers) == 1
    err = capsys.readouterr().err
    assert "offline: cannot reach" in err and "data/ is unchanged" in err


def test_unknown_and_hand_entered_datasets_are_refused(publishers, capsys):
    assert refresh(publishers, datasets_="reported_figures") == 1
    assert "has no refresh: figures quoted from reports" in capsys.readouterr().err
    assert refresh(publishers, datasets_="us_korea_goods_trad") == 1
    assert "unknown dataset 'us_korea_goods_trad'" in capsys.readouterr().err


def test_tracker_and_unsd_files_are_parsed_into_the_existing_files(publishers):
    original = snapshot(publishers.data)
    assert refresh(publishers, datasets_="us_tariff_tracker_daily,hs2022_bec4") == 0
    now = snapshot(publishers.data)
    assert now["us_tariff_tracker_daily/daily.csv"] == original["us_tariff_tracker_daily/daily.csv"]
    assert now["hs2022_bec4/correspondence.csv"] == original["hs2022_bec4/correspondence.csv"]
    fetched = json.loads((publishers.data / "us_tariff_tracker_daily" / "datapackage.json")
                         .read_text())["fetched"]
    assert fetched["requests"][0]["sha256"] == hashlib.sha256(publishers.parquet).hexdigest()
    assert fetched["requests"][0]["bytes"] == 55341
    assert fetched["publisher_release"].endswith("daily to 2025-12-30 (duty-based measures to "
                                                 "2025-11-01)")
    import frictionless
    assert frictionless.validate(str(publishers.data / "us_tariff_tracker_daily" /
                                     "datapackage.json")).valid


def test_dry_run_reviews_but_writes_nothing(publishers, capsys):
    publishers.exports[2026, 8] = 7_000_000_000
    publishers.imports[2026, 8].update(GEN_VAL_MO=15_000_000_000, CON_VAL_MO=1, CAL_DUT_MO=0)
    original = snapshot(publishers.data)
    assert refresh(publishers, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "added KOR / 2026 / 8" not in out   # month 8 existed as an empty row: revised
    assert "revised KOR / 2026 / 8: exports_musd: (empty) → 7000" in out
    assert "Dry run:" in out
    assert snapshot(publishers.data) == original


# --- the refresh drill -----------------------------------------------------------------------

def _summary(site: Path, page: str) -> str:
    """The rendered summary box of a briefing: text whose claims and numbers a refresh tests."""
    import re
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return re.search(r'<div class="admonition abstract">(.*?)</div>', text, re.S).group(1)


def test_refresh_drill_new_month_and_revision_reach_review_and_what_changed(publishers, tmp_path,
                                                                            capsys, site):
    """A new month and a revision through the real script, then a build: every number that
    moved is in the review (with its pages) and on the built "What changed" page."""
    import html
    import re
    import subprocess
    import sys
    from macros import editions, indicators
    from macros.formatting import format_value
    publishers.exports[2026, 8] = 7_012_345_678
    publishers.imports[2026, 8].update(GEN_VAL_MO=15_876_543_210, CON_VAL_MO=15_800_000_000,
                                       CAL_DUT_MO=1_264_000_000)
    publishers.exports[2026, 3] += 250_000_000
    code = refresh_data.main(["--data-dir", str(publishers.data), "--today", TODAY,
                              "--datasets", CENSUS_SETS])
    out = capsys.readouterr().out
    assert code == 0, out
    work = publishers.data.parent / ".cache" / "refresh"
    review = (work / "review.md").read_text()
    assert review in out
    previous = work / "current-edition.json"
    site = tmp_path / "site"
    env = {**os.environ, "PORTAL_DATA_DIR": str(publishers.data),
           "PORTAL_PREVIOUS_EDITION": str(previous), "NO_MKDOCS_2_WARNING": "1",
           "PORTAL_LANGUAGES": "en"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    new = json.loads((site / "edition.json").read_text())
    moved, changed = editions.changes(json.loads(previous.read_text()), new)
    assert moved and set(changed) == {"us_korea_goods_trade", "us_duties_on_korea"}
    assert {(c.indicator, c.period) for c in moved} >= {("us_kor_exports", "2026"),
                                                        ("us_kor_balance", "2026")}
    page = (site / "about" / "changes" / "index.html").read_text()
    rows = [html.unescape(re.sub(r"<[^>]+>", " ", r)) for r in page.split("<tr>")[1:]]
    for c in moved:
        line = f"| {c.indicator} | {c.period} | {', '.join(c.dims)} |"
        assert line in review, line
        pages = editions.pages_showing(new, c)
        review_line = next(ln for ln in review.splitlines() if ln.startswith(line))
        assert review_line.endswith(f"| {', '.join(pages) if pages else '(not on a page)'} |")
        ind = indicators.get(c.indicator)
        want = format_value(c.new, ind.unit, digits=3)
        assert any(ind.title in r and c.period in r and want in r for r in rows), (c, want)
    # Claims the new month and the revision leave true render exactly as before.
    assert _summary(site, "briefings/trade-balance") == \
        _summary(tmp_path / "site", "briefings/trade-balance")
    with capsys.disabled():   # the drill's output, for the record
        print("\n" + review)


def test_refresh_drill_a_revision_that_makes_a_claim_false_stops_the_build(publishers, tmp_path,
                                                                           capsys):
    """October 2025 duties revised above September's: the data are valid and are written, the
    review says which page no longer builds, and the build stops naming page, claim and data."""
    import subprocess
    import sys
    october = publishers.imports[2025, 10]
    october["CAL_DUT_MO"] = round(october["CON_VAL_MO"] * 0.155)   # 15.5%, above September
    code = refresh_data.main(["--data-dir", str(publishers.data), "--today", TODAY,
                              "--datasets", "us_duties_on_korea"])
    out = capsys.readouterr().out
    assert code == 0, out
    review = (publishers.data.parent / ".cache" / "refresh" / "review.md").read_text()
    claim = ("claim 'peak of us_kor_effective_duty_rate in 2025 is 2025-09' is false: the 2025 "
             "peak is now 2025-10 (15.5%)")
    assert "Pages that no longer build" in review and claim in review
    assert "| us_kor_effective_duty_rate | 2025-10 |" in review
    env = {**os.environ, "PORTAL_DATA_DIR": str(publishers.data), "NO_MKDOCS_2_WARNING": "1",
           "PORTAL_LANGUAGES": "en"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                            "-d", str(tmp_path / "site")], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert built.returncode != 0
    message = next(line for line in (built.stdout + built.stderr).splitlines()
                   if line.startswith("ERROR") and "claim '" in line)
    assert message.endswith(claim)
    assert "-  docs/" in message and "peak('us_kor_effective_duty_rate', 2025" in message
