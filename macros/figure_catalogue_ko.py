"""The Korean text alternatives of the briefing figures: each states the chart's message from
the same data as its English summary in figure_catalogue.py, in Korean words and numbers.
A figure shown on a Korean page without an entry here stops the build (macros/figure_text.py).
"""
from __future__ import annotations

from . import indicators, periods
from .figure_catalogue import _mirror_data
from .figures import Tables
from .formatting import format_value


def _fmt(indicator_id: str, value: float) -> str:
    return format_value(value, indicators.get(indicator_id).unit, lang="ko")


def trade_history(t: Tables) -> str:
    bal = periods.complete(t["us_kor_balance"])
    since = bal.loc[bal["value"] >= 0, "period"].max()  # the last full year without a US deficit
    worst = bal.loc[bal["value"].idxmin()]
    streak = (f"{int(since) + 1}년 이후 모든 연도에" if isinstance(since, str)
              else "표시된 모든 연도에")
    return " ".join(filter(None, [
        f"미국의 대한 수입은 {streak} 대한 수출을 웃돌았다.",
        f"연간 기준 미국의 적자는 {worst['period']}년에 {_fmt('us_kor_balance', -worst['value'])}로 "
        "가장 컸다.", periods.partial_note(t["us_kor_balance"], lang="ko")]))


def mirror(t: Tables) -> str:
    d = _mirror_data(t)
    first, last = d["period"].min(), d["period"].max()
    at = {(p, s[:2]): v for p, s, v in zip(d["period"], d["series"], d["value"])}
    moves = [f"{_fmt('us_kor_balance', at[(first, k)])}에서 {_fmt('us_kor_balance', at[(last, k)])}로 "
             f"{'늘었다' if at[(last, k)] > at[(first, k)] else '줄었다'}" for k in ("Ko", "US")]
    larger = "웃돌았다" if at[(last, "US")] > at[(last, "Ko")] else "밑돌았다"
    return (f"{first}년부터 {last}년까지 한국 측 통계의 흑자는 {moves[0]}. 미국 측 통계의 적자는 "
            f"{moves[1]}. {last}년 미국 측 적자는 한국 측 흑자를 {larger}.")


def deficit_rank(t: Tables) -> str:
    d = periods.complete(t["us_deficit_rank_kor"])
    best = d.loc[d["value"].idxmin()]
    rank = lambda v: _fmt("us_deficit_rank_kor", v)  # noqa: E731
    return " ".join(filter(None, [
        f"{periods.span(d, lang='ko')} 완전한 연도에 한국은 미국의 무역적자 상대국 가운데 "
        f"{rank(d['value'].min())}에서 {rank(d['value'].max())} 사이였고, {d['period'].iloc[-1]}년에는 "
        f"{rank(d['value'].iloc[-1])}였다. 가장 높은 순위는 {best['period']}년에 처음 기록했다.",
        periods.partial_note(t["us_deficit_rank_kor"], lang="ko")]))


def ofdi_share(t: Tables) -> str:
    d = periods.complete(t["kr_ofdi_share_us"]).set_index("period")["value"]
    return " ".join(filter(None, [
        f"한국수출입은행 집계로 한국의 해외직접투자 가운데 미국의 비중은 {d.index[0]}년 "
        f"{_fmt('kr_ofdi_share_us', d.iloc[0])}에서 {d.idxmax()}년 {_fmt('kr_ofdi_share_us', d.max())}로 "
        "높아져, 표시된 완전한 연도 가운데 가장 높았다.",
        periods.partial_note(t["kr_ofdi_share_us"], lang="ko")]))


SUMMARIES = {"us_kor_trade_history": trade_history, "trade_balance_mirror": mirror,
             "us_deficit_rank_kor": deficit_rank, "kr_ofdi_share_us": ofdi_share}
