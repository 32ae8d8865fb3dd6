"""LoadResult → node and relationship rows, the shape both stores write.

One function decides what the graph looks like, so the networkx file and the
Neo4j database hold the same nodes, properties and relationships.

>>> from graph.model import LoadResult
>>> graph_rows(LoadResult(source="x"))
([], [])
"""
from __future__ import annotations

import json

from graph.model import LoadResult
from graph.schema import Label, Rel


def searchable_text(provision, by_id: dict, prefixes: dict | None = None) -> str:
    """A provision's text with the headings above it, so a clause under
    "三、实施消费品以旧换新行动" is found by 以旧换新.  `prefixes` (parent id ->
    the headings down to it) saves walking up again for every sibling."""
    return _headings_down_to(provision.parent_id, by_id, {} if prefixes is None else prefixes) + " " + provision.text


def _headings_down_to(node_id, by_id: dict, prefixes: dict) -> str:
    """The headings from the top down to node_id, space-separated ("" above the top)."""
    if node_id not in prefixes:
        node = by_id.get(node_id)
        if node is None:
            prefixes[node_id] = ""
        elif by_id.get(node.parent_id) is None:
            prefixes[node_id] = node.heading
        else:
            prefixes[node_id] = _headings_down_to(node.parent_id, by_id, prefixes) + " " + node.heading
    return prefixes[node_id]


def graph_rows(result: LoadResult) -> tuple[list[dict], list[dict]]:
    """Nodes as {"id", "label", "props"} and relationships as {"type", "from", "to", "props"}."""
    nodes: list[dict] = []
    rels: list[dict] = []
    by_id = {p.id: p for p in result.provisions}
    prefixes: dict = {}
    if result.gazette and result.documents:
        g = result.gazette
        nodes.append(_node(g.id, Label.GAZETTE, name=g.title, title=g.title, issue=g.issue, date=g.date))
    for d in result.documents:
        nodes.append(_node(d.id, Label.DOCUMENT, name=d.label, number=d.number, title=d.title, issuer=d.issuer,
                           date=d.date, addressees=list(d.addressees), source=d.source, place=d.place, kind=d.kind,
                           span_start=d.span[0], span_end=d.span[1]))
        if d.gazette_id:
            rels.append(_rel(Rel.PUBLISHED_IN, d.id, d.gazette_id))
    for p in result.provisions:
        nodes.append(_node(p.id, Label.PROVISION, name=p.unit, doc_id=p.doc_id, unit=p.unit, kind=p.kind,
                           heading=p.heading, text=p.text, search_text=searchable_text(p, by_id, prefixes),
                           span_start=p.span[0], span_end=p.span[1], order=p.order,
                           uncertain=list(p.uncertain), parent_id=p.parent_id, **_page(p.page)))
        rels.append(_rel(Rel.PART_OF, p.id, p.parent_id or p.doc_id))
    # Only what the result's own rows use, so the rows of a whole result are
    # exactly the union of its documents' (LoadResult.for_document keeps the same).
    named = {a.department_id for a in result.assignments}
    implemented = {art_id for _, art_id in result.implements}
    for dep in (d for d in result.departments if d.id in named):
        nodes.append(_node(dep.id, Label.DEPARTMENT, name=dep.name, kind=dep.kind, aliases=list(dep.aliases),
                           needs_review=dep.needs_review))
    for a in result.assignments:
        e = a.evidence
        nodes.append(_node(a.id, Label.ASSIGNMENT, name=a.role, provision_id=a.provision_id, doc_id=e.doc_id,
                           unit=e.unit, department_id=a.department_id, role=a.role, printed_name=a.printed_name,
                           vague=a.vague, open_ended=a.open_ended, condition=a.condition, pending=a.pending,
                           deadline=a.deadline, deadline_date=a.deadline_date, source=a.source,
                           quote=e.quote, span_start=e.span[0], span_end=e.span[1],
                           level=a.level, field=a.field, designated=a.designated, **_page(e.page, e.position)))
        rels.append(_rel(Rel.HAS_ASSIGNMENT, a.provision_id, a.id))
        if a.department_id:
            rels.append(_rel(Rel.ASSIGNED_TO, a.id, a.department_id))
    for s in result.service_items:
        nodes.append(_node(s.id, Label.SERVICE_ITEM, name=s.name, category=s.category, provision_id=s.provision_id,
                           attributes=json.dumps(dict(s.attributes), ensure_ascii=False)))
        rels.append(_rel(Rel.DESCRIBES, s.provision_id, s.id))
    for art in (a for a in result.law_articles if a.id in implemented):
        nodes.append(_node(art.id, Label.LAW_ARTICLE, name=art.label, law=art.law, label_text=art.label,
                           text=art.text))
    for pid, art_id in result.implements:
        rels.append(_rel(Rel.IMPLEMENTS, pid, art_id))
    for t in result.targets:
        nodes.append(_node(t.id, Label.TARGET, name=t.indicator, provision_id=t.provision_id, doc_id=t.evidence.doc_id,
                           indicator=t.indicator, value=t.value, unit_of_measure=t.unit, year=t.year,
                           quote=t.evidence.quote, span_start=t.evidence.span[0], span_end=t.evidence.span[1]))
        rels.append(_rel(Rel.SETS, t.provision_id, t.id))
    for c in result.citations:
        nodes.append(_node(c.id, Label.CITATION, name=c.number, provision_id=c.provision_id, doc_id=c.evidence.doc_id,
                           number=c.number, title=c.title, quote=c.evidence.quote,
                           span_start=c.evidence.span[0], span_end=c.evidence.span[1]))
        rels.append(_rel(Rel.CITES, c.provision_id, c.id))
    return nodes, rels


def _page(page: int, position: tuple = ()) -> dict:
    """The PDF page (and the quote's position on it) as properties; nothing for a text file."""
    if not page:
        return {}
    return {"page": page, **({"page_position": list(position)} if position else {})}


def _node(node_id: str, label: Label, **props) -> dict:
    props["id"] = node_id
    return {"id": node_id, "label": label.value, "props": props}


def _rel(rel: Rel, src: str, dst: str, **props) -> dict:
    return {"type": rel.value, "from": src, "to": dst, "props": props}


# Nodes that belong to one document and go when it is reloaded or deleted.
DOCUMENT_OWNED = (Label.PROVISION.value, Label.ASSIGNMENT.value, Label.SERVICE_ITEM.value,
                  Label.TARGET.value, Label.CITATION.value)
