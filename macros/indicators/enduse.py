"""What the US imports from Korea: BEC Rev.4 end-use shares and HS chapters, 2024."""
from __future__ import annotations

import pandas as pd

from ..errors import PortalError
from . import indicator

HS10 = "us_imports_kor_hs10_2024"
CORRESPONDENCE = "hs2022_bec4"
CLASSES = "bec4_classes"

# BEC Rev.4 codes outside the three SNA classes keep their own end-use label.
# BEC 32 is used by the UN table for petroleum oils (HS 2710.12/.19/.20) without saying whether
# they are motor spirit (321, unclassified) or other fuels (322, intermediate).
UNCLASSIFIED = {"51": "passenger_cars", "321": "motor_spirit", "32": "processed_fuels",
                "7": "goods_nes"}
SNA = {"intermediate": "intermediate", "capital": "capital", "consumption": "consumption"}
ENDUSES = ("intermediate", "capital", "consumption", "passenger_cars", "processed_fuels",
           "motor_spirit", "goods_nes", "unallocated")


def bec4_enduse(classes: pd.DataFrame) -> dict[str, str]:
    """BEC Rev.4 basic code -> end-use label (SNA class, or its own label if unclassified)."""
    mapping = {}
    for row in classes.itertuples():
        if row.bec4 in UNCLASSIFIED:
            mapping[row.bec4] = UNCLASSIFIED[row.bec4]
        elif isinstance(row.sna_basic_class, str) and row.sna_basic_class in SNA:
            mapping[row.bec4] = SNA[row.sna_basic_class]
    return mapping


SPLITS = ("equal", "intermediate_first", "intermediate_none", "consumption_first",
          "consumption_none")


def split_by_enduse(imports: pd.DataFrame, correspondence: pd.DataFrame,
                    enduse: dict[str, str], split: str = "equal") -> pd.DataFrame:
    """Each HS6 line's value spread over its BEC codes, so n:n codes count once: in equal parts
    (`split="equal"`, the portal's rule); wholly to one class where it is among the code's
    classes (`"<class>_first"`); or to none of that class where the code has others
    (`"<class>_none"`, equal parts among the others). The last two bound the class's share
    under any split rule; codes they do not concern keep equal parts."""
    unknown_bec = sorted(set(correspondence["bec4"]) - set(enduse))
    if unknown_bec:
        raise PortalError(f"data/{CORRESPONDENCE}: BEC codes {unknown_bec} have no end-use class "
                          f"in data/{CLASSES}; add their sna_basic_class")
    weights = correspondence.assign(enduse=correspondence["bec4"].map(enduse))
    weights["weight"] = 1 / weights.groupby("hs2022_hs6")["bec4"].transform("count")
    if split != "equal":
        cls, rule = split.rsplit("_", 1)
        code = weights["hs2022_hs6"]
        mine = weights["enduse"].eq(cls) if rule == "first" else weights["enduse"].ne(cls)
        # codes with both a row of the class and a row of another class get the new weights
        applies = mine.groupby(code).transform("any") & ~mine.groupby(code).transform("all")
        weights.loc[applies, "weight"] = (mine / mine.groupby(code).transform("sum"))[applies]
    merged = imports.merge(weights, left_on="hs6", right_on="hs2022_hs6", how="left")
    merged["enduse"] = merged["enduse"].fillna("unallocated")
    merged["weight"] = merged["weight"].fillna(1.0)
    merged["value"] = merged["imports_for_consumption_usd"] * merged["weight"]
    return merged


@indicator("us_kor_import_enduse_share", title="US imports from Korea by end use (BEC Rev.4)",
           unit="%", basis="US-reported", datasets=(HS10, CORRESPONDENCE, CLASSES),
           dimensions=("enduse",),
           formula="Σ imports for consumption of HS6 codes in the class (n:n codes split equally) "
                   "÷ total imports for consumption × 100",
           definition="Share of 2024 US imports for consumption from Korea in each end-use class: "
                      "HS10 lines are mapped through their HS2022 6-digit code to BEC Rev.4 and "
                      "then to the UN System of National Accounts classes (intermediate, capital, "
                      "consumption). Passenger cars (BEC 51), motor spirit (321), goods n.e.s. (7) "
                      "and processed fuels that the UN table does not split between motor "
                      "spirit and other fuels (32) have no single class and are shown on their "
                      "own; US special-provision "
                      "codes (chapters 98–99) with no HS correspondence are 'unallocated'. "
                      "The shares sum to 100.")
