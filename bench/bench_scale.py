"""A store of N documents — the laws of ../shared/corpus/laws/ plus bench-corpus gazettes — and what
it costs: bulk load, adding one document, store size, peak memory, `who` / `duties` / one
department's findings in-process, over HTTP (a real `dutygraph serve` on loopback) and from the
CLI, and optionally a soak of mixed reads and writes over HTTP (issue 15, part 4).

    python bench/bench_scale.py --docs 1000 --out /tmp/scale-1000.md                  # embedded store
    python bench/bench_scale.py --backend neo4j --docs 1000 --out /tmp/neo-1000.md    # NEO4J_URI's database
    python bench/bench_scale.py --docs 1000 --soak-minutes 10 --out /tmp/soak.md
    python bench/bench_scale.py --docs 1000 --reuse /tmp/keep.sqlite --out …          # keep / reuse a store

The corpus: half of N from the law files (every one of them from N = 3,416 up; a law's versions
share a document, so 1,708 files make ~1,618 documents), the rest copies of the bundled gazette
(bench/corpus.py, 7 documents each).  Files are parsed on every core as a stream and written in
batches (`--batch` files, each batch one `writing` transaction with its findings), so the loader
holds one batch, not the corpus.  Neo4j's database is emptied first: give it a server of its own.
Prints (and writes to --out) a Markdown section for BENCHMARKS.md, with the load average.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from api.settings import load_settings  # noqa: E402
from bench.common import load_average, machine_facts, percentile  # noqa: E402
from service.writing import writing  # noqa: E402

LAWS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "laws")
ONE_DOC = os.path.join(ROOT, "tests", "data", "division-of-duties.txt")   # one document: 东政办发〔2025〕3号
ONE_NUMBER = "东政办发〔2025〕3号"
CLI = [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]
TOPICS = ["秸秆禁烧", "食品经营许可", "夜间施工噪声", "老年人乘车优惠", "尾矿库", "高龄津贴", "企业注销",
          "建筑工地扬尘", "汽车以旧换新", "矿山安全生产许可证", "噪声", "安全生产"]
DEPARTMENTS = ["市生态环境局", "市应急局", "市民政局", "市工信局", "市市场监管局", "各县(区)人民政府"]
SEED = 2024


# -- the corpus ------------------------------------------------------------------------
def _law_paths(count: int) -> list[str]:
    from service.loading import document_paths
    return sorted(document_paths([LAWS])[0])[:count]


def _parse(item):
    """A parsed file, or None when it does not load (a law without articles …)."""
    from graph.errors import InputError
    from loaders.pipeline import load_text
    from loaders.reading import read_document_file
    kind, value = item
    try:
        if kind == "path":
            return load_text(read_document_file(value), os.path.basename(value))
        name, text = value
        return load_text(text, name)
    except InputError:
        return None


def _cities() -> list[str]:
    """The short names of the country's cities (ontology/places.tsv), 双鸭山 first."""
    from ontology import data_path
    with open(data_path("places.tsv"), encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]
    names = [r[1] for r in rows[1:] if len(r) > 2 and r[2] == "city" and r[1] and r[1] != "双鸭山"]
    return ["双鸭山"] + names


