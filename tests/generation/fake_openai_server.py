"""A tiny OpenAI-compatible HTTP server that replays recorded responses (run as its own process).

``python fake_openai_server.py FIXTURE_DIR LOG_FILE`` listens on 127.0.0.1 (a free port, printed as
``PORT <n>`` on stdout) and answers ``POST /v1/chat/completions`` and ``/v1/completions`` with
``FIXTURE_DIR/<model>.json``: ``{"status": 200, "delay": 0, "body": {...}}`` or ``"text": "..."`` for a
non-JSON body. ``{AUTH}`` inside a fixture is replaced by the request's Authorization header, so a test can
check that an echoed key is redacted. Every request is appended to LOG_FILE as one JSON line.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(sys.argv[1])
LOG = Path(sys.argv[2])
_log_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, status: int, payload: str, content_type: str = "application/json") -> None:
        data = payload.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            models = [{"id": p.stem, "object": "model"} for p in sorted(FIXTURES.glob("*.json"))]
            self._send(200, json.dumps({"object": "list", "data": models}))
        else:
            self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        auth = self.headers.get("Authorization", "")
        with _log_lock, LOG.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "authorization": auth, "body": body}) + "\n")
        if self.path not in ("/v1/chat/completions", "/v1/completions"):
            self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
            return
        fixture = FIXTURES / f"{body.get('model', '')}.json"
        if not fixture.is_file():
            self._send(404, json.dumps({"error": {"message": f"model {body.get('model')!r} not found"}}))
            return
        recorded = json.loads(fixture.read_text(encoding="utf-8"))
        time.sleep(float(recorded.get("delay", 0)))
        if "text" in recorded:
            self._send(int(recorded.get("status", 200)), recorded["text"], "text/plain")
            return
        payload = json.dumps(recorded["body"]).replace("{AUTH}", auth)
        self._send(int(recorded.get("status", 200)), payload)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
