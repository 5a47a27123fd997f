"""Command line: ``python -m audit --help``.

Every command prints a clear message and exits 1 on a problem a person can fix
(bad file, unknown audit, unwritable path); no tracebacks for those.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from audit.languages import LANGUAGES
from audit.model import Category, ValidationError


def _cmd_catalog_check(args: argparse.Namespace) -> int:
    from audit.catalog import load_catalog

    failed = 0
    for name in args.files:
        catalog, problems = load_catalog(name)
        if problems:
            failed += 1
            print(f"{name}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
        else:
            assert catalog is not None
            counts = ", ".join(f"{c.value} {n}" for c, n in catalog.count_by_category().items())
            print(f"{name}: ok - {len(catalog.touchpoints)} touchpoints ({counts}), {len(catalog.chains)} chains")
    return 1 if failed else 0


def _cmd_catalog_list(args: argparse.Namespace) -> int:
    from audit.catalog import bundled, bundled_ids

    header = f"{'id':<12} {'touchpoints':>11} " + " ".join(f"{c.value:>10}" for c in Category) + f" {'chains':>6}  name"
    print(header)
    for catalog_id in bundled_ids():
        catalog = bundled(catalog_id)
        counts = catalog.count_by_category()
        cells = " ".join(f"{counts[c]:>10}" for c in Category)
        print(f"{catalog.id:<12} {len(catalog.touchpoints):>11} {cells} {len(catalog.chains):>6}  {catalog.name.get(args.lang)}")
    return 0


def _cmd_catalog_export(args: argparse.Namespace) -> int:
    from audit.catalog import bundled, load_catalog, write_csv, write_xlsx
    from audit.outfile import check_target, remove_stale
    from audit.workbook import write_atomically

    out = check_target(args.out)
    source = args.catalog
    if Path(source).exists():
        catalog, problems = load_catalog(source)
        if catalog is None:
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1
    else:
        catalog = bundled(source)
    data = write_xlsx(catalog) if out.suffix.lower() == ".xlsx" else write_csv(catalog)
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    remove_stale(out)
    write_atomically(out, write)
    print(f"wrote {out} ({len(catalog.touchpoints)} touchpoints)")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from audit.demo import create_demo
    from audit.store import Store

    store = Store(args.db)
    audit, links = create_demo(store, catalog_id=args.catalog, raters=args.raters, seed=args.seed, language=args.lang)
    print(f"audit id: {audit.id}")
    print(f"audit:    {audit.name} ({audit.catalog_id}, {len(store.catalog(audit.id).touchpoints)} touchpoints)")
    base = demo_base_url(args.base_url, args.port)
    for role, token in links.items():
        print(f"{role.value + ' link:':<14} {base}/?t={token}")
    print("Keep the owner link private: it opens and changes everything in this audit.")
    print(f"The links are for the app at {base}; for another port or address: --port N or --base-url URL.")
    return 0


def demo_base_url(base_url: str | None, port: int | None) -> str:
    """Where the demo's links point: ``--base-url``, else ``AUDIT_PUBLIC_URL`` (what the app itself uses),
    else this machine on ``--port``, ``STREAMLIT_SERVER_PORT`` or Streamlit's default 8501."""
    chosen = (base_url or os.environ.get("AUDIT_PUBLIC_URL", "")).strip()
    if chosen:
        return chosen.rstrip("/")
    configured = os.environ.get("STREAMLIT_SERVER_PORT", "").strip()
    return f"http://localhost:{port or (int(configured) if configured.isdigit() else 8501)}"


def _cmd_migrate(args: argparse.Namespace) -> int:
    from audit.store import Store

    store = Store(args.db, migrate=False)
    applied = store.migrate()
    print(f"applied: {', '.join(applied) if applied else 'nothing (up to date)'}")
    print(f"schema: {', '.join(store.applied_migrations())}")
    return 0


