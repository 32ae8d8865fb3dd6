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


def read_user_yaml(path: str, what: str, example: str) -> dict:
    """A YAML file a user gives to lay over bundled data (rules, cues): a clear error naming the file
    and the place when it cannot be read or parsed, pointing at the bundled `example`."""
    import yaml

    from graph.errors import InputError
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except OSError as exc:
        raise InputError(path, f"cannot read the {what} ({exc.strerror})",
                         hint=f"give the path of a YAML file like ontology/{example}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"the {what} is not valid YAML ({exc.__class__.__name__})",
                         place=str(getattr(exc, "problem_mark", "") or ""),
                         hint=f"compare with the bundled ontology/{example}") from None
