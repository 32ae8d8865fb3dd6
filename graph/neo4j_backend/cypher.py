"""Every Cypher statement of dutygraph, as named constants.

The statements of graph/neo4j_backend/store.py (writes) and reads.py (the
query primitives).  Values travel only as `$parameters`.  Labels and relationship types are
formatted into the text here, once, at import, and only from the enums of
graph/schema.py — never from input — so no name or topic a user types can
change the shape of a statement.

>>> print(MERGE_NODES[Label.PROVISION])
UNWIND $rows AS row
MERGE (n:Provision {id: row.id})
SET n += row.props
>>> sorted(MERGE_RELATIONSHIPS)[0]
('ASSIGNED_TO', 'Assignment', 'Department')
"""
from __future__ import annotations

from graph.records import DOCUMENT_OWNED
from graph.schema import REL_ENDPOINTS, Label, Rel

# -- schema ---------------------------------------------------------------

#: One uniqueness constraint on `id` per label: MERGE on id is then an index
#: seek, and two writers cannot create the same node twice.
CONSTRAINTS = {label: f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS "
                      f"FOR (n:{label.value}) REQUIRE n.id IS UNIQUE" for label in Label}

# (label, property) pairs that some statement below looks up by value.
_LOOKUPS = ((Label.PROVISION, "doc_id"), (Label.PROVISION, "kind"), (Label.ASSIGNMENT, "doc_id"),
            (Label.ASSIGNMENT, "provision_id"), (Label.ASSIGNMENT, "department_id"),
            (Label.DEPARTMENT, "name"), (Label.SERVICE_ITEM, "provision_id"),
            (Label.TARGET, "doc_id"), (Label.CITATION, "doc_id"), (Label.DOCUMENT, "number"))
INDEXES = {(label, prop): f"CREATE INDEX {label.value.lower()}_{prop} IF NOT EXISTS "
                          f"FOR (n:{label.value}) ON (n.{prop})" for label, prop in _LOOKUPS}

# The cjk analyzer indexes overlapping character bigrams, the same unit the
# query side (queries/ranking.py) searches with, so Chinese needs no word list.
FULLTEXT_PROVISIONS = "provision_fulltext"
FULLTEXT_DOCUMENTS = "document_fulltext"
FULLTEXT_DEPARTMENTS = "department_fulltext"
#: name -> (label, properties).  Provisions are indexed on search_text alone:
#: it already holds the text and the headings above it, and every search
#: filters on it, so indexing text and heading too only doubled the index
#: work each load's commit waits for.
FULLTEXT_FIELDS = {
    FULLTEXT_PROVISIONS: (Label.PROVISION, ("search_text",)),
    FULLTEXT_DOCUMENTS: (Label.DOCUMENT, ("title",)),
    FULLTEXT_DEPARTMENTS: (Label.DEPARTMENT, ("name", "aliases")),
}
# Consistent, not eventually: a search right after a load sees the load.
FULLTEXT_ANALYZER, FULLTEXT_EVENTUALLY_CONSISTENT = "cjk", False
_CJK = (f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}', "
        f"`fulltext.eventually_consistent`: {str(FULLTEXT_EVENTUALLY_CONSISTENT).lower()}}}}}")
FULLTEXT_INDEXES = {
    name: f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{label.value}) "
          f"ON EACH [{', '.join('n.' + prop for prop in props)}] {_CJK}"
    for name, (label, props) in FULLTEXT_FIELDS.items()}
# A full-text index of an older definition (CREATE … IF NOT EXISTS keeps it as
# it is) is dropped and made again; names come from FULLTEXT_FIELDS only.
SHOW_FULLTEXT = ("SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options\n"
                 "RETURN name, labelsOrTypes, properties, options.indexConfig.`fulltext.analyzer` AS analyzer,\n"
                 "       options.indexConfig.`fulltext.eventually_consistent` AS eventually_consistent")
DROP_INDEX = {name: f"DROP INDEX {name} IF EXISTS" for name in FULLTEXT_FIELDS}
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type RETURN *"
SHOW_INDEXES = "SHOW INDEXES YIELD name, labelsOrTypes, properties, type, state, options RETURN *"

