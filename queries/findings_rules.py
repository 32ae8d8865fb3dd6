"""The duty-analysis rules (ontology/rules.yaml): load, check strictly, fill defaults.

The bundled file is both the defaults and the schema: an office's own rules
file may leave settings out (the bundled value applies) but may not add a
type, a setting or a message field the code does not know — a misspelt key
is an error that names the file and the key, never a rule silently ignored.

>>> rules = load_rules()
>>> rules.types["shared_without_lead"]["min_responsible"]
3
>>> rules.message("no_assignee", doc="双政办规〔2024〕2号", unit="(41)", heading="落实党政领导责任制")
'双政办规〔2024〕2号 (41) 未明确任何责任单位:落实党政领导责任制'
"""
from __future__ import annotations

import copy
import functools
import os
import string
from dataclasses import dataclass

import yaml

from graph.errors import InputError
from ontology import data_path, read_user_yaml

RULES_PATH = data_path("rules.yaml")

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# The fields each type's message may use (the checks fill exactly these).
MESSAGE_FIELDS = {
    "no_assignee": {"doc", "unit", "heading"},
    "several_leads": {"doc", "unit", "heading", "count", "departments"},
    "shared_without_lead": {"doc", "unit", "heading", "count", "departments"},
    "same_duty_different_holders": {"name", "places", "holders", "departments"},
    "split_jurisdiction": {"doc", "unit", "heading", "count", "departments", "catch_all"},
    "split_repeated": {"doc", "units", "differences"},
    "pending_assignment": {"doc", "unit", "heading", "departments"},
    "vague_only": {"doc", "unit", "heading", "vague"},
    "open_ended": {"doc", "count", "units"},
    "naming": {"doc", "printed", "canonical", "how", "how_zh", "count", "units"},
    "body_vs_list": {"doc", "unit", "heading", "missing_in_list", "missing_in_body"},
    "overdue": {"doc", "unit", "heading", "deadline", "deadline_date", "days", "departments"},
    # the findings that need the law (queries/law_findings.py)
    "law_authority_differs": {"law", "article", "place", "doc", "unit", "law_holders", "departments"},
    "designation_missing": {"law", "article", "place", "law_holders"},
    "law_authority_without_local_holder": {"law", "article", "place", "missing"},
    "allocated_twice": {"law", "article", "place", "units", "holders"},
}


@dataclass(frozen=True)
class Rules:
    source: str
    types: dict          # type → settings, in the file's order

    @property
    def order(self) -> dict:
        return {t: i for i, t in enumerate(self.types)}

    def enabled(self, kind: str) -> bool:
        return bool(self.types[kind]["enabled"])

    def message(self, kind: str, **fields) -> str:
        return self.types[kind]["message"].format(**fields)


@functools.lru_cache(maxsize=1)
def _bundled() -> dict:
    with open(RULES_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_rules(path: str | None = None) -> Rules:
    """The bundled rules, or an office's file laid over them (checked strictly)."""
    base = copy.deepcopy(_bundled()["types"])
    if path is None or os.path.abspath(path) == RULES_PATH:
        _check(base, RULES_PATH)
        return Rules(RULES_PATH, base)
    data = read_user_yaml(path, "rules file", "rules.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("types", {}), dict):
        raise InputError(path, "the rules file must hold a mapping `types:` of finding types")
    for kind, settings in (data.get("types") or {}).items():
        if kind not in base:
            raise InputError(path, f"unknown finding type {kind!r}", place=f"types.{kind}",
                             hint=f"known types: {', '.join(base)}")
        for key, value in (settings or {}).items():
            if key not in base[kind]:
                raise InputError(path, f"unknown setting {key!r} for {kind}", place=f"types.{kind}.{key}",
                                 hint=f"known settings: {', '.join(base[kind])}")
            base[kind][key] = value
    _check(base, path)
    return Rules(path, base)


def _check(types: dict, path: str) -> None:
    for kind, settings in types.items():
        if kind not in MESSAGE_FIELDS:
            raise InputError(path, f"finding type {kind!r} has no check in dutygraph", place=f"types.{kind}")
        for key, value in settings.items():
            if (key == "severity" or key.endswith("_severity")) and value not in SEVERITIES:
                raise InputError(path, f"severity {value!r} is not one of {', '.join(SEVERITIES)}",
                                 place=f"types.{kind}.{key}")
            if key == "hows":
                for how, sev in value.items():
                    if sev not in SEVERITIES:
                        raise InputError(path, f"severity {sev!r} is not one of {', '.join(SEVERITIES)}",
                                         place=f"types.{kind}.hows.{how}")
        used = {name for _, name, _, _ in string.Formatter().parse(settings["message"]) if name}
        unknown = used - MESSAGE_FIELDS[kind]
        if unknown:
            raise InputError(path, f"message of {kind} uses unknown field(s) {', '.join(sorted(unknown))}",
                             place=f"types.{kind}.message",
                             hint=f"fields available: {', '.join(sorted(MESSAGE_FIELDS[kind]))}")
