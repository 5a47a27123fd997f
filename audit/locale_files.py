"""The language files on disk: one gettext ``.po`` file per language, always written the same way.

``audit/locales/<lang>/LC_MESSAGES/messages.po`` holds every text the product
shows: msgid = the message key, msgstr = the text. English (``en``) is the
source; in every other language the ``#.`` comment carries the English text
for the translator. Files are written by Babel with a fixed line width and a
fixed header date, so a change shows as a small diff.

:func:`add_message` adds (or replaces) one key in every language at once, next
to its related keys (``python -m audit i18n add``); :func:`text_problems` is
the check every translation must pass (same placeholders, icons and Markdown
as the English text), shared by the tests, the ``add`` command and the
spreadsheet import.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import string
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from audit.i18n import LOCALES, po_path
from audit.languages import DEFAULT

WIDTH = 100
_FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # the header never churns
SOURCE = DEFAULT  # the language whose texts the others translate

_HEADER = """\
# {name} texts of Touchpoint Audit.
# msgid is the message key; msgstr is the text.{english}
# Keep {{placeholders}}, :material/...: icons and **Markdown** as in English.
# Add a key in every language at once with: python -m audit i18n add KEY --en ... --ru ... --pl ..."""


class MessageFileError(ValueError):
    """A key or text that cannot be added: the message names the key, the language and the problem."""


def fields(text: str) -> set[str]:
    """``{name:spec}`` fields as written (a format spec like ``.1f`` must survive translation too)."""
    try:
        return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<broken braces>"}


def icons(text: str) -> list[str]:
    """``:material/...:`` icon codes in order."""
    return re.findall(r":material/[a-z_]+:", text)


def markdown(text: str) -> tuple[int, int, list[str]]:
    """Bold markers, line breaks and numbered-list starts: the Markdown a translation must keep."""
    return text.count("**"), text.count("\n"), re.findall(r"^\d+\.", text, flags=re.MULTILINE)


def text_problems(english: str, text: str) -> list[str]:
    """What is wrong with ``text`` as a translation of ``english`` (empty when nothing)."""
    problems = []
    if not text.strip():
        problems.append("the text is empty")
    if fields(text) != fields(english):
        problems.append(f"placeholders {sorted(fields(text))} differ from the English {sorted(fields(english))}")
    if icons(text) != icons(english):
        problems.append(f"icons {icons(text)} differ from the English {icons(english)}")
    if markdown(text) != markdown(english):
        problems.append("bold markers, line breaks or numbered lines differ from the English")
    return problems


# Texts a language may leave exactly as in English: loanwords, codes, column ids, people's names.
SAME_AS_ENGLISH = frozenset({
    "Online", "Offline", "OK", "#", "Status", "Standard", "Problem", "touchpoint_id", "action_id", "”", "standard {v}", "Marketing",
    "id", "status", "standard", "token",
})
SAME_AS_ENGLISH_KEYS = ("demo.rater.",)  # names of made-up people stay as they are


def untranslated(key: str, english: str, text: str) -> bool:
    """``text`` is the English left in place (and not one of the texts allowed to stay English)."""
    if text != english or text in SAME_AS_ENGLISH or key.startswith(SAME_AS_ENGLISH_KEYS):
        return False
    return bool(re.search(r"[A-Za-z]{2}", re.sub(r":material/[a-z_]+:|\{[^}]*\}", "", text)))


def language_problems(english: Mapping[str, str], texts: Mapping[str, str]) -> list[str]:
    """Everything wrong with one language's ``texts`` against the English source, one line per key."""
    problems = [f"{key}: missing" for key in english if not texts.get(key, "").strip()]
    problems += [f"{key}: not an English key (stale?)" for key in texts if key not in english]
    for key, text in texts.items():
        if key in english and text.strip():
            problems += [f"{key}: {problem}" for problem in text_problems(english[key], text)]
            if untranslated(key, english[key], text):
                problems.append(f"{key}: still the English text")
    return problems


def read_catalog(path: Path) -> Catalog:
    """One ``.po`` file as a Babel catalog."""
    with path.open("rb") as handle:
        return read_po(handle)


def new_catalog(language: str, name: str) -> Catalog:
    """An empty catalog for ``language`` with this project's header."""
    english = "" if language == SOURCE else "\n# The #. comment above each entry is the English text."
    return Catalog(
        locale=language, header_comment=_HEADER.format(name=name, english=english), project="Touchpoint Audit",
        version="1", msgid_bugs_address="-", creation_date=_FIXED_DATE, revision_date=_FIXED_DATE,
        last_translator="Touchpoint Audit contributors", language_team=name, charset="utf-8", fuzzy=False,
    )



