"""GET /healthz: the store, the outbox backlog, the last update; and `python -m bot health`."""

import asyncio
import json
import os
import socket
import subprocess
import sys

from bot import health
from bot.db import Database
from bot.health import HealthServer, HealthState
from bot.outbox import store as outbox
from tests.fake_telegram import FakeTelegram
from tests.harness import ADMIN, START, bot_harness, settings_for
from tests.ops.helpers import ROOT, free_port, message_update, start_bot, wait_for


async def get(port: int, path: str = "/healthz", method: str = "GET") -> tuple[int, dict]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    return status, json.loads(body) if body else {}


async def test_health_reports_the_store_the_backlog_and_the_last_update(tmp_path):
    async with bot_harness(settings_for(tmp_path)) as bot:
        server = HealthServer(bot.runtime.db, health.state_of(bot.app), "127.0.0.1", 0)
        await server.start()
        try:
            assert await get(server.port) == (
                200,
                {
                    "status": "ok",
                    "database": "ok",
                    "outbox_backlog": 0,
                    "last_update_at": None,
                    "mode": None,
                },
            )
            await bot.send(ADMIN, "/start")
            async with bot.runtime.db.transaction() as conn:
                await outbox.enqueue(conn, 42, "hello", now=0)
                await outbox.enqueue(conn, 43, "hello", now=0)
            status, body = await get(server.port)
            assert status == 200
            assert body["last_update_at"] == START.isoformat()
            assert body["outbox_backlog"] == 2

            assert (await get(server.port, "/"))[0] == 404
            assert (await get(server.port, "/healthz", "POST"))[0] == 405
            assert (await get(server.port, "/healthz?verbose=1"))[0] == 200
        finally:
            await server.stop()


async def test_health_is_503_when_the_store_does_not_answer(tmp_path):
    closed = Database(tmp_path / "never-opened.sqlite3")
    server = HealthServer(closed, HealthState(), "127.0.0.1", 0)
    await server.start()
    try:
        status, body = await get(server.port)
    finally:
        await server.stop()
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"].startswith("error")


async def test_a_client_that_does_not_speak_http_is_dropped(tmp_path):
    server = HealthServer(Database(tmp_path / "x.sqlite3"), HealthState(), "127.0.0.1", 0)
    await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"hello\r\n")
        await writer.drain()
        assert await reader.read() == b""
        writer.close()
    finally:
        await server.stop()


def test_the_running_bot_serves_health_in_polling_mode_and_the_health_command_reads_it(
    tmp_path,
):
    with FakeTelegram([message_update(1, 555, "/start")]) as telegram:
        bot = start_bot(tmp_path, telegram, LOG_FORMAT="json")
        try:
            wait_for(lambda: telegram.sent("sendMessage"), "the reply to /start")
            body = bot.health().json()
            assert body["mode"] == "polling"
            assert body["database"] == "ok"
            assert body["last_update_at"] is not None
            check = subprocess.run(
                [sys.executable, "-m", "bot", "health"],
                cwd=tmp_path,
                env={**os.environ, "PYTHONPATH": str(ROOT), "HEALTH_PORT": str(bot.health_port)},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert check.returncode == 0, check.stderr
            assert json.loads(check.stdout)["database"] == "ok"
        finally:
            bot.terminate()
    assert bot.process.returncode == 0
    for line in bot.stderr.splitlines():  # LOG_FORMAT=json: one object per line
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= entry.keys()
    assert "Amira" not in bot.stderr


def test_the_health_command_fails_when_no_bot_answers(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HEALTH_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "no answer from http://127.0.0.1:" in result.stderr


def test_a_health_port_in_use_stops_the_bot_with_one_line(tmp_path):
    with socket.socket() as taken, FakeTelegram([]) as telegram:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = start_bot(tmp_path, telegram, wait=False, HEALTH_PORT=str(port))
        bot.finish()
    assert bot.process.returncode == 1
    assert "HEALTH_PORT" in bot.stderr and "Traceback" not in bot.stderr
