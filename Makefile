# Two commands for people who run a community: `make run` and `make test`.
# Both create .venv/ on first use, install the project and compile the translations;
# a second run reuses what is there.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
INSTALLED := $(VENV)/.installed
LOCALES := nl en ar ti uk fa tr so
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
# The suite mostly waits (bot processes, shutdown deadlines, flood waits), so it runs in more
# workers than there are cores; `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 4

.PHONY: run test console demo migrate translations messages lint lock

run: $(INSTALLED) translations
	@$(PY) -m bot run --console-without-token

test: $(INSTALLED) translations
	$(PY) -m pytest -n $(TEST_WORKERS)

console: $(INSTALLED) translations
	@$(PY) -m bot console

# The story in examples/first-evening.txt, played in the console on a demo database of its
# own (data/demo/, started anew each time; the files the bot sends land in data/demo/console-files/).
demo: $(INSTALLED) translations
	@rm -rf data/demo
	@DATABASE_PATH=data/demo/landgenoot.sqlite3 $(PY) -m bot console --fresh < examples/first-evening.txt

migrate: $(INSTALLED)
	@$(PY) -m bot migrate

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

# Compile the gettext catalogs (.po -> .mo) that the bot loads at start.
translations: $(COMPILED)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(INSTALLED)
	@$(PYBABEL) -q compile -i $< -o $@

# After changing user-facing text: extract it into the template and update every catalog.
# New messages arrive empty; the catalog test fails until each locale translates them.
messages: $(INSTALLED)
	$(PYBABEL) extract -F babel.cfg -k N_ -k ngettext:1,2 -k npgettext:1c,2,3 --sort-by-file \
		--project=Landgenoot --no-wrap -o locales/messages.pot .
	@for locale in $(LOCALES); do test -f locales/$$locale/LC_MESSAGES/messages.po || \
		$(PYBABEL) init -i locales/messages.pot -d locales -D messages -l $$locale --no-wrap; done
	$(PYBABEL) update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching \
		--ignore-obsolete --no-wrap

# requirements.lock: the exact runtime versions with their hashes, as the container installs
# them. After changing dependencies in pyproject.toml: `make lock` (LOCK_FLAGS=--upgrade also
# moves the indirect ones to their newest versions), then run the tests.
lock: $(INSTALLED)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_FLAGS) \
		-o requirements.lock pyproject.toml

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Landgenoot needs Python 3.11 or newer (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@