# -- writing one load: its documents replaced in one transaction ------------

# Labels whose nodes carry the doc_id of the document that owns them.  Service
# items have no doc_id; they go through their provision (as in graph/networkx_backend/store.py).
_OWNED_BY_DOC_ID = tuple(Label(v) for v in DOCUMENT_OWNED if v != Label.SERVICE_ITEM.value)

# Each delete returns the ids and relationship keys it removed, so the store
# can tell a node re-created by a reload from a node that is really new.
_RETURN_REMOVED = ("WITH n, n.id AS id, [(n)-[r]-() | [startNode(r).id, type(r), endNode(r).id]] AS rels\n"
                   "DETACH DELETE n\nRETURN id, rels")
# Every delete takes the list of documents being replaced ($doc_ids).
_EACH_DOC = "UNWIND $doc_ids AS doc_id\n"
DELETE_OWNED = {label: f"{_EACH_DOC}MATCH (n:{label.value} {{doc_id: doc_id}})\n{_RETURN_REMOVED}"
                for label in _OWNED_BY_DOC_ID}
DELETE_SERVICE_ITEMS = (f"{_EACH_DOC}MATCH (p:{Label.PROVISION.value} {{doc_id: doc_id}})\n"
                        f"MATCH (n:{Label.SERVICE_ITEM.value} {{provision_id: p.id}})\n{_RETURN_REMOVED}")
# On reload the Document node stays (MERGE updates it); only its links go.
DELETE_DOCUMENT_LINKS = (f"{_EACH_DOC}MATCH (d:{Label.DOCUMENT.value} {{id: doc_id}})-[r]-()\n"
                         f"WITH r, [startNode(r).id, type(r), endNode(r).id] AS key\nDELETE r\nRETURN key")
DELETE_DOCUMENT_NODE = (f"{_EACH_DOC}MATCH (n:{Label.DOCUMENT.value} {{id: doc_id}})\n{_RETURN_REMOVED}")
# Which of a load's documents are stored already: only those have a previous
# version to delete and can orphan shared nodes.
STORED_DOCUMENTS = (f"{_EACH_DOC}MATCH (d:{Label.DOCUMENT.value} {{id: doc_id}})\n"
                    "RETURN collect(d.id) AS ids")

MERGE_NODES = {label: f"UNWIND $rows AS row\nMERGE (n:{label.value} {{id: row.id}})\nSET n += row.props"
               for label in Label}
# Departments are shared by documents: a reload may add aliases but never
# drops those another document brought (the union, sorted, as nx_store does).
MERGE_NODES[Label.DEPARTMENT] = (
    f"UNWIND $rows AS row\nOPTIONAL MATCH (old:{Label.DEPARTMENT.value} {{id: row.id}})\n"
    # (a subquery may not stand inside MERGE, so the union is computed first)
    "WITH row, COLLECT { UNWIND coalesce(old.aliases, []) + row.props.aliases AS a "
    "RETURN DISTINCT a ORDER BY a } AS aliases\n"
    f"MERGE (n:{Label.DEPARTMENT.value} {{id: row.id}})\n"
    "ON CREATE SET n += row.props\n"
    "ON MATCH SET n.aliases = aliases, n.needs_review = coalesce(n.needs_review, false) AND row.props.needs_review")

# Keyed by plain strings (type, from label, to label) because the store looks
# them up from graph_rows(), whose rows hold strings.
MERGE_RELATIONSHIPS = {
    (rel.value, src.value, dst.value): (
        f"UNWIND $rows AS row\nMATCH (a:{src.value} {{id: row.from}})\nMATCH (b:{dst.value} {{id: row.to}})\n"
        f"MERGE (a)-[r:{rel.value}]->(b)\nSET r += row.props")
    for rel, pairs in REL_ENDPOINTS.items() for src, dst in pairs}

