"""The audit log in words: each recorded action as a line an admin can read.

The log stores short codes ("cancel_cafe", "cafe:4"); people read "Ada cancelled the café
Praattafel maart". An action without words here yet is shown with its codes, never hidden.
"""

from __future__ import annotations

from bot.clock import from_timestamp
from bot.i18n import N_, Translator
from bot.moderation.store import AuditEntry
from bot.people.roles import ROLE_LABELS, parse_role

# (action, kind of target) -> the sentence; {actor}, {number}, {person}, {title}, {role}.
SENTENCES: dict[tuple[str, str], str] = {
    ("hide", "tip"): N_("{actor} hid tip {number}"),
    ("hide", "question"): N_("{actor} hid question {number}"),
    ("hide", "answer"): N_("{actor} hid answer {number}"),
    ("dismiss", "tip"): N_("{actor} dismissed a report about tip {number}"),
    ("dismiss", "question"): N_("{actor} dismissed a report about question {number}"),
    ("dismiss", "answer"): N_("{actor} dismissed a report about answer {number}"),
    ("approve", "tip"): N_("{actor} approved tip {number}"),
    ("restore", "tip"): N_("{actor} showed tip {number} again"),
    ("block", "user"): N_("{actor} blocked {person}"),
    ("unban", "user"): N_("{actor} unblocked {person}"),
    ("cancel_cafe", "cafe"): N_("{actor} cancelled the café {title}"),
    ("announce", "announcement"): N_("{actor} sent announcement {number}"),
    ("invite", "role"): N_("{actor} made an invite link for the role: {role}"),
    ("appoint", "user"): N_("{person} became {role} through an invite from {actor}"),
}
# The reason is part of the sentence for these; for the others it follows it.
_REASON_IN_SENTENCE = {"appoint"}


def audit_line(t: Translator, entry: AuditEntry) -> str:
    when = t.datetime(from_timestamp(entry.at), "short")
    actor = t.isolate(entry.actor or t.gettext("(erased)"))
    kind, _sep, value = entry.target.partition(":")
    sentence = SENTENCES.get((entry.action, kind))
    if sentence is None:
        text = f"{actor}: {entry.action} {entry.target}"
    else:
        role_code = value if kind == "role" else entry.reason
        role = parse_role(role_code or "")
        text = t.gettext(sentence).format(
            actor=actor,
            number=t.number(int(value)) if value.isdigit() else value,
            person=t.isolate(entry.target_name or t.gettext("(erased)")),
            title=t.isolate(entry.target_name or value),
            role=t.gettext(ROLE_LABELS[role]) if role else role_code,
        )
    reason = entry.reason if entry.action not in _REASON_IN_SENTENCE else None
    return f"{when} · {text}" + (f" — {t.isolate(reason)}" if reason else "")