def _write_audit_file(args: argparse.Namespace, write: Callable[[Any, str, Path], int | None]) -> int:
    """Check ``--out`` (a new path or a regular file), find ``--audit``, then ``write`` it atomically, leaving no litter.

    ``write`` returns an exit code when it refuses (it has said why), else ``None``.
    """
    from audit.outfile import check_target, private_temp, remove_stale
    from audit.store import NotFound, Store

    out = check_target(args.out)
    store = Store(args.db)
    try:
        store.get_audit(args.audit)
    except NotFound as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    remove_stale(out)
    with private_temp(out):
        refused = write(store, args.audit, out)
    if refused:
        return refused
    print(f"wrote {out}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from audit.workbook import export_audit

    def write(store: Any, audit_id: str, out: Path) -> int | None:
        if args.format == "xlsx":
            export_audit(store, audit_id, out, crosshair=args.crosshair)
            return None
        if _export_plan_file(store, audit_id, out, args.format) is None:
            print(f"error: audit {audit_id} has no stored plan yet; open its plan page or export the workbook "
                  "(--format xlsx) first", file=sys.stderr)
            return 1
        return None

    return _write_audit_file(args, write)


def _cmd_report(args: argparse.Namespace) -> int:
    from audit.workbook import export_report

    def write(store: Any, audit_id: str, out: Path) -> int | None:
        export_report(store, audit_id, out, crosshair=args.crosshair)
        return None

    return _write_audit_file(args, write)


def _export_plan_file(store: Any, audit_id: str, out: Path, fmt: str) -> int | None:
    """Write the stored plan as .ics or a tracker CSV (atomically); ``None`` when no plan is stored."""
    from audit.handoff.calendar import plan_ics
    from audit.handoff.task import plan_texts
    from audit.handoff.trackers import asana_csv, jira_csv
    from audit.workbook import write_atomically

    actions = store.actions(audit_id)
    if not actions:
        return None
    audit = store.get_audit(audit_id)
    texts = plan_texts(actions, store.catalog(audit_id), audit)
    writers = {"ics": lambda: plan_ics(texts, audit), "csv-jira": lambda: jira_csv(texts), "csv-asana": lambda: asana_csv(texts)}
    data = writers[fmt]()

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(out, write)
    return len(texts)


def _cmd_bench(args: argparse.Namespace) -> int:
    from audit.bench import BenchParameters, run_bench

    return run_bench(BenchParameters(
        touchpoints=args.touchpoints, raters=args.raters, observations=args.observations, repeat=args.repeat,
        concurrency=args.concurrency, ratings_each=args.ratings_each, room=args.room, answers=args.answers,
        database=not args.no_database, writer_runs=args.writer_runs, scale=args.scale, writers_only=args.writers_only,
        **({} if args.writer_rounds is None else {"writer_rounds": args.writer_rounds}),
    ))


def _add_catalog_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """catalog check, list and export."""
    catalog = sub.add_parser("catalog", help="check, list and export touchpoint catalogs")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    check = catalog_sub.add_parser("check", help="validate catalog files and print every problem (exit 1 on errors)")
    check.add_argument("files", nargs="+", metavar="FILE", help="catalog files (.yaml, .csv, .xlsx)")
    check.set_defaults(func=_cmd_catalog_check)
    listing = catalog_sub.add_parser("list", help="bundled catalogs with their counts per category")
    listing.add_argument("--lang", choices=LANGUAGES, default="en")
    listing.set_defaults(func=_cmd_catalog_list)
    export = catalog_sub.add_parser("export", help="write a catalog to .xlsx or .csv (to edit it in a spreadsheet)")
    export.add_argument("catalog", help="a bundled catalog id or a catalog file")
    export.add_argument("--out", required=True, help="output file (.xlsx or .csv)")
    export.set_defaults(func=_cmd_catalog_export)


def _add_database_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """demo and migrate."""
    demo = sub.add_parser("demo", help="create a realistic demo audit and print its links")
    demo.add_argument("--db", default=None, help="database URL or SQLite file path (default: AUDIT_DATABASE_URL or data/)")
    demo.add_argument("--catalog", default="retail", help="bundled catalog id (default: retail)")
    demo.add_argument("--raters", type=int, default=8, help="number of team members who rate (default: 8)")
    demo.add_argument("--seed", type=int, default=1, help="random seed, for repeatable demos")
    demo.add_argument("--lang", choices=LANGUAGES, default="en")
    demo.add_argument("--port", type=int, default=None,
                      help="port of the running app for the printed links (default: STREAMLIT_SERVER_PORT or 8501)")
    demo.add_argument("--base-url", default=None,
                      help="the app's address for the printed links (default: AUDIT_PUBLIC_URL, else http://localhost:PORT)")
    demo.set_defaults(func=_cmd_demo)

    migrate = sub.add_parser("migrate", help="apply database migrations (also done on every start)")
    migrate.add_argument("--db", default=None, help="database URL or SQLite file path")
    migrate.set_defaults(func=_cmd_migrate)


def _add_export_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """export (workbook, calendar, CSV) and report (PDF)."""
    exp = sub.add_parser("export", help="write an audit's Excel workbook (action plan, scores, evidence), or its plan as "
                                        "a calendar or a Jira / Asana CSV")
    exp.add_argument("--db", default=None, help="database URL or SQLite file path")
    exp.add_argument("--audit", required=True, help="audit id")
    exp.add_argument("--out", required=True, help="output file (.xlsx, .ics or .csv)")
    exp.add_argument("--format", default="xlsx", choices=("xlsx", "ics", "csv-jira", "csv-asana"),
                     help="xlsx: the workbook (default); ics: one all-day event per action with a due date; "
                          "csv-jira / csv-asana: the plan for those importers")
    exp.add_argument("--crosshair", default="mean", choices=("mean", "median", "midpoint"), help="where the IPA quadrant lines sit")
    exp.set_defaults(func=_cmd_export)

    rep = sub.add_parser("report", help="write an audit's PDF report for the owner (IPA matrix, journeys, top actions, standards, competitors)")
    rep.add_argument("--db", default=None, help="database URL or SQLite file path")
    rep.add_argument("--audit", required=True, help="audit id")
    rep.add_argument("--out", required=True, help="output .pdf file")
    rep.add_argument("--crosshair", default="mean", choices=("mean", "median", "midpoint"), help="where the IPA quadrant lines sit")
    rep.set_defaults(func=_cmd_report)


def _add_bench_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """bench: speed against floors measured in the same run."""
    bench = sub.add_parser("bench", help="measure analysis and export speed against floors measured in the same run")
    bench.add_argument("--touchpoints", type=int, default=1000)
    bench.add_argument("--raters", type=int, default=100)
    bench.add_argument("--observations", type=int, default=10_000)
    bench.add_argument("--repeat", type=int, default=5, help="runs per measurement (the median is reported)")
    bench.add_argument("--concurrency", type=int, default=0, help="also measure N people saving ratings at once (0: skip)")
    bench.add_argument("--room", type=int, default=0, metavar="N",
                       help="instead: server CPU per saved answer and per board refresh with N simulated people against the real app, "
                            "each against a minimal Streamlit app (the floor)")
    bench.add_argument("--answers", type=int, default=20, help="with --room: answers each person saves (default 20)")
    bench.add_argument("--ratings-each", type=int, default=200, help="with --concurrency: ratings each writer saves")
    bench.add_argument("--no-database", action="store_true",
                       help="skip loading, the whole export and the writers from a database (PostgreSQL too when "
                            "AUDIT_BENCH_POSTGRES_URL is set)")
    bench.add_argument("--writer-runs", type=int, default=0, metavar="N",
                       help="with --concurrency: N runs of the SQLite writers' p99 (the target holds in every run)")
    bench.add_argument("--writers-only", action="store_true",
                       help="instead: only the writers, --concurrency N people (default 50) saving --ratings-each ratings at once: "
                            "on PostgreSQL against raw psycopg (needs AUDIT_BENCH_POSTGRES_URL) and, with --writer-runs N, "
                            "N runs on SQLite (no synthetic audit, analysis, loading or export)")
    bench.add_argument("--writer-rounds", type=int, default=None, metavar="N",
                       help="PostgreSQL writers: N rounds of bursts floor, app, app, floor (default: audit.bench.WRITER_ROUNDS, 3); "
                            "each side's p99 is that of all its saves")
    bench.add_argument("--scale", action="store_true",
                       help="also 10,000 touchpoints x 100 raters (1M ratings): analysis time and the export's peak memory (minutes)")
    bench.set_defaults(func=_cmd_bench)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m audit", description="Touchpoint Audit: catalogs, demo data, exports, benchmark.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_catalog_commands(sub)
    _add_database_commands(sub)
    _add_export_commands(sub)
    _add_bench_command(sub)

    from audit.cli_operations import add_commands

    add_commands(sub)  # ready, backup, restore, audit-export / -erase / -import, workspace

    from audit.cli_i18n import add_parsers as add_i18n_parsers

    add_i18n_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from sqlalchemy.exc import ArgumentError, OperationalError

    from audit.store import StoreError

    try:
        return int(args.func(args) or 0)
    except (ValidationError, StoreError, ValueError, KeyError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"error: {message}", file=sys.stderr)
        return 1
    except OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig is not None else "no answer"
        print(f"error: cannot use the database: {reason}", file=sys.stderr)
        return 1
    except (ArgumentError, ModuleNotFoundError) as err:
        print(f"error: not a database URL this tool supports (use a SQLite file path or postgresql+psycopg://...): {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `python -m audit demo | head -1`
        sys.stderr.close()
        return 0
    except OSError as err:  # a file that cannot be read or written: one line, no traceback
        where = f": {err.filename}" if err.filename else ""
        print(f"error: {err.strerror or err}{where}", file=sys.stderr)
        return 1