def _in_city(copy: tuple[str, str], index: int, per_city: int) -> tuple[str, str]:
    """Copy `index` as the gazette of the (index // per_city)-th city: every 双鸭山 renamed.  A city's
    documents are compared with each other (same_duty_different_holders), never with another
    city's: without this every copy would be 双鸭山's, each service item one cluster of them all."""
    if not per_city:
        return copy
    cities = _cities()
    city = cities[(index // per_city) % len(cities)]
    return copy[0], copy[1].replace("双鸭山", city)


def _items(docs: int, per_city: int = 10):
    """(kind, value) of the files to load: law paths first, then bench-corpus copies (made lazily),
    `per_city` copies a city (0: all of them 双鸭山's)."""
    from bench.corpus import make_corpus, sample_text
    law_files = len(_law_paths(10 ** 6)) if docs >= 3416 else docs // 2
    for path in _law_paths(law_files):
        yield "path", path
    # a law's versions share a document: ~0.95 documents a law file; the copies make up the rest
    copies = max(1, -(-(docs - int(law_files * 0.947)) // 7))
    for index, copy in enumerate(make_corpus(sample_text(), copies, SEED)):
        yield "text", _in_city(copy, index, per_city)


def bulk_load(settings, docs: int, batch: int, per_city: int) -> dict:
    """Parse on every core as a stream, write `batch` files a transaction; timed."""
    began = time.perf_counter()
    written, failed, batches, write_s = 0, 0, 0, 0.0
    pending = []

    def flush():
        nonlocal write_s, batches
        t = time.perf_counter()
        with writing(settings) as store:
            for result in pending:
                store.write(result)
        write_s += time.perf_counter() - t
        batches += 1
        pending.clear()
        print(f"  {written} files written, {time.perf_counter() - began:.0f} s, load {load_average()}",
              file=sys.stderr, flush=True)
    with multiprocessing.Pool(os.cpu_count()) as pool:
        for result in pool.imap(_parse, _items(docs, per_city), chunksize=4):
            if result is None:
                failed += 1
                continue
            pending.append(result)
            written += 1
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
    return {"seconds": time.perf_counter() - began, "write_seconds": write_s, "files": written,
            "failed": failed, "batches": batches,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


# -- measuring ------------------------------------------------------------------------
def _env(settings, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYGRAPH_")}
    env.update(DUTYGRAPH_BACKEND=settings.backend, DUTYGRAPH_STORE=settings.store, PYTHONPATH=ROOT, **extra)
    return env


def _cli(settings, args: list[str]) -> tuple[float, float, float]:
    """Seconds from start to answer of one `dutygraph` process, its peak RSS (MB) and its CPU
    seconds (user + system: what it costs on a machine whose other work delays it)."""
    began = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *CLI, *args], env=_env(settings),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"dutygraph {' '.join(args)}: exit {proc.returncode}: {proc.stderr[-500:]}")
    rss, user, system = proc.stderr.strip().splitlines()[-1].split()
    return seconds, int(rss) / 1024, float(user) + float(system)


def _one_document(folder: str, number: str) -> str:
    """The one-document test file under a number of its own (a new document for the store)."""
    with open(ONE_DOC, encoding="utf-8") as handle:
        text = handle.read()
    path = os.path.join(folder, f"one-{abs(hash(number)) % 10 ** 6}.txt")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace(ONE_NUMBER, number))
    return path


def add_one(settings, folder: str) -> dict:
    """`dutygraph load` of one new document (start to exit, parse included), three times with new
    numbers; and of a 7-document gazette copy; and the write alone in-process."""
    from bench.corpus import make_corpus, sample_text
    from loaders.pipeline import load_text
    one = [_cli(settings, ["load", _one_document(folder, f"东政办发〔2031〕{900 + i}号")]) for i in range(3)]
    name, text = make_corpus(sample_text(), 1, SEED + 1)[0]
    gazette = os.path.join(folder, "gazette-copy.txt")
    with open(gazette, "w", encoding="utf-8") as handle:
        handle.write(text.replace("〔2024〕", "〔2032〕"))
    seven = _cli(settings, ["load", gazette])
    with open(_one_document(folder, "东政办发〔2031〕999号"), encoding="utf-8") as handle:
        parsed = load_text(handle.read(), "one.txt")
    began, cpu = time.perf_counter(), time.process_time()
    with writing(settings) as store:
        store.write(parsed)
    return {"cli_one": sorted(s for s, _, _ in one), "cli_one_rss": max(r for _, r, _ in one),
            "cli_one_cpu": sorted(c for _, _, c in one)[1], "cli_seven": seven[0], "cli_seven_cpu": seven[2],
            "in_process": time.perf_counter() - began, "in_process_cpu": time.process_time() - cpu}


def _questions(rounds: int):
    for i in range(rounds):
        yield TOPICS[i % len(TOPICS)], DEPARTMENTS[i % len(DEPARTMENTS)]


def in_process(settings, rounds: int) -> dict:
    """Each question on a store opened for it (as one CLI command or one request reads)."""
    from graph.backends import open_backend
    from graph.errors import NotFound
    from queries import vocabulary as vocab
    from queries.findings import findings
    times: dict[str, list[float]] = {"who": [], "duties": [], "findings": []}
    cpu: dict[str, list[float]] = {"who": [], "duties": [], "findings": []}
    store = open_backend(settings)
    try:
        for topic, dept in _questions(rounds):
            for name, ask in (("who", lambda b: vocab.who(b, topic, limit=10)),
                              ("duties", lambda b: vocab.duties(b, dept)),
                              ("findings", lambda b: findings(b, department=dept, stored=True))):
                began, used = time.perf_counter(), time.process_time()
                try:
                    ask(store.reads())
                except NotFound:
                    pass
                times[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - used)
    finally:
        store.close()
    return times, cpu


class Server:
    """`dutygraph serve` on a free loopback port, for as long as the `with` lasts."""

    def __init__(self, settings, token: str = ""):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="dutygraph-serve-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([*CLI, "serve", "--port", str(self.port), "--log-level", "warning"],
                                     env=_env(settings, DUTYGRAPH_API_TOKEN=token), stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        self.token = token

    def __enter__(self):
        for _ in range(600):
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.tail())
                time.sleep(0.1)
        raise RuntimeError("the server did not answer /health in 60 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()

    def tail(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-3000:]

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the server process has used."""
        with open(f"/proc/{self.proc.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        """(current, peak) resident memory of the server process, MB."""
        with open(f"/proc/{self.proc.pid}/status") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, float]:
        """(status, seconds) of one request."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                resp.read()
                status = resp.status
        except urllib.error.HTTPError as exc:
            exc.read()
            status = exc.code
        except OSError as exc:          # no answer at all (the server gone, a timeout): an error, told
            print(f"{method} {path}: {exc}; server alive: {self.proc.poll() is None}", file=sys.stderr)
            status = 0
        return status, time.perf_counter() - began


def _paths(topic: str, dept: str) -> dict[str, str]:
    q = urllib.parse.quote
    return {"who": f"/who?q={q(topic)}", "duties": f"/departments/{q(dept)}/obligations",
            "findings": f"/findings?department={q(dept)}"}


def over_http(server: Server, rounds: int) -> tuple[dict, dict, int]:
    """Latencies by kind, the server's mean CPU ms a request by kind, and the errors."""
    times: dict[str, list[float]] = {"who": [], "duties": [], "findings": []}
    cpu: dict[str, float] = {}
    errors = 0
    for name in times:
        used = server.cpu_seconds()
        for topic, dept in _questions(rounds):
            status, seconds = server.request("GET", _paths(topic, dept)[name])
            errors += status == 0 or status >= 500 or (status >= 400 and status != 404)
            times[name].append(seconds)
        cpu[name] = (server.cpu_seconds() - used) / rounds * 1000
    return times, cpu, errors


def soak(server: Server, minutes: float, folder: str) -> dict:
    """Mixed reads and writes for `minutes`: nine reads, then an upload of one of five documents (each a
    replacement after the first round) or, one time in five, a delete; memory sampled every 10 s."""
    uploads = [open(_one_document(folder, f"东政办发〔2033〕{i}号"), "rb").read() for i in range(5)]
    numbers = [f"东政办发〔2033〕{i}号" for i in range(5)]
    deadline = time.monotonic() + minutes * 60
    reads, writes, errors, statuses, samples = [], [], 0, {}, []
    stop = threading.Event()

    def sample():
        while not stop.wait(10):
            samples.append(server.rss_mb()[0])
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    i = 0
    try:
        while time.monotonic() < deadline:
            for path in list(_paths(TOPICS[i % len(TOPICS)], DEPARTMENTS[i % len(DEPARTMENTS)]).values()) * 3:
                status, seconds = server.request("GET", path)
                reads.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1
                errors += status == 0 or status >= 500 or (status >= 400 and status != 404)
            k = i % 5
            if i % 5 == 4 and i >= 5:
                status, seconds = server.request("DELETE", f"/documents/{urllib.parse.quote(numbers[k])}")
                ok = status in (200, 404)
            else:
                status, seconds = server.request("POST", f"/documents?name=soak-{k}.txt", uploads[k])
                ok = status == 201
            writes.append(seconds)
            statuses[status] = statuses.get(status, 0) + 1
            errors += not ok
            i += 1
            if server.proc.poll() is not None:
                print("the server has exited:\n" + server.tail(), file=sys.stderr)
                break
    finally:
        stop.set()
        sampler.join()
    return {"reads": reads, "writes": writes, "errors": errors, "statuses": statuses, "rss": samples,
            "peak": server.rss_mb()[1]}


# -- the report ------------------------------------------------------------------------
def _ms(values: list[float]) -> str:
    return f"{percentile(values, 50) * 1000:.1f} / {percentile(values, 99) * 1000:.1f}"


def store_size_mb(settings) -> str:
    if settings.backend == "sqlite":
        return f"{sum(os.path.getsize(p) for p in (settings.store, settings.store + '-wal') if os.path.exists(p)) / 1e6:.1f} MB"
    folder = os.environ.get("NEO4J_DATA_DIR")
    if not folder:
        return "– (set NEO4J_DATA_DIR)"
    out = subprocess.run(["du", "-sm", folder], capture_output=True, text=True).stdout.split()
    return f"{out[0]} MB (du of {folder})" if out else "–"


def count_documents(settings) -> int:
    from graph.backends import open_backend
    from queries import vocabulary as vocab
    store = open_backend(settings)
    try:
        return vocab.stats(store.reads()).get("Document", 0)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "neo4j"], default="sqlite")
    parser.add_argument("--docs", type=int, default=1000, help="documents in the store (about)")
    parser.add_argument("--out", help="also write the Markdown section to this file")
    parser.add_argument("--batch", type=int, default=100, help="files a write transaction during the bulk load")
    parser.add_argument("--rounds", type=int, default=120, help="questions of each kind, in-process and over HTTP")
    parser.add_argument("--soak-minutes", type=float, default=0, help="mixed reads and writes over HTTP (0: none)")
    parser.add_argument("--copies-per-city", type=int, default=10,
                        help="gazette copies a city (its gazettes of ten years); 0: every copy 双鸭山's")
    parser.add_argument("--soak-only", action="store_true", help="only the soak (on a --reuse store)")
    parser.add_argument("--reuse", help="SQLite: a store file to build if missing and keep (else a temp one)")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="dutygraph-bench-scale-")
    store = args.reuse or os.path.join(folder, "store.sqlite")
    settings = load_settings(backend=args.backend, store=store)
    lines = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)
    try:
        began = time.perf_counter()
        if args.backend == "neo4j":
            _empty_neo4j(settings)              # its database is emptied first
        load = None
        if not (args.reuse and os.path.exists(store)):
            load = bulk_load(settings, args.docs, args.batch, args.copies_per_city)
        docs = count_documents(settings)
        say(f"## A store of {docs:,} documents on {args.backend} (issue 15)\n")
        say(f"`python bench/bench_scale.py --backend {args.backend} --docs {args.docs}"
            f"{f' --soak-minutes {args.soak_minutes:g}' if args.soak_minutes else ''}` — {machine_facts()}; "
            f"load average {load_average()} at the start.  Laws of ../shared/corpus/laws/ plus bench-corpus "
            f"gazette copies, {args.copies_per_city or 'all'} a city.\n")
        if load:
            say(f"- **Bulk load**: {load['files']:,} files ({load['failed']} refused) in {load['seconds']:.0f} s "
                f"({load['write_seconds']:.0f} s writing, in {load['batches']} transactions of {args.batch} files; "
                f"parsing on {os.cpu_count()} workers alongside); loader peak RSS {load['peak_rss_mb']:.0f} MB, "
                f"a parse worker's {load['workers_peak_rss_mb']:.0f} MB; load average {load_average()}")
        say(f"- **Store size**: {store_size_mb(settings)}")
        if not args.soak_only:
            added = add_one(settings, folder)
            say(f"- **Add one document** (`dutygraph load` of a new one-document file, start to exit, parse "
                f"included): {' / '.join(f'{s:.2f}' for s in added['cli_one'])} s (min / median / max of 3; median "
                f"CPU {added['cli_one_cpu']:.2f} s), peak RSS {added['cli_one_rss']:.0f} MB; the write and its findings "
                f"alone, in-process: {added['in_process']:.2f} s ({added['in_process_cpu']:.2f} s CPU); a 7-document "
                f"gazette copy: {added['cli_seven']:.2f} s ({added['cli_seven_cpu']:.2f} s CPU)")
            cli = {name: [_cli(settings, args_) for _ in range(3)] for name, args_ in
                   (("who", ["who", TOPICS[0]]), ("duties", ["duties", DEPARTMENTS[0]]),
                    ("findings", ["findings", "--department", DEPARTMENTS[0]]))}
            say("- **CLI start to answer** (median of 3: wall, CPU, peak RSS): " + "; ".join(
                f"`{name}` {sorted(s for s, _, _ in runs)[1]:.2f} s, {sorted(c for _, _, c in runs)[1]:.2f} s CPU, "
                f"{max(r for _, r, _ in runs):.0f} MB" for name, runs in cli.items()))
            local, local_cpu = in_process(settings, args.rounds)
            say(f"- **In-process** p50 / p99 ms over {args.rounds} questions each (a store opened per question), "
                f"wall and CPU: " + "; ".join(f"`{k}` {_ms(v)} (CPU {_ms(local_cpu[k])})" for k, v in local.items()))
            with Server(settings) as server:
                server.request("GET", _paths(TOPICS[0], DEPARTMENTS[0])["who"])     # first request warms imports
                http, http_cpu, errors = over_http(server, args.rounds)
                rss, peak = server.rss_mb()
            say(f"- **HTTP** (`dutygraph serve` on loopback, one client) p50 / p99 ms over {args.rounds} requests "
                f"each, and the server's mean CPU ms a request: "
                + "; ".join(f"`{k}` {_ms(v)} (CPU {http_cpu[k]:.1f})" for k, v in http.items())
                + f"; {errors} errors; server RSS {rss:.0f} MB, peak {peak:.0f} MB; load average {load_average()}")
        if args.soak_minutes:
            with Server(settings, token="bench-soak") as server:
                result = soak(server, args.soak_minutes, folder)
            rss = result["rss"] or [0.0]
            tenth = max(1, len(rss) // 10)
            say(f"- **Soak** {args.soak_minutes:g} min over HTTP: {len(result['reads']):,} reads "
                f"(p50 / p99 {_ms(result['reads'])} ms) and {len(result['writes']):,} writes (uploads and "
                f"deletes, p50 / p99 {_ms(result['writes'])} ms); **{result['errors']} errors** "
                f"(statuses {json.dumps(result['statuses'])}); server RSS first / last tenth mean "
                f"{sum(rss[:tenth]) / tenth:.0f} / {sum(rss[-tenth:]) / tenth:.0f} MB, min {min(rss):.0f}, "
                f"max {max(rss):.0f}, peak {result['peak']:.0f} MB ({len(rss)} samples, every 10 s); "
                f"load average {load_average()}")
        say(f"\n{time.perf_counter() - began:.0f} s in all.")
    finally:
        if args.out:
            with open(args.out, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _empty_neo4j(settings) -> None:
    from bench.common import empty
    from graph.backends import open_backend
    store = open_backend(settings)
    try:
        empty(store)
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