# A write sends one statement per label: each node row also carries the
# relationships to other nodes of the same write, and a relationship travels
# with the endpoint written later (the other exists by then).  Per-type
# relationship statements (above) remain for links to nodes already stored.
WRITE_ORDER = tuple(Label)
_RANK = {label: i for i, label in enumerate(WRITE_ORDER)}
#: label -> its links, each (relationship type, other label, outgoing from the row's node)
LINKS = {label: tuple((rel, dst if src is label else src, src is label)
                      for rel, pairs in REL_ENDPOINTS.items() for src, dst in pairs
                      if max(src, dst, key=_RANK.get) is label)
         for label in WRITE_ORDER}
#: (type, from label, to label) -> (label of the statement that writes it, slot in row.links)
LINK_SLOT = {(rel.value, (label if out else other).value, (other if out else label).value): (label, i)
             for label, links in LINKS.items() for i, (rel, other, out) in enumerate(links)}


def _link(i: int, rel: Rel, other: Label, outgoing: bool) -> str:
    # FOREACH, because a statement cannot MATCH inside it: MERGE finds the
    # other end, which the store made sure is a node of this same write (or
    # creates it bare, if its own row comes later in the list, and that row
    # then fills it in).
    pattern = f"(n)-[r:{rel.value}]->(m)" if outgoing else f"(m)-[r:{rel.value}]->(n)"
    return (f"FOREACH (link IN row.links[{i}] | MERGE (m:{other.value} {{id: link.id}}) "
            f"MERGE {pattern} SET r += link.props)")


MERGE_LINKED = {label: "\n".join([MERGE_NODES[label]] + [_link(i, *link) for i, link in enumerate(LINKS[label])])
                for label in WRITE_ORDER}

# Findings are derived from the whole graph: each analysis replaces them all.
DELETE_FINDINGS = f"MATCH (f:{Label.FINDING.value}) DETACH DELETE f"

# Shared nodes nothing points at any more (a department no document names).
SHARED = (Label.DEPARTMENT, Label.LAW_ARTICLE, Label.GAZETTE)
PRUNE_ORPHANS = {label: f"MATCH (n:{label.value}) WHERE NOT EXISTS {{ ()-->(n) }}\nDETACH DELETE n"
                 for label in SHARED}

# -- reading: one statement per backend primitive ---------------------------

_P, _A, _D = Label.PROVISION.value, Label.ASSIGNMENT.value, Label.DEPARTMENT.value
_DOC = Label.DOCUMENT.value

# The provision row of graph/networkx_backend/reads.py `_provision_row`.
_PROVISION_FIELDS = ["p.id AS provision_id", "p.unit AS unit", "p.kind AS kind",
                     "coalesce(p.heading, '') AS heading", "coalesce(p.text, '') AS text",
                     "coalesce(p.search_text, '') AS search_text", "coalesce(p.`order`, 0) AS `order`",
                     "p.doc_id AS doc_id", "coalesce(d.number, '') AS doc_number",
                     "coalesce(d.title, '') AS doc_title", "coalesce(d.place, '') AS doc_place"]
_SPAN = ["coalesce(p.span_start, 0) AS span_start", "coalesce(p.span_end, 0) AS span_end",
         "coalesce(p.page, 0) AS page"]
_PROVISION_ROW = ", ".join(_PROVISION_FIELDS + _SPAN)
# With an assignment the assignment's span wins, as in the networkx twin's
# `{**provision, **assignment}`; so these rows leave the provision span out.
_PROVISION_NO_SPAN = ", ".join(_PROVISION_FIELDS)
_WITH_DOC = f"OPTIONAL MATCH (d:{_DOC} {{id: p.doc_id}})"
# The assignment row of `_own_assignments`; the department is looked up by the
# assignment's department_id, exactly as the networkx twin does.
_WITH_DEPT = f"OPTIONAL MATCH (dep:{_D} {{id: a.department_id}})"
_ASSIGNMENT_ROW = ", ".join([
    "a.id AS assignment_id", "coalesce(a.department_id, '') AS department_id",
    "coalesce(dep.name, '') AS department", "coalesce(dep.kind, '') AS department_kind", "a.role AS role",
    "coalesce(a.vague, '') AS vague", "coalesce(a.open_ended, false) AS open_ended",
    "coalesce(a.condition, '') AS condition", "coalesce(a.pending, false) AS pending",
    "coalesce(a.deadline, '') AS deadline", "coalesce(a.deadline_date, '') AS deadline_date",
    "coalesce(a.printed_name, '') AS printed_name", "coalesce(a.source, '') AS source",
    "coalesce(a.quote, '') AS quote", "coalesce(a.span_start, 0) AS span_start",
    "coalesce(a.span_end, 0) AS span_end", "coalesce(a.level, '') AS level", "coalesce(a.field, '') AS field",
    "coalesce(a.designated, false) AS designated", "coalesce(a.page, 0) AS page"])

