"""The one whitelist of node labels, relationship types and roles.

Stores and queries take labels and relationship types only from here, never
from user input, so no text a user types can change the shape of a query.
"""
from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    GAZETTE = "Gazette"
    DOCUMENT = "Document"
    PROVISION = "Provision"
    DEPARTMENT = "Department"
    ASSIGNMENT = "Assignment"
    SERVICE_ITEM = "ServiceItem"
    LAW_ARTICLE = "LawArticle"
    TARGET = "Target"
    CITATION = "Citation"
    FINDING = "Finding"


class Rel(str, Enum):
    PUBLISHED_IN = "PUBLISHED_IN"
    PART_OF = "PART_OF"
    HAS_ASSIGNMENT = "HAS_ASSIGNMENT"
    ASSIGNED_TO = "ASSIGNED_TO"
    DESCRIBES = "DESCRIBES"
    IMPLEMENTS = "IMPLEMENTS"
    SETS = "SETS"
    CITES = "CITES"
    CONCERNS = "CONCERNS"


#: Which labels each relationship type joins, (from, to): the one statement of
#: the graph's shape.  Both stores refuse a relationship not listed here, and
#: the Neo4j writer derives its statements from it (graph/neo4j_backend/cypher.py).
REL_ENDPOINTS: dict[Rel, tuple[tuple[Label, Label], ...]] = {
    Rel.PUBLISHED_IN: ((Label.DOCUMENT, Label.GAZETTE),),
    Rel.PART_OF: ((Label.PROVISION, Label.DOCUMENT), (Label.PROVISION, Label.PROVISION)),
    Rel.HAS_ASSIGNMENT: ((Label.PROVISION, Label.ASSIGNMENT),),
    Rel.ASSIGNED_TO: ((Label.ASSIGNMENT, Label.DEPARTMENT),),
    Rel.DESCRIBES: ((Label.PROVISION, Label.SERVICE_ITEM),),
    Rel.IMPLEMENTS: ((Label.PROVISION, Label.LAW_ARTICLE),),
    Rel.SETS: ((Label.PROVISION, Label.TARGET),),
    Rel.CITES: ((Label.PROVISION, Label.CITATION),),
    Rel.CONCERNS: ((Label.FINDING, Label.PROVISION),),
}


class Role(str, Enum):
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    SUPPORTING = "supporting"


ROLE_ORDER = {Role.LEAD.value: 0, Role.RESPONSIBLE.value: 1, Role.SUPPORTING.value: 2, "none": 3}

DEPARTMENT_KINDS = ("government", "agency", "enterprise", "collective", "party",
                    "judicial", "town", "generic", "unknown")


def joins(rel_type: str, from_label: str | None, to_label: str | None) -> bool:
    """Whether the schema lets a relationship of that type join those labels (plain strings, as rows hold them).

    >>> joins("PART_OF", "Provision", "Document"), joins("PART_OF", "Document", "Provision")
    (True, False)
    """
    return any(rel.value == rel_type and (src.value, dst.value) == (from_label, to_label)
               for rel, pairs in REL_ENDPOINTS.items() for src, dst in pairs)
