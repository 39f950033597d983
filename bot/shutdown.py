"""Stopping on SIGTERM (or Ctrl-C): take no new updates, finish those in flight, leave the outbox
consistent, and be gone within DEADLINE_SECONDS, before Docker (10 s) or systemd kills us.

python-telegram-bot does the ordered part (stop fetching, handle what was fetched, stop the jobs,
then our on_stop and on_shutdown). This module adds the clock: the outbox gets what is left of the
deadline to finish the messages it is sending (`within_budget`); a message it could not finish
stays marked in flight in the file and goes out again at the next start. A watchdog ends the
process at the deadline if something still hangs; SQLite keeps every committed change.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 9.0  # from the signal to the end of the process, at most
CLOSING_SECONDS = 2.0  # kept back for closing the store and the connections after the outbox
DEFAULT_BUDGET_SECONDS = 5.0  # when stopping without a signal (console, tests)
SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _State:
    signalled_at: float | None = None
    signal_name: str | None = None
    watchdog: threading.Timer | None = None


_state = _State()


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Stop gracefully on SIGTERM and SIGINT; a second one stops at once."""
    for signum in SIGNALS:
        loop.add_signal_handler(signum, _on_signal, signum)


def _on_signal(signum: int) -> None:
    name = signal.Signals(signum).name
    if _state.signalled_at is not None:
        log.warning("%s again while stopping: exiting now", name)
        _exit_now(1)
    _state.signalled_at = time.monotonic()
    _state.signal_name = name
    _state.watchdog = threading.Timer(DEADLINE_SECONDS, _too_slow)
    _state.watchdog.daemon = True
    _state.watchdog.start()
    log.info("%s: stopping; no new updates, finishing those in flight", name)
    # The same as python-telegram-bot's own stop signal handler: it unwinds run_polling or
    # run_webhook from wherever they are, into their orderly shutdown.
    raise SystemExit(0)


def budget(default: float = DEFAULT_BUDGET_SECONDS) -> float:
    """Seconds a stopping step may still take."""
    if _state.signalled_at is None:
        return default
    left = _state.signalled_at + DEADLINE_SECONDS - CLOSING_SECONDS - time.monotonic()
    return max(0.5, left)


async def within_budget(step: Awaitable[object], what: str) -> bool:
    """Run a stopping step; cancel it when the budget is spent. False if it had to be cut off."""
    seconds = budget()
    try:
        await asyncio.wait_for(step, timeout=seconds)
    except TimeoutError:
        log.warning(
            "%s did not finish within %.1f s and was cut off; what it was doing is picked up "
            "again at the next start",
            what,
            seconds,
        )
        return False
    return True


def elapsed() -> float | None:
    """Seconds since the stop signal, if there was one."""
    return None if _state.signalled_at is None else time.monotonic() - _state.signalled_at


def disarm() -> None:
    """The process is about to end by itself: the watchdog is not needed any more."""
    if _state.watchdog is not None:
        _state.watchdog.cancel()
    _state.signalled_at = _state.signal_name = _state.watchdog = None


def _too_slow() -> None:
    log.error(
        "still not stopped %.0f s after %s: exiting now; messages that were being sent go out "
        "again at the next start",
        DEADLINE_SECONDS,
        _state.signal_name,
    )
    _exit_now(1)


def _exit_now(code: int) -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
