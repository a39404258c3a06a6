"""Plausibility and consistency rules declared in the descriptors, checked before a number is used.

The rules live in `data/<id>/datapackage.json`, never in code: ranges per field are Frictionless
`constraints`; every field's `unit` comes from UNITS below; and a resource's `checks` list holds
the rules Frictionless has no words for, each a dict with a `rule` key:

- `identity`: a field equals an arithmetic expression of others, within `tolerance` (keys `field`,
  `equals`, `tolerance`, `where`)
- `sum`: a field equals the sum of another resource's rows with the same `by` keys (`latest`: only
  each key's latest vintage; `lines_required: false`: rows without lines pass; `complete`: every
  group of lines has a total) (keys `field`, `of: {resource, field, where}`, `by`, `tolerance`,
  `where`, `latest`, `lines_required`, `complete`)
- `months`: a months field equals the number of non-empty monthly rows behind it (keys `field`,
  `of: {resource, field, where}`, `by`, `where`, `latest`, `lines_required`)
- `change`: between consecutive periods a value moves by at most `max_factor` (×/÷), per month
  when `per` names a months field; `breaks` allow a larger move in a named period, with its reason
  (keys `fields`, `period`, `by`, `per`, `latest`, `max_factor`, `breaks: [{period, max_factor,
  reason}]`)
- `revision`: two vintages of one period covering the same `months` differ by at most
  `max_relative` (keys `fields`, `period`, `vintage`, `by`, `months`, `max_relative`)
- `not_future`: no value is dated after the descriptor's `temporal_coverage.end` or `accessed`
  (keys `year`, `month`, `values`)
- `range`: `minimum`/`maximum` of a field in the rows matching `where` (a per-row unit) (keys
  `field`, `where`, `minimum`, `maximum`)

`check(dataset_id, descriptor, read)` returns the problems as messages naming the file, row and
field and what to fix; `read(resource_name)` gives a resource as a typed DataFrame.
"""
from __future__ import annotations

import difflib
import re

import pandas as pd

# The closed list of units a descriptor field may declare (README, "Add a dataset").
UNITS = {
    "USD": "US dollars", "USD millions": "millions of US dollars",
    "USD bn": "billions of US dollars", "percent": "per cent (5 = 5 %)",
    "percentage points": "difference of two percentages", "fraction": "share (0.05 = 5 %)",
    "ratio": "a ratio of two quantities", "rank": "position in an ordering (1 = first)",
    "count": "a number of things", "year": "calendar year", "month": "month number or number "
    "of months", "date": "calendar date", "code": "an identifier from a classification",
    "class": "a category name", "text": "words", "boolean": "true or false",
    "per row": "given in the row's own unit column",
}
RULES = ("identity", "sum", "months", "change", "revision", "not_future", "range")
MAX_PROBLEMS = 10