def rebuilt(catalog: Catalog, messages: Iterable[Message]) -> Catalog:
    """``catalog``'s header with ``messages`` in the given order."""
    out = Catalog(
        locale=catalog.locale, header_comment=catalog.header_comment, project=catalog.project, version=catalog.version,
        msgid_bugs_address=catalog.msgid_bugs_address, creation_date=catalog.creation_date,
        revision_date=catalog.revision_date, last_translator=catalog.last_translator,
        language_team=catalog.language_team, charset="utf-8", fuzzy=False,
    )
    for message in messages:
        out[message.id] = message
    return out


def po_bytes(catalog: Catalog) -> bytes:
    """The file's bytes, written the one way this project writes them."""
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, omit_header=False)
    return out.getvalue()


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` to ``path`` atomically (a reader never sees half a file)."""
    write_files({path: po_bytes(catalog)})


def write_files(contents: Mapping[Path, bytes]) -> None:
    """Write several files so that either all change or none: every temp file first, then the renames."""
    temps: dict[Path, Path] = {}
    try:
        for path, data in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)  # mkstemp makes it private
            temps[path] = Path(name)
        for path, temp in temps.items():
            os.replace(temp, path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def _anchor(keys: list[str], key: str) -> str | None:
    """The key after which ``key`` belongs: the last one with the same prefix, else the same first word."""
    prefix = key.rsplit(".", 1)[0]
    for candidates in (prefix, key.split(".", 1)[0]):
        related = [k for k in keys if k.rsplit(".", 1)[0] == candidates or k.startswith(candidates + ".")]
        if related:
            return related[-1]
    return None


def _placed(catalog: Catalog, message: Message, anchor: str | None) -> Catalog:
    """``catalog`` with ``message`` replacing its key in place, or inserted after ``anchor`` (else at the end)."""
    ordered = [m for m in catalog if m.id]
    if message.id in catalog:
        return rebuilt(catalog, [message if m.id == message.id else m for m in ordered])
    index = next((i + 1 for i, m in enumerate(ordered) if m.id == anchor), len(ordered))
    return rebuilt(catalog, [*ordered[:index], message, *ordered[index:]])


def check_new_texts(key: str, texts: Mapping[str, str], languages: Iterable[str]) -> None:
    """Refuse a key without a text in every language, or a translation that breaks the English's form."""
    if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_\-]+)+", key):
        raise MessageFileError(f"key {key!r}: use lower-case words joined by dots, e.g. plan.save_help")
    missing = [lang for lang in languages if not texts.get(lang, "").strip()]
    if missing:
        raise MessageFileError(f"key {key!r}: no text for {', '.join(missing)} (every language needs one)")
    for lang, text in texts.items():
        if lang != SOURCE:
            found = text_problems(texts[SOURCE], text)
            if found:
                raise MessageFileError(f"key {key!r}, language {lang}: {'; '.join(found)}")


def add_message(
    key: str, texts: Mapping[str, str], *, languages: Iterable[str], after: str | None = None, replace: bool = False,
    locales: Path = LOCALES,
) -> list[Path]:
    """Add ``key`` with ``texts`` (language -> text) to every language file at once; the changed files.

    The key goes after ``after`` or else after its related keys (same prefix).
    An existing key is refused unless ``replace``. Nothing is written unless
    every language's text passes :func:`check_new_texts`.
    """
    return add_messages([(key, texts)], languages=languages, after=after, replace=replace, locales=locales)


def add_messages(
    entries: Sequence[tuple[str, Mapping[str, str]]], *, languages: Iterable[str], after: str | None = None,
    replace: bool = False, locales: Path = LOCALES,
) -> list[Path]:
    """:func:`add_message` for several keys, in order, written once (all or nothing)."""
    languages = list(languages)
    for key, texts in entries:
        check_new_texts(key, texts, languages)
    catalogs = {lang: read_catalog(po_path(lang, locales)) for lang in languages}
    for key, texts in entries:
        if not replace and any(key in catalog for catalog in catalogs.values()):
            raise MessageFileError(f"key {key!r} exists already (use --replace to change its texts)")
        source_keys = [str(m.id) for m in catalogs[SOURCE] if m.id]
        if after is not None and after not in source_keys:
            raise MessageFileError(f"--after {after!r}: no such key")
        anchor = after or _anchor(source_keys, key)
        for lang, catalog in catalogs.items():
            comments = [] if lang == SOURCE else [texts[SOURCE]]
            catalogs[lang] = _placed(catalog, Message(key, texts[lang], auto_comments=comments), anchor)
        after = key if after is not None else None  # several keys after one place keep their order
    contents = {po_path(lang, locales): po_bytes(catalog) for lang, catalog in catalogs.items()}
    write_files(contents)
    return list(contents)
