"""`dutygraph serve`: the HTTP API on 127.0.0.1:8000 (to be wired into api/cli.py).

    def _parser():
        ...
        add_serve_parser(sub, common)

Binds to localhost by default: the API is for the people on this machine
unless someone decides otherwise with --host.
"""
from __future__ import annotations

import argparse


def add_serve_parser(sub, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the `serve` subcommand to the CLI's subparsers."""
    p = sub.add_parser("serve", parents=[common], help="serve the HTTP API (OpenAPI document at /docs)",
                       description="Serve the HTTP API over the configured store. Writes (POST/DELETE "
                                   "/documents) need DUTYGRAPH_API_TOKEN; without it they are disabled.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=cmd_serve)
    return p


def cmd_serve(args, settings) -> int:
    import uvicorn

    from api.app import create_app

    # One process: the embedded store serialises writes with an in-process lock,
    # so several workers could each swap in a file without the others' changes.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level,
                server_header=False)
    return 0