def check_units(dataset_id: str, descriptor: dict) -> list[str]:
    """Every field of every resource declares a unit from UNITS."""
    problems = []
    for res in descriptor.get("resources", []):
        for field in res.get("schema", {}).get("fields", []):
            where = (f"data/{dataset_id}/datapackage.json: resource {res.get('name')!r}, "
                     f"field {field.get('name')!r}")
            unit = field.get("unit")
            if not unit:
                problems.append(f"{where} has no unit; add \"unit\": one of {_units()}")
            elif unit not in UNITS:
                close = difflib.get_close_matches(str(unit), UNITS, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problems.append(f"{where} has unit {unit!r}, which is not a unit the portal "
                                f"knows; {hint}use one of {_units()}")
    return problems


def _units() -> str:
    return ", ".join(repr(u) for u in UNITS)


def check(dataset_id: str, descriptor: dict, read) -> list[str]:
    """Every problem the `checks` rules of the dataset's resources find, first ones first."""
    problems: list[str] = []
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    for res in descriptor.get("resources", []):
        for number, rule in enumerate(res.get("checks", []), start=1):
            ctx = _Context(dataset_id, descriptor, resources, res, number, read)
            try:
                problems += ctx.run(rule)
            except _RuleError as exc:
                problems.append(f"{ctx.rule_place}: {exc}")
            if len(problems) >= MAX_PROBLEMS:
                return problems[:MAX_PROBLEMS]
    return problems


class _RuleError(Exception):
    """The rule itself is malformed (unknown rule, field or resource)."""


class _Context:
    def __init__(self, dataset_id, descriptor, resources, res, number, read):
        self.id, self.descriptor, self.resources, self.res = dataset_id, descriptor, resources, res
        self.read = read
        self.file = f"data/{dataset_id}/{res['path']}"
        self.rule_place = (f"data/{dataset_id}/datapackage.json: resource {res['name']!r}, "
                           f"checks[{number}]")

    # --- helpers -------------------------------------------------------------------------
    def table(self, name: str | None = None) -> pd.DataFrame:
        name = name or self.res["name"]
        if name not in self.resources:
            raise _RuleError(f"names resource {name!r}, which the dataset does not have; "
                             f"one of {', '.join(self.resources)}")
        frame = self.read(name).copy()
        frame.index = frame.index + 2  # the CSV line of each row (line 1 is the header)
        return frame

    def fields(self, frame: pd.DataFrame, *names: str) -> None:
        for name in names:
            if name not in frame.columns:
                close = difflib.get_close_matches(name, frame.columns, n=1)
                raise _RuleError(f"names field {name!r}, which the resource does not have"
                                 + (f"; did you mean {close[0]!r}?" if close else ""))

    def where(self, frame: pd.DataFrame, where: dict | None) -> pd.DataFrame:
        for name, wanted in (where or {}).items():
            self.fields(frame, name)
            wanted = wanted if isinstance(wanted, list) else [wanted]
            frame = frame[frame[name].astype(str).isin([str(w) for w in wanted])]
        return frame

    def row(self, line: int, field: str, file: str | None = None) -> str:
        return f"{file or self.file} row {line}, field {field!r}"

    # --- rules -----------------------------------------------------------------------------
    def run(self, rule: dict) -> list[str]:
        kind = rule.get("rule")
        if kind not in RULES:
            close = difflib.get_close_matches(str(kind), RULES, n=1)
            raise _RuleError(f"unknown rule {kind!r}" + (f"; did you mean {close[0]!r}?" if close
                                                         else f"; one of {', '.join(RULES)}"))
        return getattr(self, "_" + kind)(rule)

    def _identity(self, rule):
        frame = self.where(self.table(), rule.get("where"))
        field, expression = rule["field"], rule["equals"]
        if not re.fullmatch(r"[A-Za-z0-9_ .+\-*/()]+", expression) or "__" in expression:
            raise _RuleError(f"equals {expression!r} may use only field names, numbers and + - * /")
        names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)
        self.fields(frame, field, *names)
        expected = frame.eval(expression, engine="python").astype(float)
        actual = frame[field].astype(float)
        tolerance = float(rule.get("tolerance", 0))
        off = (actual - expected).abs() > tolerance + 1e-9 * expected.abs()
        off &= actual.notna() & expected.notna()
        return [f"{self.row(line, field)}: {_num(actual[line])} ≠ {expression} = "
                f"{_num(expected[line])} (off by {_num(abs(actual[line] - expected[line]))}, "
                f"tolerance {_num(tolerance)}); correct the row so that {field} = {expression}"
                for line in frame.index[off][:3]]

    def _grouped(self, rule):
        frame = self.where(self.table(), rule.get("where"))
        if rule.get("latest"):  # one row per key: the latest vintage
            self.fields(frame, rule["latest"], *rule["by"])
            frame = frame.sort_values([*rule["by"], rule["latest"]]).groupby(rule["by"]).tail(1)
        of = rule["of"]
        other = self.where(self.table(of["resource"]), of.get("where"))
        by = list(rule["by"])
        self.fields(frame, rule["field"], *by)
        self.fields(other, of["field"], *by)
        other_file = f"data/{self.id}/{self.resources[of['resource']]['path']}"
        what = f"{other_file} rows" + "".join(f" with {k} {v}" for k, v in
                                             (of.get("where") or {}).items())
        return frame, other, by, of, what

    def _sum(self, rule):
        frame, other, by, of, what = self._grouped(rule)
        sums = other.groupby(by)[of["field"]].agg(["sum", "size"]).reset_index()
        both = frame[by + [rule["field"]]].reset_index(names="_line").merge(
            sums, on=by, how="outer", indicator=True)
        tolerance = float(rule.get("tolerance", 0))
        problems = []
        for _, row in both.iterrows():
            label = " ".join(str(row[b]) for b in by)
            if row["_merge"] == "right_only" and rule.get("complete"):
                problems.append(f"{self.file}: no row for {label}, which {what} cover; add the "
                                f"total or remove the lines")
            elif row["_merge"] == "left_only" and rule.get("lines_required", True):
                problems.append(f"{self.row(int(row['_line']), rule['field'])}: {label} has no "
                                f"{what}; add them, or narrow the rule's where")
            elif abs(float(row[rule["field"]]) - float(row["sum"])) > \
                    tolerance + 1e-12 * abs(float(row["sum"])):
                value, total = float(row[rule["field"]]), float(row["sum"])
                problems.append(
                    f"{self.row(int(row['_line']), rule['field'])}: {label} is {_num(value)}, "
                    f"but its {int(row['size'])} {what} ({of['field']}) sum to {_num(total)} "
                    f"(off by {_num(abs(value - total))}, tolerance {_num(tolerance)}); the two "
                    f"files disagree: correct the total or the lines")
            if len(problems) >= 3:
                break
        return problems

    def _months(self, rule):
        frame, other, by, of, what = self._grouped(rule)
        counts = other.groupby(by)[of["field"]].count().rename("_months").reset_index()
        both = frame[by + [rule["field"]]].reset_index(names="_line").merge(
            counts, on=by, how="inner" if rule.get("lines_required", True) is False else "left")
        both["_months"] = both["_months"].fillna(0).astype(int)
        problems = []
        for _, row in both[both[rule["field"]] != both["_months"]].head(3).iterrows():
            label = " ".join(str(row[b]) for b in by)
            problems.append(
                f"{self.row(int(row['_line']), rule['field'])}: {label} says "
                f"{row[rule['field']]} months, but {what} have values for {row['_months']} "
                f"months; a partial year must say how many months it covers: set "
                f"{rule['field']} to {row['_months']}")
        return problems

    def _series(self, rule):
        frame = self.where(self.table(), rule.get("where"))
        period = rule["period"] if isinstance(rule["period"], list) else [rule["period"]]
        by = list(rule.get("by", []))
        fields = rule.get("fields") or [rule["field"]]
        self.fields(frame, *period, *by, *fields,
                    *([rule["per"]] if rule.get("per") else []),
                    *([rule["latest"]] if rule.get("latest") else []))
        if rule.get("latest"):
            frame = frame.sort_values([*by, *period, rule["latest"]]).groupby(
                [*by, *period]).tail(1)
        return frame.sort_values([*by, *period]), period, by, fields

    def _change(self, rule):
        frame, period, by, fields = self._series(rule)
        breaks = {str(b["period"]): b for b in rule.get("breaks", [])}
        for b in breaks.values():
            if not b.get("reason"):
                raise _RuleError(f"break {b['period']!r} has no reason; say why the move is real")
        limit = float(rule["max_factor"])
        problems = []
        groups = frame.groupby(by) if by else [((), frame)]
        for _, series in groups:
            label = series[period].astype(str).agg("-".join, axis=1)
            for field in fields:
                values = series[field].astype(float)
                if rule.get("per"):
                    values = values / series[rule["per"]].astype(float)
                prev = values.shift()
                factor = (values / prev).where((values > 0) & (prev > 0))
                factor = factor.where(factor >= 1, 1 / factor)
                for line in series.index[factor.fillna(0) > 1]:
                    at = label[line]
                    allowed = float(breaks[at]["max_factor"]) if at in breaks else limit
                    if factor[line] > allowed:
                        before = label.shift()[line]
                        per = " per month covered" if rule.get("per") else ""
                        problems.append(
                            f"{self.row(line, field)}: {at} is {_num(series.loc[line, field])} "
                            f"against {_num(series[field].shift()[line])} in {before}, a move "
                            f"of ×{factor[line]:,.4g}{per} where the rule allows ×{allowed:g} "
                            f"({self.unit(field)}: a value in the wrong unit or scale?); "
                            f"correct the value, or if the break is real add {{\"period\": "
                            f"\"{at}\", \"max_factor\": …, \"reason\": \"…\"}} to this "
                            f"rule's breaks in datapackage.json")
        return problems[:3]

    def unit(self, field: str) -> str:
        for f in self.res["schema"]["fields"]:
            if f["name"] == field:
                return f"the column is in {f.get('unit', '?')}"
        return "?"

    def _revision(self, rule):
        frame = self.where(self.table(), rule.get("where"))
        period, vintage = rule["period"], rule["vintage"]
        by = list(rule.get("by", []))
        self.fields(frame, period, vintage, *by, *rule["fields"])
        limit = float(rule["max_relative"])
        problems = []
        for key, rows in frame.sort_values(vintage).groupby([*by, period]):
            if len(rows) < 2:
                continue
            first, last = rows.iloc[0], rows.iloc[-1]
            if rule.get("months") and first[rule["months"]] != last[rule["months"]]:
                continue  # a part-year completed by a later release is new data, not a revision
            for field in rule["fields"]:
                old, new = float(first[field]), float(last[field])
                change = abs(new - old) / abs(old) if old else (0 if new == old else float("inf"))
                if change > limit:
                    problems.append(
                        f"{self.row(rows.index[-1], field)}: vintage {last[vintage]} revises "
                        f"{period} {first[period]} from {_num(old)} (vintage {first[vintage]}, row "
                        f"{rows.index[0]}) to {_num(new)}, {change:.1%}, more than the "
                        f"{limit:.1%} the rule allows; check the new release, and if the "
                        f"revision is real raise max_relative with a note in the description")
        return problems[:3]

    def _not_future(self, rule):
        frame = self.table()
        year, month = rule["year"], rule.get("month")
        self.fields(frame, year, *([month] if month else []), *rule.get("values", []))
        if rule.get("values"):
            frame = frame[frame[rule["values"]].notna().any(axis=1)]
        end = str(self.descriptor.get("temporal_coverage", {}).get("end", "9999"))
        accessed = str(self.descriptor.get("accessed", "9999"))[:7]
        problems = []
        for line, row in frame.iterrows():
            label = f"{int(row[year]):04d}" + (f"-{int(row[month]):02d}" if month else "")
            limit_end = end[:len(label)] if month else end[:4]
            if label > limit_end or label > accessed[:len(label)]:
                problems.append(
                    f"{self.row(line, month or year)}: period {label} is after the dataset's "
                    f"temporal_coverage end {end} (accessed {self.descriptor.get('accessed')}): a "
                    f"period in the future? correct the period, or, if the publisher has "
                    f"released it, update temporal_coverage and accessed in datapackage.json")
                if len(problems) >= 3:
                    break
        return problems

    def _range(self, rule):
        frame = self.where(self.table(), rule.get("where"))
        field = rule["field"]
        self.fields(frame, field)
        values = frame[field].astype(float)
        low, high = rule.get("minimum", float("-inf")), rule.get("maximum", float("inf"))
        rows = " where " + ", ".join(f"{k} is {v}" for k, v in rule.get("where", {}).items())
        return [f"{self.row(line, field)}: {_num(values[line])} is outside the plausible range "
                f"{_num(low)} to {_num(high)}{rows if rule.get('where') else ''}; correct the "
                f"value (its unit or scale?), or widen the range in datapackage.json if it is real"
                for line in frame.index[(values < low) | (values > high)][:3]]


def _num(value) -> str:
    """A number as an analyst reads it in a message: 65,771.3, not 65771.30000001 or 6.6e+04."""
    value = float(value)
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    if value == int(value) and abs(value) < 1e18:
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".") if abs(value) < 1e12 else f"{value:,.1f}"
