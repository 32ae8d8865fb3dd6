"""The embedded store: a networkx MultiDiGraph persisted as one JSON file.

Writes replace each document whole (its old provisions, assignments … go
first), and the file is swapped in atomically (write a temp file, fsync,
os.replace), so a failed load leaves the previous file untouched and loading
the same text twice leaves the file byte-identical.
"""
from __future__ import annotations

import json
import os

import networkx as nx

from graph.files import file_key, read_json_and_key, write_atomically
from graph.errors import StoreError
from graph.model import LoadResult
from graph.records import DOCUMENT_OWNED, graph_rows
from graph.networkx_backend.reads import NetworkxBackend
from graph.schema import Label, joins

FORMAT = "dutygraph-networkx/1"


class NetworkxStore:
    shared = False      # a private copy of the file: see graph.seams.Store

    def __init__(self, path: str):
        self.path = path
        self.file_key: tuple | None = None     # the version of the file this graph is (graph.files.file_key)
        self.graph = self._read()

    def _read(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        if not os.path.exists(self.path):
            return graph
        data, self.file_key = read_json_and_key(self.path, "store", "move it away to start a new one")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise StoreError(f"{self.path}: not a dutygraph store (format {found!r})")
        for node in data["nodes"]:
            graph.add_node(node["id"], label=node["label"], **node["props"])
        for rel in data["relationships"]:
            graph.add_edge(rel["from"], rel["to"], key=rel["type"], type=rel["type"], **rel.get("props", {}))
        return graph

    def is_current(self) -> bool:
        """Whether the file is still the version this graph was read from (or saved as)."""
        return file_key(self.path) == self.file_key

    def reads(self) -> NetworkxBackend:
        """The query primitives over the graph as it is in memory now."""
        return NetworkxBackend(self.graph)

    def stats(self) -> dict:
        return self.reads().stats()

    # -- writing ----------------------------------------------------------
    def write_all(self, results: list[LoadResult]) -> dict:
        """Replace the documents of every result in memory; the next save() persists them all at once."""
        created = {"nodes": 0, "relationships": 0}
        for result in results:
            for key, n in self.write(result).items():
                created[key] += n
        return created

    def write(self, result: LoadResult) -> dict:
        """Replace every document of `result` in memory; call save() to persist.

        Returns what is new in the graph: a reload of unchanged text creates nothing.
        """
        before_nodes = set(self.graph.nodes)
        before_edges = set(self.graph.edges(keys=True))
        for doc in result.documents:
            self._remove_document(doc.id)
            nodes, rels = graph_rows(result.for_document(doc.id))
            _check_schema(self.graph, nodes, rels)
            for node in nodes:
                if node["id"] in self.graph and node["label"] == Label.DEPARTMENT.value:
                    self._merge_department(node)
                    continue
                self.graph.add_node(node["id"], label=node["label"], **node["props"])
            for rel in rels:
                if not self.graph.has_edge(rel["from"], rel["to"], key=rel["type"]):
                    self.graph.add_edge(rel["from"], rel["to"], key=rel["type"], type=rel["type"], **rel["props"])
        self._prune_orphans()
        return {"nodes": len(set(self.graph.nodes) - before_nodes),
                "relationships": len(set(self.graph.edges(keys=True)) - before_edges)}

    def _merge_department(self, node: dict) -> None:
        data = self.graph.nodes[node["id"]]
        aliases = sorted(set(data.get("aliases", [])) | set(node["props"].get("aliases", [])))
        data["aliases"] = aliases
        data["needs_review"] = bool(data.get("needs_review")) and bool(node["props"].get("needs_review"))

    def _remove_document(self, doc_id: str) -> bool:
        if doc_id not in self.graph:
            return False
        owned = [n for n, d in self.graph.nodes(data=True)
                 if d.get("doc_id") == doc_id and d.get("label") in DOCUMENT_OWNED]
        owned += [n for n, d in self.graph.nodes(data=True)
                  if d.get("label") == Label.SERVICE_ITEM.value and d.get("provision_id") in set(owned)]
        self.graph.remove_nodes_from(owned + [doc_id])
        return True

    def write_findings(self, nodes: list[dict], rels: list[dict]) -> None:
        """Replace every Finding node (persisted by the next save())."""
        self.graph.remove_nodes_from([n for n, d in self.graph.nodes(data=True)
                                      if d.get("label") == Label.FINDING.value])
        for node in nodes:
            self.graph.add_node(node["id"], label=node["label"], **node["props"])
        for rel in rels:
            if rel["to"] in self.graph:
                self.graph.add_edge(rel["from"], rel["to"], key=rel["type"], type=rel["type"], **rel["props"])

    def delete_document(self, doc_id: str) -> bool:
        removed = self._remove_document(doc_id)
        self._prune_orphans()
        return removed

    def _prune_orphans(self) -> None:
        """Departments, law articles and gazettes that nothing points to any more."""
        shared = (Label.DEPARTMENT.value, Label.LAW_ARTICLE.value, Label.GAZETTE.value)
        orphans = [n for n, d in self.graph.nodes(data=True)
                   if d.get("label") in shared and self.graph.in_degree(n) == 0]
        self.graph.remove_nodes_from(orphans)

    def save(self) -> None:
        nodes = [{"id": n, "label": d["label"], "props": {k: v for k, v in d.items() if k != "label"}}
                 for n, d in sorted(self.graph.nodes(data=True))]
        rels = [{"type": k, "from": u, "to": v,
                 "props": {a: b for a, b in d.items() if a != "type"}}
                for u, v, k, d in sorted(self.graph.edges(keys=True, data=True), key=lambda e: e[:3])]
        payload = json.dumps({"format": FORMAT, "nodes": nodes, "relationships": rels},
                             ensure_ascii=False, sort_keys=True, indent=0)
        try:
            self.file_key = write_atomically(self.path, payload)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({exc.strerror or exc}); "
                             f"the previous version is unchanged") from exc

    def close(self) -> None:
        pass


def _check_schema(graph: nx.MultiDiGraph, nodes: list[dict], rels: list[dict]) -> None:
    """Refuse a relationship graph/schema.py does not allow, as the Neo4j store does (a loader bug)."""
    labels = {n["id"]: n["label"] for n in nodes}
    for rel in rels:
        ends = [labels.get(end) or graph.nodes.get(end, {}).get("label") for end in (rel["from"], rel["to"])]
        if not joins(rel["type"], *ends):
            raise StoreError(f"relationship {rel['type']} {rel['from']} -> {rel['to']} joins nodes the "
                             f"schema does not allow or that are not in the write ({ends[0]} -> {ends[1]}); "
                             f"this is a loader bug")