COUNT_PROVISIONS = f"MATCH (p:{_P}) RETURN count(p) AS n"

# Candidates for a topic.  The full-text index narrows the provisions, then the
# CONTAINS test decides, so on a store with fewer matches than $limit the
# answer is exactly the networkx one.  Past $limit the index keeps the best by
# its own score (Lucene's top-k: `limit` in the procedure's options, so only
# those nodes are read), where an `ORDER BY provision_id LIMIT` read, filtered
# and sorted every match (with the laws loaded, 噪声 alone matches thousands).
SEARCH_FULLTEXT = (f"CALL db.index.fulltext.queryNodes('{FULLTEXT_PROVISIONS}', $lucene, {{limit: $limit}}) "
                   "YIELD node AS p\n"
                   "WITH p WHERE any(t IN $terms WHERE p.search_text CONTAINS t)\n"
                   f"{_WITH_DOC}\nRETURN {_PROVISION_ROW}\nORDER BY provision_id")
# For terms the index cannot answer exactly (a lone character, ASCII words): a scan.
SEARCH_SCAN = (f"MATCH (p:{_P}) WHERE any(t IN $terms WHERE p.search_text CONTAINS t)\n"
               f"{_WITH_DOC}\nRETURN {_PROVISION_ROW}\nORDER BY provision_id LIMIT $limit")

# A provision's holders are its own assignments, else the nearest ancestor's.
HOLDERS = (f"UNWIND range(0, size($ids) - 1) AS i\nWITH i, $ids[i] AS pid\nMATCH (start:{_P} {{id: pid}})\n"
           f"MATCH path = (start)-[:{Rel.PART_OF.value}*0..]->(h:{_P})\n"
           f"WHERE EXISTS {{ (h)-[:{Rel.HAS_ASSIGNMENT.value}]->() }}\n"
           "WITH i, pid, h, length(path) AS depth ORDER BY depth\n"
           "WITH i, pid, head(collect(h)) AS h, head(collect(depth)) AS depth\n"
           f"MATCH (h)-[:{Rel.HAS_ASSIGNMENT.value}]->(a:{_A})\n{_WITH_DEPT}\n"
           f"RETURN pid AS provision_id, CASE depth WHEN 0 THEN '' ELSE h.unit END AS inherited_from, "
           f"{_ASSIGNMENT_ROW}\nLIMIT $limit")

_FIND_DEPARTMENT_ROW = ("RETURN n.id AS id, n.name AS name, n.kind AS kind, coalesce(n.aliases, []) AS aliases\n"
                        "ORDER BY CASE WHEN n.name = $name THEN 0 ELSE 1 END, n.id LIMIT 1")
# A department by name (the name index) or alias: the full-text index over
# name and aliases finds the departments whose text holds the phrase (a list
# property is indexed item by item), and equality decides.  Read every
# department instead (4,140 with the laws loaded: 8,286 db hits per question).
FIND_DEPARTMENT = (f"CALL {{\n  MATCH (n:{_D} {{name: $name}}) RETURN n\n  UNION\n"
                   f"  CALL db.index.fulltext.queryNodes('{FULLTEXT_DEPARTMENTS}', $phrase) YIELD node AS n\n"
                   "  WITH n WHERE $name IN coalesce(n.aliases, []) RETURN n\n}\n" + _FIND_DEPARTMENT_ROW)
