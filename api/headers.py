"""Security headers on every response: a Content-Security-Policy that allows no other origin,
X-Content-Type-Options: nosniff and X-Frame-Options: DENY.

The pages (api/web/) load their one style sheet and one script from /static
('self'); the HTML report carries its style sheet inline (it is one
self-contained file a legal officer saves and opens offline), allowed by its
SHA-256 hash — so no other inline style or script runs, whatever a document's
text holds.  No page uses inline script, eval or an outside file.

The interactive API docs FastAPI generates (/docs, /redoc) are the one
exception: they are FastAPI's fixed pages, hold no data, and load Swagger UI
and ReDoc from cdn.jsdelivr.net (ReDoc also Google's web fonts) with a small
inline script; they get a policy that allows exactly that.  Without it they
would be blank.

>>> policy = content_security_policy()
>>> "default-src 'none'" in policy and "https:" not in policy
True
"""
from __future__ import annotations

import base64
import hashlib

_DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
_DOCS_CDN = "https://cdn.jsdelivr.net"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy() -> str:
    """The policy of every page and answer but the API docs."""
    from api.report_template import CSS      # the report's inline <style>
    return ("default-src 'none'; script-src 'self'; style-src 'self' " + _sha256(CSS) + "; "
            "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")


def docs_policy() -> str:
    """FastAPI's Swagger UI and ReDoc pages: their CDN, their inline script and style, ReDoc's web fonts."""
    return (f"default-src 'none'; script-src {_DOCS_CDN} 'unsafe-inline'; "
            f"style-src {_DOCS_CDN} https://fonts.googleapis.com 'unsafe-inline'; font-src https://fonts.gstatic.com; "
            f"img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; connect-src 'self'; "
            f"worker-src blob:; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """ASGI middleware: the headers are added to the start of every HTTP response."""

    def __init__(self, app):
        self.app = app
        self.common = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]
        self.policy = content_security_policy().encode()
        self.docs = docs_policy().encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = self.docs if scope.get("path") in _DOCS_PATHS else self.policy

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"x-content-type-options",
                                                b"x-frame-options")]
                message = {**message, "headers": headers + self.common + [(b"content-security-policy", policy)]}
            await send(message)
        return await self.app(scope, receive, send_with_headers)
