"""Run the real `python -m bot run` as a subprocess against the Bot API stand-in."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "123456:TEST"
SECRET = "s3cret-token_for-tests-0123456789"
HANG_GUARD = 60.0  # seconds: a test that waits longer is broken, not slow

_no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts(port: int) -> bool:
    """Something listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], object], what: str, timeout: float = HANG_GUARD) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout=10.0
) -> Response:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _no_proxy.open(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read())


@dataclass
class RunningBot:
    process: subprocess.Popen
    health_port: int
    webhook_port: int | None = None
    stdout: str = ""
    stderr: str = ""

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.health_port}/healthz"

    def health(self) -> Response:
        return http(self.health_url)

    def is_up(self) -> bool:
        """The health endpoint answers (it opens once the store is ready)."""
        if self.process.poll() is not None:
            raise AssertionError(f"the bot exited early:\n{self.finish()[1]}")
        try:
            return self.health().status == 200
        except OSError:
            return False

    def terminate(self) -> float:
        """SIGTERM; returns the seconds until the process was gone."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.finish()
        return time.monotonic() - started

    def finish(self) -> tuple[str, str]:
        out, err = self.process.communicate(timeout=HANG_GUARD)
        self.stdout += out
        self.stderr += err
        return self.stdout, self.stderr


def start_bot(
    tmp_path: Path, telegram: FakeTelegram, *args: str, wait: bool = True, **env: str
) -> RunningBot:
    health_port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "HEALTH_"))},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": telegram.base_url,
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        "HEALTH_PORT": str(health_port),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    webhook_port = int(env["WEBHOOK_PORT"]) if "WEBHOOK_PORT" in env else None
    bot = RunningBot(process, health_port, webhook_port)
    if wait:
        try:
            wait_for(bot.is_up, "the bot to start")
            if "WEBHOOK_URL" in env:
                # python-telegram-bot calls setWebhook first and listens after it.
                wait_for(lambda: telegram.sent("setWebhook"), "the webhook to be set")
                if webhook_port is not None:
                    wait_for(lambda: accepts(webhook_port), "the webhook to listen")
        except BaseException:
            if process.poll() is None:
                process.kill()
            raise
    return bot


def message_update(
    update_id: int, user_id: int, text: str, first_name: str = "Amira", language: str = "ar"
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": first_name},
        "from": {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language,
        },
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


def press_update(update_id: int, user_id: int, data: str, first_name: str = "Ada") -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "from": user,
            "chat_instance": str(user_id),
            "data": data,
            "message": {
                "message_id": 2,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": first_name},
                "from": {"id": 1000, "is_bot": True, "first_name": "Landgenoot"},
                "text": "preview",
            },
        },
    }
