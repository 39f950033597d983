import pytest

from tests.harness import bot_harness, settings_for


@pytest.fixture
def settings(tmp_path):
    return settings_for(tmp_path)


@pytest.fixture
async def bot(settings):
    async with bot_harness(settings) as harness:
        yield harness
