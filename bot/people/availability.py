"""Who may be sent something to answer: the one rule, shared by every list of people that
questions and requests go to (helpers, key persons, organisers), so the lists cannot drift."""

from __future__ import annotations


def available(pause_counts: bool = True) -> str:
    """SQL for "this person can be sent it now", over `users u` and an optional (LEFT JOIN)
    `helpers h`: reachable, not blocked by moderation, and, where `pause_counts`, not paused.

    A pause means "no questions now". Organisers receive escalations as a duty of their role,
    and accompaniment requests are not questions, so those lists leave the pause out.
    """
    rule = "u.reachable = 1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id)"
    return f"{rule} AND coalesce(h.paused, 0) = 0" if pause_counts else rule
