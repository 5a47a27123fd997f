"""``python -m audit i18n ...``: the language files from the command line.

``add KEY --en TEXT --ru TEXT --pl TEXT`` adds one message key to every
language file at once (next to its related keys, checked like the
completeness test); ``--replace`` changes an existing key's texts.
"""

from __future__ import annotations

import argparse

from audit.languages import LANGUAGES, native_name


def _cmd_add(args: argparse.Namespace) -> int:
    from audit.locale_files import add_message

    texts = {lang: getattr(args, f"text_{lang}") or "" for lang in LANGUAGES}
    changed = add_message(args.key, texts, languages=LANGUAGES, after=args.after, replace=args.replace, locales=args.locales)
    print(f"{args.key}: written to {len(changed)} language files")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The ``i18n`` command and its actions."""
    from audit.i18n import LOCALES

    i18n = sub.add_parser("i18n", help="the language files: add a message key in every language at once")
    actions = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add (or with --replace change) one message key in every language file")
    add.add_argument("key", help="the message key, e.g. plan.save_help (lower-case words joined by dots)")
    for lang in LANGUAGES:
        add.add_argument(f"--{lang}", dest=f"text_{lang}", required=True, metavar="TEXT", help=f"the text in {native_name(lang)}")
    add.add_argument("--after", default=None, metavar="KEY", help="place it after this key (default: after its related keys)")
    add.add_argument("--replace", action="store_true", help="change the texts of a key that exists already")
    add.add_argument("--locales", type=_folder, default=LOCALES, help=argparse.SUPPRESS)  # tests: a copy of the files
    add.set_defaults(func=_cmd_add)


def _folder(value: str) -> object:
    from pathlib import Path

    return Path(value)
