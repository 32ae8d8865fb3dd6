"""Scoring an assignment export against a hand annotation, with the conventions of the shared gold.

The key is (unit, department, role), as in `../shared/dev-gold/score_relaxed.py`, with the same folds of
conventions that mean the same to a user:

- unit labels: `(十四)` = `(14)`, `二(1).1` = `(1).1`, `附件.5` = `附件/5` = `5`, `第三条第一款` = `第三条`;
- departments: 人力资源和社会保障 = 人力资源社会保障; a name the export qualified with its place
  (上海市农业农村局) counts as the printed name (市农业农村局) when the gold of that document has it;
- roles: supporting counts as responsible (the gold knows lead and responsible);
- collectives and vague holders (各…, 有关…, rows flagged vague or collective) are gap rows, scored apart.

>>> gold = [{"unit": "(二)", "department": "市财政局", "role": "lead"}, {"unit": "2", "department": "VAGUE:各街镇"}]
>>> pred = [{"unit": "(2)", "department": "临江市财政局", "role": "lead"}, {"unit": "2", "department": "各街镇"}]
>>> score(gold, pred)
Score(tp=1, gold=1, pred=1, gaps_found=1, gaps=1)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(省|市|区|县|镇|乡|街道)")
_VAGUE = re.compile(r"^(各|有关|相关|属地)")


@dataclass(frozen=True)
class Score:
    tp: int
    gold: int
    pred: int
    gaps_found: int
    gaps: int

    @property
    def f1(self) -> float:
        return 2 * self.tp / (self.gold + self.pred) if self.gold + self.pred else 1.0


def _cn(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN[ch]
    return total + digit


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("〔", "(").replace("〕", ")")
    return re.sub(r"\s+", "", text)


def fold_unit(unit: str) -> str:
    u = _norm(unit)
    u = re.sub(r"#\d+$", "", u)
    u = re.sub(r"^(一件事/\d+)/.*$", r"\1", u)
    u = re.sub(r"^(附件\d*[./]|表/)", "", u)
    u = re.sub(r"\(([零一二三四五六七八九十]+)\)", lambda m: f"({_cn(m.group(1))})", u)
    u = re.sub(r"(第[零一二三四五六七八九十百]+条)第[一二三四五六七八九十]+款$", r"\1", u)
    if not u.startswith(("一件事", "清单", "目录", "第")):
        u = re.sub(r"^[一二三四五六七八九十]+[.、]?(?=\()", "", u)
    return u


def _department(row: dict, known: set[str]) -> str | None:
    name = _norm(row.get("department") or "").replace("人力资源和社会保障", "人力资源社会保障")
    if not name or name.upper().startswith("VAGUE") or row.get("vague") or row.get("collective") \
            or _VAGUE.match(name):
        return None
    if name not in known:
        m = _PLACE.match(name)
        if m and m.group(1) + name[m.end():] in known:
            name = m.group(1) + name[m.end():]
    return name


def score(gold: list[dict], pred: list[dict]) -> Score:
    """Score one document's export against its gold."""
    known = {_norm(g.get("department") or "").replace("人力资源和社会保障", "人力资源社会保障") for g in gold}

    def keys(rows, names):
        named, gaps = set(), set()
        for r in rows:
            unit = fold_unit(str(r.get("unit", "")))
            dept = _department(r, names)
            role = "lead" if (r.get("role") or "").lower() == "lead" else "responsible"
            if dept is None:
                if r.get("department"):
                    gaps.add(unit)
            else:
                named.add((unit, dept, role))
        return named, gaps

    g_named, g_gaps = keys(gold, known)
    p_named, p_gaps = keys(pred, known)
    return Score(len(g_named & p_named), len(g_named), len(p_named), len(g_gaps & p_gaps), len(g_gaps))
