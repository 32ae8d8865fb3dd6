"""The one whitelist of node labels, relationship types and roles.

Stores and queries take labels and relationship types only from here, never
from user input, so no text a user types can change the shape of a query.
"""
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
    PUBLISHED_IN = "PUBLISHED_IN"      # Document -> Gazette
    PART_OF = "PART_OF"                # Provision -> Document | Provision
    HAS_ASSIGNMENT = "HAS_ASSIGNMENT"  # Provision -> Assignment
    ASSIGNED_TO = "ASSIGNED_TO"        # Assignment -> Department
    DESCRIBES = "DESCRIBES"            # Provision -> ServiceItem
    IMPLEMENTS = "IMPLEMENTS"          # Provision -> LawArticle
    SETS = "SETS"                      # Provision -> Target
    CITES = "CITES"                    # Provision -> Citation
    CONCERNS = "CONCERNS"              # Finding -> Provision


class Role(str, Enum):
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    SUPPORTING = "supporting"


ROLE_ORDER = {Role.LEAD.value: 0, Role.RESPONSIBLE.value: 1, Role.SUPPORTING.value: 2, "none": 3}

DEPARTMENT_KINDS = ("government", "agency", "enterprise", "collective", "party",
                    "judicial", "town", "generic", "unknown")
