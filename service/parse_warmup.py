"""Imported only by the parse workers' forkserver (service/parse_worker.py), never by anything else.

Its import parses the bundled sample once, so that the registries, the cue
lists and the compiled patterns are in the forkserver's memory and every
worker forked from it starts warm: a small upload then takes ~0.05 s in a
worker instead of ~1.2 s.
"""
from graph.errors import DutygraphError
from ontology import data_path
from service.loading import parse_bytes

try:
    with open(data_path("samples", "shuangyashan-gazette-2024-05.txt"), "rb") as _sample:
        parse_bytes(_sample.read(), "warm-up.txt")
except (DutygraphError, OSError):
    # a server started with limits the sample breaks: the workers start cold, and each upload
    # meets the same limit with its own message
    pass
