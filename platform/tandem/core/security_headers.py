"""Security headers on every response: a strict Content-Security-Policy, no framing, no MIME
sniffing, no referrer across sites, and HSTS once the request came over HTTPS."""

from __future__ import annotations

from flask import Flask, Response, request

# Every script and stylesheet is a file the app serves itself (vendored, no CDN; data for charts
# travels in <script type="application/json">, which is never executed), so an injected inline
# script or a foreign host's has nowhere to run. Style attributes stay allowed: progress bars and
# tree indents set a computed width per row, and they cannot run code.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers without frame-ancestors
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# A year, as browsers' preload lists ask; only sent over HTTPS (behind a proxy, ProxyFix makes
# request.is_secure reflect X-Forwarded-Proto: PROXY_FIX_HOPS in docs/configuration.md).
HSTS = "max-age=31536000; includeSubDomains"


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def install(app: Flask) -> None:
    app.after_request(_add_headers)
