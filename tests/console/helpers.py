"""Run console scripts in this process and read what each person saw."""

from __future__ import annotations

import io
import re
from collections import defaultdict

from bot.config import Settings
from bot.console import run_console

_SWITCH = re.compile(r"^You are now user (\d+),")


async def play(settings: Settings, script: str, **options: bool) -> str:
    """Feed `script` (one line per input) to the console; returns everything it printed."""
    out = io.StringIO()
    await run_console(settings, io.StringIO(script), out, **options)
    return out.getvalue()


def seen_by(transcript: str) -> dict[int, str]:
    """What each user saw: the console prints only the current user's chat (others get a
    one-line notice), so the transcript splits at every `/as`."""
    seen: dict[int, list[str]] = defaultdict(list)
    user = 1
    for line in transcript.splitlines():
        if match := _SWITCH.match(line):
            user = int(match.group(1))
        seen[user].append(line)
    return {user: "\n".join(lines) for user, lines in seen.items()}


def buttons(transcript: str) -> dict[str, int]:
    """Label -> the number of its last [#N] in the transcript."""
    return {
        match.group(2): int(match.group(1))
        for match in re.finditer(r"^  \[#(\d+)\] (.*)$", transcript, re.MULTILINE)
    }
