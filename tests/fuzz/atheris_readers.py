"""Coverage-guided fuzzing of the readers with atheris (libFuzzer): bytes in, our own error or a result out.

    python tests/fuzz/atheris_readers.py -runs=20000 -max_len=20000 -timeout=60 CORPUS_DIR [SEED_DIR ...]

Every input goes through service.loading.parse_bytes (decoding, HTML, Word,
PDF, then the parser), with the project's modules instrumented so that
libFuzzer steers toward inputs that reach new branches.  An exception other
than graph.errors.DutygraphError is a crash: libFuzzer prints it, writes the
input to crash-<sha1>, and exits non-zero.  -timeout is libFuzzer's per-input
hang detector (seconds).  tests/test_fuzz_atheris.py runs a short campaign
from the bundled documents as seeds; atheris is in the `test` extra, and where
it does not install that test is skipped (it is not a Neo4j test).
"""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    import atheris
    sys.path.insert(0, ROOT)
    with atheris.instrument_imports(include=["loaders", "ontology", "service", "graph"]):
        from graph.errors import DutygraphError
        from service.loading import parse_bytes
    import service.parse_warmup  # noqa: F401  (registries read before the first input)

    def one_input(data: bytes) -> None:
        try:
            parse_bytes(data, "fuzz.txt")
        except DutygraphError:
            pass

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
