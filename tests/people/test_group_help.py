"""/help in a group chat lists what works there, and points to a private chat for the rest."""

from tests.harness import ADMIN, BRAM

GROUP = -100123


async def test_help_in_a_group_lists_only_the_group_commands(bot):
    [help_text] = await bot.send(ADMIN, "/help", chat_id=GROUP)
    commands = [line.split(" — ")[0] for line in help_text.text.splitlines() if " — " in line]
    assert commands == ["/help", "/cafes", "/urgent"]
    assert "Everything else, in a private chat with me: https://t.me/landgenoot_bot" in (
        help_text.text
    )
    assert help_text.buttons == []  # a press in a group would only be sent to a private chat


async def test_help_in_a_private_chat_still_lists_everything(bot):
    [help_text] = await bot.send(BRAM, "/help")
    assert "/mydata" in help_text.text and "/ask" in help_text.text
