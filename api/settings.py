"""Every setting in one table, read from the environment when asked (never at import time)."""
from __future__ import annotations

import os
from dataclasses import dataclass

import platformdirs

from loaders.limits import LIMITS

SETTINGS = {
    # name: (environment variable, default, help)
    "store": ("DUTYGRAPH_STORE", None, "path of the embedded store file"),
    "backend": ("DUTYGRAPH_BACKEND", "sqlite", "sqlite (embedded, default), networkx (embedded, one JSON file) "
                "or neo4j"),
    "neo4j_uri": ("NEO4J_URI", "bolt://127.0.0.1:7687", "Bolt URI of a Neo4j 5 server"),
    "neo4j_user": ("NEO4J_USER", "neo4j", "Neo4j user"),
    "neo4j_password": ("NEO4J_PASSWORD", "password", "Neo4j password"),
    "neo4j_database": ("NEO4J_DATABASE", "neo4j", "Neo4j database name"),
    "query_timeout": ("DUTYGRAPH_QUERY_TIMEOUT", "10", "seconds a backend query may take (HTTP 504 past it)"),
    "load_timeout": ("DUTYGRAPH_LOAD_TIMEOUT", "", "seconds one upload (POST /documents) may take in all: "
                     "reading the body, parsing and writing; past it the parse is stopped, nothing is written "
                     "(HTTP 504).  Empty: 60, or six query timeouts if that is more"),
    # the loaders' limits (loaders/limits.py), shown here so that the table is whole
    "max_upload_bytes": (LIMITS["max_bytes"][0], str(LIMITS["max_bytes"][1]), LIMITS["max_bytes"][2]),
    "max_docx_xml_bytes": (LIMITS["max_docx_xml_bytes"][0], str(LIMITS["max_docx_xml_bytes"][1]),
                           LIMITS["max_docx_xml_bytes"][2]),
    "max_pdf_pages": (LIMITS["max_pdf_pages"][0], str(LIMITS["max_pdf_pages"][1]), LIMITS["max_pdf_pages"][2]),
    "max_parse_workers": ("DUTYGRAPH_MAX_PARSE_WORKERS", "4", "uploads parsed at once, each in its own worker "
                          "process (~50-100 MB each); an upload that finds them all busy gets HTTP 503 with "
                          "Retry-After, nothing written"),
    "api_token": ("DUTYGRAPH_API_TOKEN", "", "bearer token for write endpoints; empty disables writes"),
    "cors_origins": ("DUTYGRAPH_CORS_ORIGINS", "", "comma-separated origins allowed by CORS; empty: CORS off"),
    "rdf_base": ("DUTYGRAPH_RDF_BASE", "https://dutygraph.example/id/", "IRI base of the RDF export"),
}


@dataclass(frozen=True)
class Settings:
    store: str
    backend: str
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    query_timeout: float
    load_timeout: float
    max_upload_bytes: int
    max_docx_xml_bytes: int
    max_pdf_pages: int
    max_parse_workers: int
    api_token: str
    cors_origins: str
    rdf_base: str


def default_store_path(backend: str = "sqlite") -> str:
    name = "store.json" if backend == "networkx" else "store.sqlite"
    return os.path.join(platformdirs.user_data_dir("dutygraph"), name)


def load_settings(**overrides) -> Settings:
    values = {}
    for name, (env, default, _help) in SETTINGS.items():
        value = overrides.get(name)
        if value is None:
            value = os.environ.get(env, default)
        values[name] = value
    values["store"] = values["store"] or default_store_path(values["backend"])
    values["query_timeout"] = float(values["query_timeout"])
    values["load_timeout"] = float(values["load_timeout"] or max(60.0, 6 * values["query_timeout"]))
    for name in ("max_upload_bytes", "max_docx_xml_bytes", "max_pdf_pages", "max_parse_workers"):
        values[name] = int(values[name])
    if values["max_parse_workers"] < 1:
        raise ValueError(f"DUTYGRAPH_MAX_PARSE_WORKERS={values['max_parse_workers']}: at least 1")
    return Settings(**values)


def loader_limits(settings: Settings) -> dict[str, int]:
    """The limits (loaders.limits names) an upload's parse worker applies, as these settings set them.

    Not max_bytes: the upload is already within max_upload_bytes when it is parsed, and the worker
    reads the bundled law texts with the file reader, whose cap must stay the server's own."""
    return {"max_docx_xml_bytes": settings.max_docx_xml_bytes, "max_pdf_pages": settings.max_pdf_pages}
