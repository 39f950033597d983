"""A Bot API stand-in on a local port, for running the real `python -m bot run` against it.

It answers getUpdates from `updates` (set them any time with `set_updates`), every other method
with success, and records each call. `latency` slows a method down (an update still being
handled when SIGTERM comes); `refuse` makes a method fail as Telegram does (a flood wait).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from bot.local_api import BOT_USER


class FakeTelegram:
    def __init__(
        self, updates: list[dict[str, Any]], latency: dict[str, float] | None = None
    ) -> None:
        self.updates = updates
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.latency: dict[str, float] = dict(latency or {})  # seconds, per method
        self.refusals: dict[str, tuple[int, dict[str, Any]]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self) -> FakeTelegram:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [params for name, params in self.calls if name == method]

    def set_updates(self, updates: list[dict[str, Any]]) -> None:
        with self.lock:
            self.updates = updates

    def refuse(
        self,
        method: str,
        error_code: int = 429,
        description: str = "Too Many Requests: retry after 30",
        retry_after: int | None = 30,
    ) -> None:
        """Every call of `method` fails like this until `allow(method)`; nothing is recorded."""
        body: dict[str, Any] = {"ok": False, "error_code": error_code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self.lock:
            self.refusals[method] = (error_code, body)

    def allow(self, method: str) -> None:
        with self.lock:
            self.refusals.pop(method, None)

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        delay = self.latency.get(method, 0.0)
        if delay:
            time.sleep(delay)
        with self.lock:
            refusal = self.refusals.get(method)
        if refusal is not None:
            return refusal
        return 200, {"ok": True, "result": self._answer(method, params)}

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        with self.lock:
            self.calls.append((method, params))
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self.lock:
                pending = [u for u in self.updates if u["update_id"] >= offset]
            if not pending:
                time.sleep(0.2)  # a short long-poll
            return pending
        if method == "getMyDescription":
            return {"description": ""}
        if method == "getMyShortDescription":
            return {"short_description": ""}
        if method == "sendMessage":
            return {
                "message_id": len(self.calls),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                method = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = {}
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(body or b"{}")
                else:
                    for key, values in parse_qs(body.decode()).items():
                        params[key] = _maybe_json(values[0])
                status, answer = fake._respond(method, params)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot gave up on this call (it was stopping): as with Telegram

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value
