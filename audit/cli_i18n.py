"""``python -m audit i18n ...``: the language files from the command line.

``add KEY --en TEXT --ru TEXT --pl TEXT`` adds one message key to every
language file at once (next to its related keys, checked like the
completeness test); ``--replace`` changes an existing key's texts.

``export --lang pl --out pl.xlsx`` writes one language as a sheet a
translator edits; ``import pl.xlsx [--lang pl]`` checks it like the
completeness test and writes the language file back, or refuses the whole
sheet naming the rows (see :mod:`audit.translation_sheet`).
"""

from __future__ import annotations

import argparse
import sys
from typing import BinaryIO

from audit.languages import LANGUAGES, native_name


def _cmd_add(args: argparse.Namespace) -> int:
    from audit.locale_files import add_message

    texts = {lang: getattr(args, f"text_{lang}") or "" for lang in LANGUAGES}
    changed = add_message(args.key, texts, languages=LANGUAGES, after=args.after, replace=args.replace, locales=args.locales)
    print(f"{args.key}: written to {len(changed)} language files")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from audit.outfile import check_target
    from audit.translation_sheet import export_language
    from audit.workbook import write_atomically

    target = check_target(args.out)
    data = export_language(args.lang, locales=args.locales)

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(target, write)
    print(f"{args.lang}: {args.out} written ({len(data) / 1024:,.0f} KB); edit the third column, then: python -m audit i18n import {args.out}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from audit.translation_sheet import MAX_FILE_BYTES, TranslationSheetError, import_language

    with open(args.file, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)  # never more than the limit into memory
    try:
        done = import_language(data, args.lang, locales=args.locales)
    except TranslationSheetError as err:
        print(f"error: {args.file}: {err}", file=sys.stderr)
        return 1
    print(f"{done.language}: {done.path} written ({done.keys} keys, {done.changed} changed)")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The ``i18n`` command and its actions."""
    from audit.i18n import LOCALES

    i18n = sub.add_parser("i18n", help="the language files: add a message key in every language; export/import one language as a spreadsheet")
    actions = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add (or with --replace change) one message key in every language file")
    add.add_argument("key", help="the message key, e.g. plan.save_help (lower-case words joined by dots)")
    for lang in LANGUAGES:
        add.add_argument(f"--{lang}", dest=f"text_{lang}", required=True, metavar="TEXT", help=f"the text in {native_name(lang)}")
    add.add_argument("--after", default=None, metavar="KEY", help="place it after this key (default: after its related keys)")
    add.add_argument("--replace", action="store_true", help="change the texts of a key that exists already")
    add.add_argument("--locales", type=_folder, default=LOCALES, help=argparse.SUPPRESS)  # tests: a copy of the files
    add.set_defaults(func=_cmd_add)

    export = actions.add_parser("export", help="write one language as a spreadsheet for a translator")
    export.add_argument("--lang", required=True, help="the language code, e.g. pl (any language; one without a file yet exports empty)")
    export.add_argument("--out", required=True, help="the .xlsx file to write")
    export.add_argument("--locales", type=_folder, default=LOCALES, help=argparse.SUPPRESS)
    export.set_defaults(func=_cmd_export)

    load = actions.add_parser("import", help="check a translator's spreadsheet and write its language file (all or nothing)")
    load.add_argument("file", help="the .xlsx file exported with i18n export and edited")
    load.add_argument("--lang", default=None, help="refuse the sheet unless it is for this language")
    load.add_argument("--locales", type=_folder, default=LOCALES, help=argparse.SUPPRESS)
    load.set_defaults(func=_cmd_import)


def _folder(value: str) -> object:
    from pathlib import Path

    return Path(value)
