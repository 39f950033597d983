"""A stand-in for the Telegram Bot API inside the process: no network, no token.

python-telegram-bot sends every Bot API call through a request object; this one answers each
call as Telegram would, records it, and can be told to fail (blocked user, flood wait) or to
take a while (a slow round trip). The console chat and the tests both use it, so they run the
very Application that runs against Telegram.

Files work as on Telegram: what the bot uploads gets a file id of its own, which it can send
again; `getFile` gives a path that the bot downloads from the file server (the `/file/bot...`
address beside the Bot API's), here answered from `files` or `file_source`.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 1000,
    "is_bot": True,
    "first_name": "Landgenoot",
    "username": "landgenoot_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Telegram lets a bot download files up to this size from its cloud Bot API.
DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024
FILE_PATH_PREFIX = "files/"
SENDING_METHODS = {"sendMessage", "sendDocument", "sendPhoto", "sendVoice", "sendLocation"}
EDITING_METHODS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
# The texts Telegram shows on the bot's profile, and the field each travels in.
PROFILE_TEXTS = {
    "getMyDescription": "description",
    "setMyDescription": "description",
    "getMyShortDescription": "short_description",
    "setMyShortDescription": "short_description",
}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    message_id: int | None = None  # of the message this call sent or edited
    file_id: str | None = None  # of the file this call uploaded, as Telegram names it

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return int(chat_id) if chat_id is not None else None

    @property
    def text(self) -> str:
        return self.params.get("text") or self.params.get("caption") or ""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button, row by row."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class _Failure:
    method: str
    chat_id: int | None
    error_code: int
    description: str
    retry_after: int | None
    times: int


class LocalBotAPI(BaseRequest):
    def __init__(
        self, latency: float = 0.0, listener: Callable[[ApiCall], None] | None = None
    ) -> None:
        self.latency = latency
        self.listener = listener
        self.calls: list[ApiCall] = []
        # What each message looks like now, as a chat would show it: (chat id, message id) ->
        # the call that sent it, with later edits applied; deleted messages are gone.
        self.messages: dict[tuple[int, int], ApiCall] = {}
        self._message_ids = itertools.count(1)
        self._failures: list[_Failure] = []
        self.in_flight = 0
        self.peak_in_flight = 0  # the most calls that were waiting for an answer at once
        # The bot's description and short description, per language code, as last set.
        self.profile: dict[tuple[str, str | None], str] = {}
        # Files by id: what users sent (`add_file`) and what the bot uploaded; the console
        # reads the files its user sends from disk (`file_source`).
        self.files: dict[str, bytes] = {}
        self.file_source: Callable[[str], bytes | None] | None = None
        self.downloads: list[str] = []  # the file ids the bot downloaded, in order
        self._file_ids = itertools.count(1)
        self._paths: dict[str, str] = {}  # file path given by getFile -> file id

    def add_file(self, content: bytes, file_id: str | None = None) -> str:
        """A file a user sends: its id, which the bot can ask `getFile` about."""
        file_id = file_id or f"AgADlocal{next(self._file_ids):05d}"
        self.files[file_id] = content
        return file_id

    def file_content(self, file_id: str) -> bytes | None:
        if file_id in self.files:
            return self.files[file_id]
        return self.file_source(file_id) if self.file_source is not None else None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error_code: int = 400,
        description: str = "Bad Request: something is wrong",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, if given) fail like Telegram."""
        self._failures.append(
            _Failure(method, chat_id, error_code, description, retry_after, times)
        )

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Messages sent and edited, optionally only those to one chat."""
        return [
            call
            for call in self.calls
            if call.method in SENDING_METHODS | EDITING_METHODS
            and (chat_id is None or call.chat_id == chat_id)
        ]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if method == "GET":  # a file download, from the file server
            return self._download(url)
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = {}
        if request_data and request_data.contains_files:
            for name, value in request_data.multipart_data.items():
                filename, content = value[0], value[1]
                files[name] = (filename, content if isinstance(content, bytes) else b"")
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
        finally:
            self.in_flight -= 1
        failure = self._take_failure(api_method, params.get("chat_id"))
        if failure is not None:
            return failure
        call = ApiCall(api_method, params, files)
        if api_method == "getFile":
            found = self._file(str(params.get("file_id", "")))
            if found is None or "file_path" not in found:
                why = "invalid file_id" if found is None else "file is too big"
                self.calls.append(call)
                body = {"ok": False, "error_code": 400, "description": f"Bad Request: {why}"}
                return 400, json.dumps(body).encode()
        result = self._result(call)
        self.calls.append(call)
        self._track(call)
        if self.listener is not None:
            self.listener(call)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _download(self, url: str) -> tuple[int, bytes]:
        _before, found, token = url.partition(f"/{FILE_PATH_PREFIX}")
        file_id = self._paths.get(token) if found and "/file/bot" in url else None
        content = self.file_content(file_id) if file_id is not None else None
        if file_id is None or content is None:
            return 404, b"Not Found"
        self.downloads.append(file_id)
        return 200, content

    def _file(self, file_id: str) -> dict[str, Any] | None:
        """What getFile answers: where to download it; None for an id it does not know."""
        content = self.file_content(file_id)
        if content is None:
            return None
        found = {"file_id": file_id, "file_unique_id": file_id[-16:], "file_size": len(content)}
        if len(content) <= DOWNLOAD_LIMIT_BYTES:  # like Telegram: no path, no download
            # A path of plain letters: a console file id is a file name with / and :.
            token = hashlib.sha1(file_id.encode()).hexdigest()
            self._paths[token] = file_id
            found["file_path"] = FILE_PATH_PREFIX + token
        return found

    def message_now(self, chat_id: int, message_id: int) -> ApiCall | None:
        """The message as it is now (after edits), or None once it has been deleted."""
        return self.messages.get((chat_id, message_id))

    def _track(self, call: ApiCall) -> None:
        if call.chat_id is None:
            return
        if call.method == "deleteMessage":
            self.messages.pop((call.chat_id, int(call.params.get("message_id", 0))), None)
            return
        if call.message_id is None:
            return
        key = (call.chat_id, call.message_id)
        if call.method in SENDING_METHODS:
            self.messages[key] = call
            return
        before = self.messages.get(key)
        if before is None or call.method not in EDITING_METHODS:
            return
        params = dict(before.params)
        # Like Telegram: an edit without reply_markup takes the inline keyboard off.
        params["reply_markup"] = call.params.get("reply_markup")
        if call.method == "editMessageText":
            params["text"] = call.params.get("text", "")
        elif call.method == "editMessageCaption":
            params["caption"] = call.params.get("caption", "")
        self.messages[key] = ApiCall(before.method, params, before.files, call.message_id)

    def _take_failure(self, method: str, chat_id: object) -> tuple[int, bytes] | None:
        for failure in self._failures:
            if failure.method == method and failure.chat_id in (None, _int(chat_id)):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": failure.error_code,
                    "description": failure.description,
                }
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.error_code, json.dumps(body).encode()
        return None

    def _result(self, call: ApiCall) -> Any:
        if call.method == "getMe":
            return BOT_USER
        if call.method == "getUpdates":
            return []
        if call.method == "getFile":
            return self._file(str(call.params.get("file_id", "")))
        if call.method in SENDING_METHODS or call.method in EDITING_METHODS:
            return self._message(call)
        if call.method in PROFILE_TEXTS:
            field = PROFILE_TEXTS[call.method]
            key = (field, call.params.get("language_code"))
            if call.method.startswith("set"):
                self.profile[key] = call.params.get(field) or ""
                return True
            return {field: self.profile.get(key, "")}
        return True

    def _sent_file(self, call: ApiCall) -> dict[str, Any]:
        """The file a sending call carries, as Telegram describes it: an upload gets an id of
        its own (kept, so the bot can send it again or download it); a file id is sent again."""
        parameter = {"sendDocument": "document", "sendPhoto": "photo", "sendVoice": "voice"}
        name = parameter.get(call.method)
        if name is None:
            return {}
        if name in call.files:
            call.file_id = self.add_file(call.files[name][1])
        else:
            call.file_id = str(call.params.get(name) or "local")
        content = self.file_content(call.file_id) or b""
        return {
            "file_id": call.file_id,
            "file_unique_id": call.file_id[-16:],
            "file_size": len(content),
        }

    def _message(self, call: ApiCall) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        message: dict[str, Any] = {
            "message_id": int(call.params.get("message_id") or next(self._message_ids)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT_USER,
        }
        file = self._sent_file(call)
        if call.method == "sendDocument":
            filename = next(iter(call.files.values()), ("file", b""))[0]
            message["document"] = {**file, "file_name": filename}
        elif call.method == "sendPhoto":
            message["photo"] = [{**file, "width": 1, "height": 1}]
        elif call.method == "sendVoice":
            message["voice"] = {**file, "duration": 1}
        elif call.method == "sendLocation":
            message["location"] = {
                "latitude": float(call.params.get("latitude", 0)),
                "longitude": float(call.params.get("longitude", 0)),
            }
        else:
            message["text"] = call.text
        if call.method != "sendMessage" and call.text:
            message["caption"] = call.text
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        call.message_id = message["message_id"]
        return message


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class LocalUser:
    id: int
    first_name: str
    language_code: str | None = "en"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data


class UpdateFactory:
    """Makes the updates Telegram would send: a message from a user, a button press."""

    def __init__(self, bot: Bot, now: Callable[[], float] = time.time) -> None:
        self._bot = bot
        self._now = now  # the message dates: the console's clock can be ahead of the wall
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1_000_000)
        self._query_ids = itertools.count(1)

    def message(self, user: LocalUser, text: str, chat_id: int | None = None) -> Update:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.sent(user, content, chat_id)

    def sent(self, user: LocalUser, content: dict[str, Any], chat_id: int | None = None) -> Update:
        """A message with any content a phone sends: `{"location": {...}}`, `{"photo": [...]}`."""
        chat_id = user.id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(self._now()),
            "chat": _chat(chat_id, user),
            "from": user.as_dict(),
            **content,
        }
        return Update.de_json({"update_id": next(self._update_ids), "message": message}, self._bot)

    def press(self, user: LocalUser, data: str, on: ApiCall) -> Update:
        """A tap on a button with callback data `data`, under the bot message `on`."""
        chat_id = on.chat_id or user.id
        message = {
            "message_id": on.message_id or 1,
            "date": int(self._now()),
            "chat": _chat(chat_id, user),
            "from": BOT_USER,
            "text": on.text,
        }
        markup = on.params.get("reply_markup")
        if markup:  # Telegram sends the pressed message with its keyboard
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        query = {
            "id": str(next(self._query_ids)),
            "from": user.as_dict(),
            "chat_instance": str(chat_id),
            "message": message,
            "data": data,
        }
        return Update.de_json(
            {"update_id": next(self._update_ids), "callback_query": query}, self._bot
        )


def _chat(chat_id: int, user: LocalUser) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": user.first_name}
    return {"id": chat_id, "type": "group", "title": "Group"}
