"""A small HTTP service for the execution tests, run as its own process on 127.0.0.1.

``python service.py [--port 0] [--certfile C --keyfile K]`` prints ``PORT <n>`` once it listens.
Routes exercise what the REST executor must handle: echo (placement, auth), redirects and chains,
slow and huge responses, non-JSON bodies, HTTP errors, a flaky endpoint for retries, and a record of
what the server received (``/_received``) so tests can see what really went over the wire.
"""

from __future__ import annotations

import argparse
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RECEIVED: list[dict[str, object]] = []
FLAKY_HITS: dict[str, int] = {}
LOCK = threading.Lock()
EXPECTED_TOKEN = "unset"
LAST_SNI: list[str | None] = [None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid the 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def _send(
        self, code: int, body: bytes, content_type: str = "application/json", extra: dict | None = None
    ):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, code: int, payload: object, extra: dict | None = None) -> None:
        self._send(code, json.dumps(payload).encode(), extra=extra)

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        record = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers.items()),
            "body": body,
        }
        route = parts.path
        if route != "/_received":
            with LOCK:
                RECEIVED.append(record)
        one = {k: v[0] for k, v in query.items()}
        if route == "/_received":
            with LOCK:
                self._json(200, RECEIVED)
        elif route.startswith("/echo"):
            self._json(200, {**record, "query": query, "raw_path": parts.path, "sni": LAST_SNI[0]})
        elif route == "/redirect":
            self._send(int(one.get("code", "302")), b"", extra={"Location": one["to"]})
        elif route.startswith("/chain/"):
            remaining = int(route.rsplit("/", 1)[1])
            if remaining > 0:
                self._send(302, b"", extra={"Location": f"/chain/{remaining - 1}"})
            else:
                self._json(200, {"chain": "done"})
        elif route == "/slow":
            time.sleep(float(one.get("seconds", "2")))
            self._json(200, {"slow": True})
        elif route == "/huge":
            self._huge(int(one.get("bytes", "1000000")), one.get("chunked") == "1")
        elif route == "/text":
            self._send(200, "plain text: café".encode(), "text/plain; charset=utf-8")
        elif route == "/html":
            self._send(200, b"<html><body>hello</body></html>", "text/html")
        elif route == "/badjson":
            self._send(200, b"{not json", "application/json")
        elif route == "/binary":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")
        elif route.startswith("/status/"):
            self._json(int(route.rsplit("/", 1)[1]), {"error": "as requested"})
        elif route == "/flaky":
            with LOCK:
                FLAKY_HITS[one["key"]] = hits = FLAKY_HITS.get(one["key"], 0) + 1
            if hits <= int(one.get("fail", "1")):
                self._json(503, {"attempt": hits})
            else:
                self._json(200, {"attempts": hits})
        elif route == "/auth":
            ok = self.headers.get("Authorization") == "Bearer " + EXPECTED_TOKEN
            self._json(200 if ok else 401, {"authorized": ok, "seen": self.headers.get("Authorization")})
        else:
            self._json(404, {"error": f"no route {route}"})

    def _huge(self, size: int, chunked: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        block = b"x" * 65536
        sent = 0
        try:
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
                sent += len(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="unset", help="the bearer token /auth accepts")
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    args = parser.parse_args()
    global EXPECTED_TOKEN
    EXPECTED_TOKEN = args.token
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.certfile, args.keyfile)

        def remember_sni(sock: ssl.SSLSocket, name: str | None, ctx: ssl.SSLContext) -> None:
            LAST_SNI[0] = name

        context.sni_callback = remember_sni
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
