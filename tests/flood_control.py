"""A Bot API stand-in that enforces Telegram's 30 messages a second the hard way, with 429s.

The window is strict: a message that arrives when 30 others arrived in the second before it is
refused with "retry after 1" and not counted, as Telegram does. Used by the burst test and by
`bench/burst.py`.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

from bot.local_api import EDITING_METHODS, SENDING_METHODS, LocalBotAPI

TELEGRAM_RATE = 30
TOO_MANY = json.dumps(
    {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
).encode()


class FloodControlAPI(LocalBotAPI):
    def __init__(self, latency: float = 0.0, per_second: int = TELEGRAM_RATE) -> None:
        super().__init__(latency=latency)
        self.per_second = per_second
        self.arrivals: deque[float] = deque()
        self.refused = 0  # 429s given

    async def do_request(self, url: str, method: str, request_data: Any = None, *a, **k):
        api_method = url.rsplit("/", 1)[-1]
        if api_method in SENDING_METHODS | EDITING_METHODS:
            now = asyncio.get_running_loop().time()
            while self.arrivals and now - self.arrivals[0] >= 1.0:
                self.arrivals.popleft()
            if len(self.arrivals) >= self.per_second:
                self.refused += 1
                await asyncio.sleep(self.latency)
                return 429, TOO_MANY
            self.arrivals.append(now)
        return await super().do_request(url, method, request_data, *a, **k)
