"""The words loaders read duties by: role labels, deadline labels, table header words.

Data in ontology/labels.yaml, read once; code keeps only general rules of form.

>>> role_labels()["牵头单位"], role_labels()["推进单位"]
('lead', 'responsible')
>>> "序号" in table_headers()["num"]
True
"""
from __future__ import annotations

import functools

import yaml

from ontology import data_path

LABELS_PATH = data_path("labels.yaml")


@functools.lru_cache(maxsize=1)
def _labels() -> dict:
    with open(LABELS_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def role_labels() -> dict[str, str | None]:
    """Label → role (lead | responsible | supporting), None for a label that names no holder."""
    return dict(_labels()["role_labels"])


def holder_verbs() -> dict[str, tuple[str, ...]]:
    """Role → the verbs after a holder list that give it (lead, with, supporting, responsible), and
    role_nouns, duty_manner, each_by_duty: see ontology/labels.yaml."""
    data = _labels()
    words = {role: tuple(v) for role, v in data["holder_verbs"].items()}
    words.update({f"noun_{role}": tuple(v) for role, v in data["role_nouns"].items()})
    words["duty_manner"], words["each_by_duty"] = tuple(data["duty_manner"]), tuple(data["each_by_duty"])
    return words


def lead_marks() -> dict[str, tuple[str, ...]]:
    """Marks that make the name beside them the lead: bracketed words (牵头) and symbols (★)."""
    return {kind: tuple(words) for kind, words in _labels()["lead_marks"].items()}


def service_list_titles() -> tuple[str, ...]:
    """Words of a table's title that make it a list of public services (rows 清单/<n>)."""
    return tuple(_labels()["service_list_titles"])


def note_labels() -> tuple[str, ...]:
    """Labels before a list whose own verbs say the roles (部门分工: X牵头, Y配合)."""
    return tuple(_labels()["note_labels"])


def deadline_labels() -> tuple[str, ...]:
    return tuple(_labels()["deadline_labels"])


def table_headers() -> dict[str, tuple[str, ...]]:
    """Column kind → header words (num, deadline, category, reference, task, other)."""
    return {kind: tuple(words) for kind, words in _labels()["table_headers"].items()}


def name_form() -> dict[str, tuple[str, ...]]:
    """not_endings, task_verbs and level_prefixes: what keeps ordinary words from passing as names."""
    return {key: tuple(words) for key, words in _labels()["name_form"].items()}


def duty_headings() -> tuple[str, ...]:
    """Heading words of a division of duties (职责分工, 部门职责 …)."""
    return tuple(_labels()["duty_headings"])


def linking_verbs() -> tuple[str, ...]:
    """组织, 指导 …: one holder has another do the work (农服中心组织兽医站负责)."""
    return tuple(_labels()["linking_verbs"])


def manner_words() -> tuple[str, ...]:
    """Words of manner between a holder list and its verb (结合实际, 因地制宜 …)."""
    return tuple(_labels()["manner_words"])


def first_leads() -> tuple[str, ...]:
    """Patterns of a sentence that makes the first-listed body of every list the lead."""
    return tuple(_labels()["first_leads"])


def same_as_above() -> tuple[str, ...]:
    """Words of a table cell that repeats the cell above it (同上)."""
    return tuple(_labels()["same_as_above"])