def us_kor_import_enduse_share(inputs):
    imports = inputs.table(HS10, "hs10")
    split = split_by_enduse(imports, inputs.table(CORRESPONDENCE, "correspondence"),
                            bec4_enduse(inputs.table(CLASSES, "classes")))
    total = imports["imports_for_consumption_usd"].sum()
    if abs(split["value"].sum() - total) > 1:
        raise PortalError("end-use split lost or double counted value: "
                          f"{split['value'].sum():,.0f} vs {total:,.0f} USD")
    by_class = split.groupby("enduse")["value"].sum().reindex(ENDUSES, fill_value=0.0)
    return pd.DataFrame({"period": "2024", "value": by_class.to_numpy() / total * 100,
                         "enduse": list(ENDUSES)})


@indicator("us_kor_import_enduse_share_by_split",
           title="US imports from Korea by end use, under three rules for split HS codes",
           unit="%", basis="US-reported", datasets=(HS10, CORRESPONDENCE, CLASSES),
           dimensions=("enduse", "split"),
           formula="as us_kor_import_enduse_share, with the value of each HS6 code that "
                   "corresponds to several BEC classes split equally (equal), given wholly to "
                   "one class where it is among its classes (<class>_first), or given to its "
                   "other classes only (<class>_none), for intermediate and consumption goods",
           definition="How much the end-use shares of US imports from Korea depend on the rule "
                      "for HS 6-digit codes that the UN correspondence maps to more than one "
                      "BEC Rev.4 code. 'equal' is the portal's rule (the published shares). "
                      "'<class>_first' gives such a code wholly to the class whenever it is one "
                      "of its classes, '<class>_none' gives the class nothing from a code that "
                      "also has other classes: together they bound the intermediate and the "
                      "consumption share that any split of those codes could give.")
def us_kor_import_enduse_share_by_split(inputs):
    imports = inputs.table(HS10, "hs10")
    correspondence = inputs.table(CORRESPONDENCE, "correspondence")
    classes = bec4_enduse(inputs.table(CLASSES, "classes"))
    total = imports["imports_for_consumption_usd"].sum()
    frames = []
    for split in SPLITS:
        shares = split_by_enduse(imports, correspondence, classes, split).groupby(
            "enduse")["value"].sum().reindex(ENDUSES, fill_value=0.0) / total * 100
        frames.append(pd.DataFrame({"period": "2024", "value": shares.to_numpy(),
                                    "enduse": list(ENDUSES), "split": split}))
    return pd.concat(frames, ignore_index=True)


@indicator("us_kor_imports_split_hs6",
           title="US imports from Korea in HS codes with several end uses", unit="USD bn",
           basis="US-reported", datasets=(HS10, CORRESPONDENCE), dimensions=("hs6",),
           formula="Σ imports for consumption of HS6 codes that the UN correspondence maps to "
                   "more than one BEC Rev.4 code ÷ 10⁹ (hs6 = 'all': every such code)",
           definition="The part of 2024 US imports for consumption from Korea whose end-use "
                      "class depends on a split rule: the HS 6-digit codes the UN HS2022–BEC "
                      "Rev.4 correspondence maps to several BEC codes, in total (hs6 = 'all') "
                      "and code by code.")
def us_kor_imports_split_hs6(inputs):
    imports = inputs.table(HS10, "hs10")
    correspondence = inputs.table(CORRESPONDENCE, "correspondence")
    several = correspondence.groupby("hs2022_hs6")["bec4"].count()
    several = set(several[several > 1].index)
    split = imports[imports["hs6"].isin(several)]
    by_code = split.groupby("hs6")["imports_for_consumption_usd"].sum() / 1e9
    return pd.DataFrame({"period": "2024", "value": [by_code.sum(), *by_code.to_numpy()],
                         "hs6": ["all", *by_code.index]})


@indicator("us_kor_imports_by_hs_chapter", title="US imports from Korea by HS chapter",
           unit="USD bn", basis="US-reported", datasets=(HS10,), dimensions=("chapter",),
           formula="Σ imports for consumption of HS10 lines in the 2-digit chapter ÷ 10⁹",
           definition="US imports for consumption from Korea in 2024 by Harmonized System chapter "
                      "(first two digits of the HTS code; 98–99 are US special provisions).")
def us_kor_imports_by_hs_chapter(inputs):
    imports = inputs.table(HS10, "hs10")
    chapters = imports.groupby(imports["hs10"].str[:2])["imports_for_consumption_usd"].sum()
    return pd.DataFrame({"period": "2024", "value": chapters.to_numpy() / 1e9,
                         "chapter": chapters.index.tolist()})
