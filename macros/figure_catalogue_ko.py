"""The Korean text alternatives of the briefing figures: each states the chart's message from
the same data as its English summary in figure_catalogue.py, in Korean words and numbers.
A figure shown on a Korean page without an entry here stops the build (macros/figure_text.py).
"""
from __future__ import annotations

from . import i18n, indicators, periods
from .figure_catalogue import (MEASURES, _announced_at, _chapters_data, _duty_annual,
                                _duty_annual_facts, _duty_monthly, _enduse_data, _mirror_data,
                                _partners)
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


def enduse(t: Tables) -> str:
    d = _enduse_data(t)
    share = d.set_index(t["us_kor_import_enduse_share"].loc[d.index, "enduse"])["value"]
    pct = lambda key: _fmt("us_kor_import_enduse_share", share[key])  # noqa: E731
    return (f"{periods.span(d, lang='ko')} 미국의 대한 수입에서 중간재는 {pct('intermediate')}, "
            f"승용차는 {pct('passenger_cars')}, 자본재는 {pct('capital')}, 소비재는 "
            f"{pct('consumption')}를 차지했다. 여러 최종용도에 대응하는 HS 코드의 금액은 균등하게 "
            "나누었다.")


def chapters(t: Tables) -> str:
    all_ = t["us_kor_imports_by_hs_chapter"]
    d = _chapters_data(t, 3)
    share = d["value"].sum() / all_["value"].sum() * 100
    names = ", ".join(f"제{c}류" for c in d["chapter"])
    return (f"{names}의 세 HS 류가 {periods.span(d, lang='ko')} 미국의 대한 수입의 "
            f"{format_value(share, '%', lang='ko')}를 차지했다. 가장 큰 제{d['chapter'].iloc[0]}류는 "
            f"{_fmt('us_kor_imports_by_hs_chapter', d['value'].iloc[0])}였다.")


def duty_annual(t: Tables) -> str:
    d, high, drop, between = _duty_annual_facts(t)
    rate = lambda p: _fmt("us_kor_effective_duty_rate", d[p])  # noqa: E731
    text = (f"한국산 수입품에 대한 미국의 실효 관세율은 {d.index[0]}년 {rate(d.index[0])}였다. "
            f"1년 사이 가장 크게 떨어진 해는 {drop}년으로 {rate(drop)}가 되었다")
    if len(between) > 1:
        text += (f". {drop}–{between.index[-1]}년에는 "
                 f"{_fmt('us_kor_effective_duty_rate', between.min())}에서 "
                 f"{_fmt('us_kor_effective_duty_rate', between.max())} 사이에 머물렀다")
    text += f". 완전한 연도 가운데 가장 높은 값은 {high}년의 {rate(high)}였다."
    for row in periods.partial_rows(_duty_annual(t)).itertuples():
        text += (f" {periods.words(row.period, row.frequency, row.months, lang='ko')}: "
                 f"{_fmt('us_kor_effective_duty_rate', row.value)}.")
    return text


def duty_monthly(t: Tables) -> str:
    d = _duty_monthly(t)
    peak, first, last = d.loc[d["value"].idxmax()], d.iloc[0], d.iloc[-1]
    rate = lambda v: _fmt("us_kor_effective_duty_rate", v)  # noqa: E731
    when = lambda r: periods.words(r["period"], "monthly", 1, lang="ko")  # noqa: E731
    text = (f"월별 관세율은 {when(first)} {rate(first['value'])}에서 {when(peak)} "
            f"{rate(peak['value'])}로 고점에 이르렀고")
    if peak["period"] != last["period"]:
        text += f", {when(last)}에는 {rate(last['value'])}였다"
    return text + "."


def partners(t: Tables) -> str:
    d = _partners(t)
    last = d[d["period"] == d["period"].max()].set_index("series")["value"]
    order = last.sort_values(ascending=False)
    name = lambda s: i18n.label("us_partner_duty_rates", s, "ko")  # noqa: E731
    rate = lambda v: _fmt("us_partner_effective_duty_rate", v)  # noqa: E731
    return (f"{periods.words(d['period'].max(), 'monthly', 1, lang='ko')}의 실효 관세율은 "
            f"{name(order.index[0])}산 수입품이 {rate(order.iloc[0])}로 가장 높았다. 한국은 "
            f"{rate(last['Korea'])}로 전체 평균 {rate(last['All countries'])}와 대비된다.")


def announced(t: Tables) -> str:
    last, at = _announced_at(t)
    rate = lambda v: _fmt("us_announced_tariff_rate", v)  # noqa: E731
    both = lambda p: f"{rate(at[(p, MEASURES[0])])}와 {rate(at[(p, MEASURES[1])])}"  # noqa: E731
    return (f"{periods.words(last, 'monthly', 1, lang='ko')}, 2024년 수입으로 가중한 한국산 제품의 "
            f"미국 발표 세율은 {rate(at[('Korea', MEASURES[0])])}, 산정 관세는 대한 수입액의 "
            f"{rate(at[('Korea', MEASURES[1])])}였다. 두 지표는 일본이 {both('Japan')}, "
            f"멕시코가 {both('Mexico')}였다.")


SUMMARIES = {"us_kor_trade_history": trade_history, "trade_balance_mirror": mirror,
             "us_deficit_rank_kor": deficit_rank, "kr_ofdi_share_us": ofdi_share,
             "us_kor_enduse_2024": enduse, "us_kor_hs_chapters_2024": chapters,
             "us_kor_duty_rate_annual": duty_annual, "us_kor_duty_rate_monthly": duty_monthly,
             "us_partner_duty_rates": partners, "us_announced_vs_calculated": announced}
