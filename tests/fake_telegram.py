"""A Bot API stand-in on a local port, for running the real `python -m bot run` against it.

It answers getUpdates from `updates` (set them any time with `set_updates`), every other method
with success, and records each call. `latency` slows a method down (an update still being
handled when SIGTERM comes); `refuse` makes a method fail as Telegram does (a flood wait).
Files work as on a Bot API server: `getFile` answers for what is in `files` (put there with
`add_file`, or uploaded by the bot), and GET /file/bot<token>/<file_path> serves the bytes;
each download is recorded as a call of "download" with its path.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote

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
        self.files: dict[str, bytes] = {}  # file id -> content
        self.uploads: list[tuple[str, str, bytes]] = []  # (method, file name, content)
        self._file_ids = itertools.count(1)
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

    def add_file(self, content: bytes) -> str:
        with self.lock:
            file_id = f"FAKEFILE{next(self._file_ids):04d}"
            self.files[file_id] = content
        return file_id

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
        if method == "getFile":
            file_id = str(params.get("file_id"))
            with self.lock:
                content = self.files.get(file_id)
            if content is None:
                return None
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(content),
                "file_path": f"documents/{quote(file_id)}",
            }
        if method in ("sendPhoto", "sendDocument"):
            field = "photo" if method == "sendPhoto" else "document"
            upload = params.get(f"__file__{field}")
            file_id = params.get(field)
            if isinstance(upload, tuple):
                file_id = self.add_file(upload[1])
                with self.lock:
                    self.uploads.append((method, upload[0], upload[1]))
            described = {"file_id": file_id, "file_unique_id": str(file_id)}
            return {
                "message_id": len(self.calls),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                field: [{**described, "width": 1, "height": 1}] if field == "photo" else described,
            }
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
            def do_GET(self) -> None:
                """A file download: /file/bot<token>/<file_path>."""
                _before, found, path = self.path.partition("/file/bot")
                file_id = unquote(path.rsplit("/", 1)[-1]) if found else ""
                with fake.lock:
                    content = fake.files.get(file_id)
                    fake.calls.append(("download", {"path": self.path}))
                self.send_response(200 if content is not None else 404)
                self.send_header("Content-Length", str(len(content or b"")))
                self.end_headers()
                self.wfile.write(content or b"")

            def do_POST(self) -> None:
                method = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                content_type = self.headers.get("Content-Type") or ""
                params = {}
                if "json" in content_type:
                    params = json.loads(body or b"{}")
                elif "multipart/form-data" in content_type:
                    params = _multipart(content_type, body)
                else:
                    for key, values in parse_qs(body.decode()).items():
                        params[key] = _maybe_json(values[0])
                status, answer = fake._respond(method, params)
                if answer.get("result", True) is None:  # getFile of an unknown file
                    status = 400
                    answer = {"ok": False, "error_code": 400, "description": "Bad Request: "
                              "invalid file_id"}  # fmt: skip
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


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """The fields of an upload; a file field `name` as `__file__name`: (file name, bytes)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[f"__file__{name}"] = (filename, content)
        else:
            params[name] = _maybe_json(content.decode())
    return params


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value
