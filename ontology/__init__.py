"""The project's domain knowledge as data: department registries, place names, word lists, rules, laws.

Every module finds the bundled files through `data_path`, so the layout of this package is known in one place.

>>> data_path("labels.yaml").endswith("ontology/labels.yaml")
True
"""
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def data_path(*parts: str) -> str:
    """The path of a file shipped in the ontology package (labels.yaml, samples/…, laws/…)."""
    return os.path.join(_HERE, *parts)
