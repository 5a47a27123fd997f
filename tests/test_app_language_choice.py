"""Which language a page speaks: the person's pick, else the audit's language, else the browser's, else English.

Every page carries the switch, and the switch names each language in its own
words ("Polski", "Русский"). A language is data: a fourth one added as a
small gettext file in a folder named by ``AUDIT_LOCALES`` (a fresh server
process, no code changed) shows up in the switch under its own name and
speaks on the page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from audit.i18n import t
from audit.languages import LANGUAGES, native_name
from audit.model import Catalog, Role, Touchpoint
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
TIMEOUT = 60
SWITCH = "_lang_pick"


def run(token: str | None = None, locale: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token:
        at.query_params["t"] = token
    if locale:
        at.context = {"locale": locale}
    at.run()
    if page:
        at.switch_page(f"audit/ui/pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def catalog() -> Catalog:
    return Catalog("c", {"en": "C"}, (Touchpoint("office-door", "office", {"en": "Door"}),))


@pytest.mark.parametrize(("locale", "expected"), [("pl-PL", "pl"), ("ru", "ru"), ("de-DE", "en"), (None, "en")])
def test_without_an_audit_the_browser_language_is_spoken_if_we_speak_it(app_db: Store, locale: str | None, expected: str) -> None:
    at = run(locale=locale)
    assert at.title[0].value == t("app.title", expected)


def test_an_audit_language_comes_before_the_browser_and_a_pick_comes_before_both(app_db: Store) -> None:
    _, links = app_db.create_audit("Пекарня", catalog(), language="ru")
    at = run(links[Role.TEAM], locale="pl-PL")
    assert at.text_input[0].label == t("rate.your_name", "ru")
    at.segmented_control(key=SWITCH).set_value("pl").run()
    assert at.text_input[0].label == t("rate.your_name", "pl")


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        (None, ["welcome", "create", "open"]),
        (Role.OWNER, ["board", "present", "results", "plan", "handoff", "waves", "rate", "add", "links", "review", "standards",
                      "competitors"]),
        (Role.SHOPPER, ["shopper"]),
    ],
)
def test_every_page_has_the_switch_with_each_language_in_its_own_words(app_db: Store, role: Role | None, pages: list[str]) -> None:
    _, links = app_db.create_audit("Bakery", catalog())
    names = [native_name(code) for code in LANGUAGES]
    assert names == ["English", "Русский", "Polski"]
    at = run(links[role] if role else None)
    for page in pages:
        at.switch_page(f"audit/ui/pages/{page}.py").run()
        assert not at.exception, page
        assert at.segmented_control(key=SWITCH).options == names, page


def test_the_invalid_link_page_has_the_switch(app_db: Store) -> None:
    at = run("not-a-real-token")
    assert at.segmented_control(key=SWITCH).options == [native_name(code) for code in LANGUAGES]
    at.segmented_control(key=SWITCH).set_value("pl").run()
    assert at.title[0].value == t("invalid.title", "pl")


# ------------------------------------------------------------------ a fourth language, as data only

UKRAINIAN = """\
msgid ""
msgstr ""
"Language: uk\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "app.title"
msgstr "Аудит точок контакту"

msgid "welcome.create"
msgstr "Створити аудит"
"""

PROBE = textwrap.dedent("""
    import json
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file({app!r}, default_timeout=60)
    at.run()
    switch = at.segmented_control(key="_lang_pick")
    before = list(switch.options)
    switch.set_value("uk").run()
    seen = {{"options": before, "title": at.title[0].value, "buttons": [b.label for b in at.button],
            "exceptions": [str(e.value) for e in at.exception]}}
    at.switch_page("audit/ui/pages/create.py").run()
    seen["audit_languages"] = list(at.segmented_control(key="c_language").options)
    seen["exceptions"] += [str(e.value) for e in at.exception]
    print(json.dumps(seen))
""")


def test_a_fourth_language_added_as_a_locale_folder_shows_up_in_the_switch_with_no_code_change(tmp_path: Path) -> None:
    po = tmp_path / "locales" / "uk" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(UKRAINIAN, encoding="utf-8")
    env = {**os.environ, "AUDIT_LOCALES": str(tmp_path / "locales"), "AUDIT_DATABASE_URL": str(tmp_path / "app.sqlite"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(app=APP)], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["exceptions"] == []
    assert seen["options"] == ["English", "Русский", "Polski", "Українська"]
    assert seen["title"] == "Аудит точок контакту"  # its own words where it has them
    assert seen["audit_languages"][-1] == "Українська"  # an audit can be in it
    assert "Створити аудит" in seen["buttons"] and t("welcome.open", "en") in seen["buttons"]  # English where it has none yet
