"""Benchmark the HTTP API: requests/s and latency percentiles of /who and
/departments/{id}/obligations under concurrency; prints a Markdown section for BENCHMARKS.md.

    python bench/bench_api.py                       # embedded store, sample gazette, 16 clients, 15 s each
    python bench/bench_api.py --backend neo4j       # Neo4j at NEO4J_URI (its database is replaced by the sample)
    taskset -c 0,1 python bench/bench_api.py        # pin server and clients to 2 cores

The server is `dutygraph serve`'s app under uvicorn in its own process (the
clients must not share its interpreter lock); the clients are httpx.AsyncClient
tasks in this process, each sending its next request as soon as the last one
returns.  Clients and server share the machine's cores: the numbers are what
one 2-core box serving itself does, a floor for a server with its own cores.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ontology import data_path  # noqa: E402
from api.settings import load_settings  # noqa: E402
from service.service import load_files  # noqa: E402

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
# Questions people ask (from tests/data/topics.yaml) and departments with many or few duties.
TOPICS = ["秸秆禁烧", "食品经营许可", "夜间施工噪声", "老年人乘车优惠", "尾矿库", "高龄津贴", "企业注销",
          "建筑工地扬尘", "汽车以旧换新", "矿山安全生产许可证"]
DEPARTMENTS = ["市生态环境局", "市应急局", "市民政局", "市工信局", "市市场监管局", "各县(区)人民政府"]


@dataclasses.dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    def row(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        pct = {p: lat[min(len(lat) - 1, int(len(lat) * p / 100))] * 1000 for p in (50, 99)}
        return (f"| `{self.name}` | {self.requests / self.seconds:,.0f} | {pct[50]:.1f} | {pct[99]:.1f} | "
                f"{statistics.fmean(lat) * 1000:.1f} | {self.errors} |")


async def _load(client: httpx.AsyncClient, urls: list[str], concurrency: int, seconds: float) -> Result:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(offset: int):
        nonlocal errors
        i = offset
        while time.perf_counter() < stop:
            url = urls[i % len(urls)]
            i += 1
            start = time.perf_counter()
            response = await client.get(url)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return Result("", len(latencies), errors, time.perf_counter() - began, latencies)


async def _run(base: str, concurrency: int, seconds: float, warmup: float) -> list[Result]:
    cases = {
        "GET /who?q=…&limit=10": [f"/who?q={t}&limit=10" for t in TOPICS],
        "GET /departments/{id}/obligations": [f"/departments/{d}/obligations?limit=50" for d in DEPARTMENTS],
    }
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    results = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for name, urls in cases.items():
            await _load(client, urls, concurrency, warmup)
            result = await _load(client, urls, concurrency, seconds)
            result.name = name
            results.append(result)
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(settings, port: int) -> subprocess.Popen:
    env = {**os.environ, "DUTYGRAPH_STORE": settings.store, "DUTYGRAPH_BACKEND": settings.backend,
           "PYTHONPATH": ROOT}
    code = ("import uvicorn; from api.app import create_app; from api.settings import load_settings; "
            f"uvicorn.run(create_app(load_settings()), host='127.0.0.1', port={port}, log_level='warning', "
            "access_log=False)")
    server = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer /health within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["networkx", "neo4j"], default="networkx")
    parser.add_argument("--concurrency", type=int, default=16, help="clients in flight (default 16)")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(backend=args.backend, store=os.path.join(tmp, "store.json"))
        if args.backend == "neo4j":
            _empty_neo4j(settings)
        load_files([SAMPLE], settings)
        port = _free_port()
        server = _start_server(settings, port)
        try:
            results = asyncio.run(_run(f"http://127.0.0.1:{port}", args.concurrency, args.seconds, args.warmup))
        finally:
            server.terminate()
            server.wait(30)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"## HTTP API ({args.backend} backend)\n")
    print(f"`python bench/bench_api.py --backend {args.backend} --concurrency {args.concurrency} "
          f"--seconds {args.seconds:g}` — {time.strftime('%Y-%m-%d')}, {cores} cores "
          f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
          f"one uvicorn process; clients in the same machine. Store: the bundled sample gazette "
          f"(7 documents, ~390 provisions). `/who` cycles through {len(TOPICS)} topics, obligations "
          f"through {len(DEPARTMENTS)} departments (names and aliases).\n")
    print("| endpoint | requests/s | p50 ms | p99 ms | mean ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(r.row())
    return 0


def _empty_neo4j(settings) -> None:
    from graph.backends import open_backend
    from queries import vocabulary as vocab
    store = open_backend(settings)
    try:
        for doc in vocab.documents(store.reads()):
            store.delete_document(doc["id"])
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