# For a name with no letter, digit or Han character the analyzer makes no
# token of, so no phrase to ask the index: every department is read.
FIND_DEPARTMENT_SCAN = (f"MATCH (n:{_D}) WHERE n.name = $name OR $name IN coalesce(n.aliases, [])\n"
                        + _FIND_DEPARTMENT_ROW)

DEPARTMENT_DUTIES = (f"MATCH (a:{_A})-[:{Rel.ASSIGNED_TO.value}]->(:{_D} {{id: $dept_id}})\n"
                     f"MATCH (p:{_P} {{id: a.provision_id}})-[:{Rel.HAS_ASSIGNMENT.value}]->(a)\n"
                     f"{_WITH_DOC}\n{_WITH_DEPT}\nRETURN {_PROVISION_NO_SPAN}, {_ASSIGNMENT_ROW}\nLIMIT $limit")

DEPARTMENTS = (f"MATCH (n:{_D})\nOPTIONAL MATCH (a:{_A})-[:{Rel.ASSIGNED_TO.value}]->(n)\n"
               "WITH n, a.role AS role, count(a) AS c\n"
               "WITH n, collect(CASE WHEN role IS NULL THEN null ELSE [role, c] END) AS roles\n"
               "RETURN n.id AS id, n.name AS name, n.kind AS kind, coalesce(n.aliases, []) AS aliases, "
               "coalesce(n.needs_review, false) AS needs_review, roles\nLIMIT $limit")

ASSIGNMENT_ROWS = (f"MATCH (p:{_P})-[:{Rel.HAS_ASSIGNMENT.value}]->(a:{_A})\n{_WITH_DOC}\n{_WITH_DEPT}\n"
                   f"RETURN {_PROVISION_NO_SPAN}, {_ASSIGNMENT_ROW}\nLIMIT $limit")

# Leaves (no child provision) that nobody holds, directly or through an ancestor.
GAP_PROVISIONS = (f"MATCH (p:{_P}) WHERE NOT p.kind IN $skip_kinds\n"
                  f"  AND NOT EXISTS {{ ()-[:{Rel.PART_OF.value}]->(p) }}\n"
                  f"  AND NOT EXISTS {{ (p)-[:{Rel.PART_OF.value}*0..]->(h:{_P}) "
                  f"WHERE EXISTS {{ (h)-[:{Rel.HAS_ASSIGNMENT.value}]->() }} }}\n"
                  f"{_WITH_DOC}\nRETURN {_PROVISION_ROW}\nLIMIT $limit")

DOCUMENTS = (f"MATCH (n:{_DOC})\nRETURN n.id AS id, coalesce(n.number, '') AS number, "
             "coalesce(n.title, '') AS title, coalesce(n.issuer, '') AS issuer, coalesce(n.date, '') AS date, "
             "coalesce(n.source, '') AS source, coalesce(n.place, '') AS place, coalesce(n.kind, '') AS kind, "
             f"COUNT {{ MATCH (p:{_P}) WHERE p.doc_id = n.id }} AS provisions\nLIMIT $limit")

PROVISION = (f"MATCH (p:{_P} {{id: $id}})\n{_WITH_DOC}\n"
             f"RETURN {_PROVISION_ROW},\n"
             f"  COLLECT {{ MATCH (p)-[:{Rel.PART_OF.value}]->(up:{_P}) RETURN up.id }} AS parents,\n"
             f"  COLLECT {{ MATCH (c)-[:{Rel.PART_OF.value}]->(p) RETURN c.id }} AS children,\n"
             f"  COLLECT {{ MATCH (p)-[:{Rel.CITES.value}]->(x) RETURN x.number }} AS citations\nLIMIT 1")

DOCUMENT_PROVISIONS = (f"MATCH (p:{_P} {{doc_id: $doc_id}})\n{_WITH_DOC}\n"
                       f"RETURN {_PROVISION_ROW},\n"
                       f"  COLLECT {{ MATCH (p)-[:{Rel.PART_OF.value}]->(up:{_P}) RETURN up.id }} AS parents\n"
                       "ORDER BY order, provision_id")

