"""Files come from the server the Bot API runs on (TELEGRAM_BASE_URL, its /file/bot<token>/
path), so a self-hosted Bot API server works as Telegram's own: here, the HTTP stand-in."""

from io import BytesIO
from urllib.parse import unquote

from PIL import Image

from bot.app import build_application, running
from bot.local_api import ApiCall, LocalUser, UpdateFactory
from tests.fake_telegram import FakeTelegram
from tests.harness import settings_for
from tests.questions.files import TAGS, document, jpeg_with_tags

TOKEN = "123456:TEST"
ASKER = LocalUser(777123456, "Xandrilla", "en")


def test_the_file_url_is_the_bot_api_servers_own(tmp_path):
    settings = settings_for(tmp_path, telegram_base_url="http://127.0.0.1:8081/bot")
    assert settings.telegram_base_file_url == "http://127.0.0.1:8081/file/bot"


async def test_an_image_file_is_downloaded_from_the_bot_api_server_and_sent_back_clean(tmp_path):
    with FakeTelegram([]) as telegram:
        settings = settings_for(tmp_path, bot_token=TOKEN, telegram_base_url=telegram.base_url)
        app = build_application(settings, outbox_options={"background": False})
        async with running(app):
            updates = UpdateFactory(app.bot)
            await app.process_update(updates.message(ASKER, "/ask"))
            topics = ApiCall("sendMessage", {"chat_id": ASKER.id}, message_id=1)
            await app.process_update(updates.press(ASKER, "1|q_topic|papers", topics))
            file_id = telegram.add_file(jpeg_with_tags())
            content = document(file_id, "letter.jpg", "image/jpeg", 60_000)
            await app.process_update(updates.sent(ASKER, content))
    [asked] = telegram.sent("getFile")
    assert asked["file_id"] == file_id
    [download] = [params["path"] for name, params in telegram.calls if name == "download"]
    assert unquote(download) == f"/file/bot{TOKEN}/documents/{file_id}"
    [(method, name, cleaned)] = telegram.uploads
    assert (method, name) == ("sendPhoto", "photo.jpg")
    assert not any(tag.encode() in cleaned for tag in TAGS)
    [sent_back] = telegram.sent("sendPhoto")
    assert sent_back["caption"].startswith("This copy goes on, without the hidden details")
    assert Image.open(BytesIO(cleaned)).getexif() == {}
