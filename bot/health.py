"""GET /healthz: is the bot alive, can it reach its database, is its outbox keeping up?

A tiny HTTP server of its own (on HEALTH_LISTEN:HEALTH_PORT, in polling and webhook mode), for
Docker's HEALTHCHECK, a load balancer or a monitoring script. It answers

    200 {"status": "ok", "database": "ok", "outbox_backlog": 3,
         "last_update_at": "2026-05-01T19:00:00+00:00", "mode": "polling"}

or 503 with "database": "<what went wrong>" when the store does not answer. It shows counts and
times only: nothing about people.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext

from bot import logs
from bot.db import Database
from bot.outbox.store import pending_count

log = logging.getLogger(__name__)

KEY = "health"
DATABASE_TIMEOUT_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 5.0
MAX_HEADER_LINES = 100


class HealthServerError(Exception):
    """The health endpoint could not listen (port in use, address not on this machine)."""


@dataclass
class HealthState:
    """What the health endpoint reports besides the store; one per Application."""

    last_update_at: datetime | None = None
    mode: str | None = None  # "polling" or "webhook"; None: no endpoint is served
    listen: str = "127.0.0.1"
    port: int = 8081
    server: HealthServer | None = None


def state_of(application: Application) -> HealthState:
    return application.bot_data.setdefault(KEY, HealthState())


def serve(application: Application, listen: str, port: int, mode: str) -> None:
    """Ask for the endpoint: it opens with the bot (on_startup) and closes when it stops."""
    state = state_of(application)
    state.listen, state.port, state.mode = listen, port, mode


async def note_update(update: object, context: CallbackContext) -> None:
    """Handler group -2, before everything else: an update arrived. Tags the log with its id."""
    if isinstance(update, Update):
        logs.bind_update(update.update_id)
    state_of(context.application).last_update_at = context.bot_data["runtime"].clock.now()


async def start(application: Application) -> None:
    """Open the endpoint if `serve` asked for one (the console and the tests do not)."""
    state = state_of(application)
    if state.mode is None or state.server is not None:
        return
    server = HealthServer(application.bot_data["runtime"].db, state, state.listen, state.port)
    await server.start()
    state.server = server


async def stop(application: Application) -> None:
    state = state_of(application)
    if state.server is not None:
        await state.server.stop()
        state.server = None


class HealthServer:
    def __init__(self, db: Database, state: HealthState, listen: str, port: int) -> None:
        self._db = db
        self._state = state
        self._listen = listen
        self._port = port
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The port it listens on (the one asked for, or the one picked for port 0)."""
        if self._server is None or not self._server.sockets:
            return self._port
        return self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self._listen in ("0.0.0.0", "::") else self._listen
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/healthz"

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(self._serve, self._listen, self._port)
        except OSError as error:
            raise HealthServerError(
                f"cannot serve /healthz on {self._listen}:{self._port} "
                f"(HEALTH_LISTEN, HEALTH_PORT): {error.strerror or error}"
            ) from error
        log.info("serving %s", self.url)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), timeout=1.0)
            self._server = None

    async def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body): 200 when the store answers, 503 when it does not."""
        state = self._state
        body: dict[str, Any] = {
            "status": "ok",
            "database": "ok",
            "outbox_backlog": None,
            "last_update_at": state.last_update_at.isoformat() if state.last_update_at else None,
            "mode": state.mode,
        }
        try:
            body["outbox_backlog"] = await asyncio.wait_for(
                pending_count(self._db.reader), timeout=DATABASE_TIMEOUT_SECONDS
            )
        except TimeoutError:
            body.update(status="unavailable", database="no answer within 2 s")
            return 503, body
        except Exception as error:
            log.warning("health: the database did not answer: %s", error)
            body.update(status="unavailable", database=f"error: {type(error).__name__}")
            return 503, body
        return 200, body

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            method, path = await asyncio.wait_for(_read_request(reader), REQUEST_TIMEOUT_SECONDS)
            if path != "/healthz":
                status, body = 404, {"error": "not found; try /healthz"}
            elif method not in ("GET", "HEAD"):
                status, body = 405, {"error": "use GET"}
            else:
                status, body = await self.report()
            payload = json.dumps(body).encode() + b"\n"
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n"
                "Cache-Control: no-store\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            writer.write(head if method == "HEAD" else head + payload)
            await writer.drain()
        except (TimeoutError, ValueError, ConnectionError, asyncio.IncompleteReadError):
            pass  # a client that did not speak HTTP, or left: nothing to answer
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str]:
    """The method and path of a request; its headers are read and ignored."""
    request_line = (await reader.readline()).decode("latin-1").strip()
    parts = request_line.split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError("not an HTTP request")
    for _ in range(MAX_HEADER_LINES):
        if (await reader.readline()).strip() == b"":
            break
    return parts[0].upper(), parts[1].split("?", 1)[0]