# The targets (指标) provisions set: "by 2025 PM2.5 ≤ 26 微克/立方米".
_TARGET_ROW = ("RETURN p.id AS provision_id, t.id AS id, coalesce(t.indicator, '') AS indicator, "
               "coalesce(t.value, '') AS value, coalesce(t.unit_of_measure, '') AS unit, "
               "coalesce(t.year, '') AS year, coalesce(t.quote, '') AS quote, "
               "coalesce(t.span_start, 0) AS span_start, coalesce(t.span_end, 0) AS span_end\nLIMIT $limit")
TARGETS = (f"UNWIND $ids AS pid\nMATCH (p:{_P} {{id: pid}})-[:{Rel.SETS.value}]->(t:{Label.TARGET.value})\n"
           + _TARGET_ROW)
ALL_TARGETS = f"MATCH (p:{_P})-[:{Rel.SETS.value}]->(t:{Label.TARGET.value})\n" + _TARGET_ROW

SERVICE_ITEMS = (f"MATCH (n:{Label.SERVICE_ITEM.value})\nRETURN n.id AS id, n.name AS name, "
                 "coalesce(n.category, '') AS category, n.provision_id AS provision_id, "
                 "coalesce(n.attributes, '{}') AS attributes\nLIMIT $limit")

LAW_ARTICLES = (f"MATCH (n:{Label.LAW_ARTICLE.value})\nRETURN n.id AS id, coalesce(n.law, '') AS law, "
                f"n.name AS label, COLLECT {{ MATCH (p)-[:{Rel.IMPLEMENTS.value}]->(n) RETURN p.id }} "
                "AS provision_ids\nLIMIT $limit")

# Count-store lookups, one per label: no scan of the graph.  (A UNION ALL of
# `MATCH (n:L) RETURN 'L' AS label, count(n)` scans every node instead: the
# literal makes it a grouped aggregation, which the count store cannot answer.)
STATS = ("UNWIND [" + ", ".join(f"['{label.value}', COUNT {{ MATCH (:{label.value}) }}]" for label in Label)
         + "] AS row\nRETURN row[0] AS label, row[1] AS n")

# -- laws and their local implementation (issue 13; law_reads.py) ---------------
_LA = Label.LAW_ARTICLE.value
# Every local provision that implements a law article (a law-article table row, 依据《…》第X条).
IMPLEMENTATIONS = (f"MATCH (p:{_P})-[:{Rel.IMPLEMENTS.value}]->(la:{_LA})\n{_WITH_DOC}\n"
                   f"RETURN {_PROVISION_ROW}, la.id AS article_id, coalesce(la.law, '') AS law, "
                   "la.name AS label\nLIMIT $limit")
# The assignments of some documents (a law's articles), in the shape of ASSIGNMENT_ROWS.
DOCUMENT_ASSIGNMENT_ROWS = (f"MATCH (p:{_P})-[:{Rel.HAS_ASSIGNMENT.value}]->(a:{_A}) WHERE p.doc_id IN $doc_ids\n"
                            f"{_WITH_DOC}\n{_WITH_DEPT}\nRETURN {_PROVISION_NO_SPAN}, {_ASSIGNMENT_ROW}\n"
                            "LIMIT $limit")
# Which named departments hold duties in the local (non-law) documents of each place.
# Distinct (department id, place) pairs first, by the assignments' department_id
# (as the networkx twin reads it), and only then each department: the
# departments of 113,158 local assignments were read one by one (931,400 db hits).
PLACE_DEPARTMENTS = (f"MATCH (d:{_DOC}) WHERE coalesce(d.kind, '') = ''\n"
                     f"MATCH (a:{_A} {{doc_id: d.id}})\n"
                     "WITH DISTINCT a.department_id AS department_id, coalesce(d.place, '') AS doc_place\n"
                     f"MATCH (dep:{_D} {{id: department_id}})\n"
                     "RETURN dep.id AS department_id, dep.name AS department, "
                     "coalesce(dep.kind, '') AS department_kind, doc_place\nLIMIT $limit")
