"""The ``ecograph`` command: validate, build, query and serve the graph.

Exit codes: 0 success, 1 the graph is not valid (or a query failed), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from ecograph.errors import EcographError, InputError, QueryError, ValidationFailed
from ecograph.settings import Settings

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2


def _settings(args: argparse.Namespace, **extra: object) -> Settings:
    values: dict[str, object] = {k: v for k, v in extra.items() if v is not None}
    if getattr(args, "root", None) is not None:
        values["root"] = args.root.resolve()
    return Settings(**values)  # type: ignore[arg-type]


def cmd_validate(args: argparse.Namespace) -> int:
    from ecograph.build.pipeline import build

    result = build(_settings(args), args.paths or None)
    print(result.report.render())
    return EXIT_OK if result.report.conforms else EXIT_INVALID


@contextmanager
def _workspace(dist_dir: Path, wanted: bool) -> Iterator[Path | None]:
    """An empty folder beside ``dist/`` for an on-disk build store, removed afterwards."""
    if not wanted:
        yield None
        return
    dist_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
    folder = Path(
        tempfile.mkdtemp(prefix=f".{dist_dir.name}.build-", dir=dist_dir.resolve().parent)
    )
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cmd_build(args: argparse.Namespace) -> int:
    from ecograph.build.pipeline import build
    from ecograph.build.publish import publish

    settings = _settings(args, out_dir=args.out)
    with _workspace(settings.dist_dir, args.on_disk) as on_disk:
        result = build(settings, on_disk=on_disk)
        if not result.report.conforms:
            print(result.report.render(), file=sys.stderr)
            print(
                f"nothing written to {settings.dist_dir}: the graph is not valid", file=sys.stderr
            )
            return EXIT_INVALID
        written = publish(result, settings.dist_dir, with_store=args.store)
    warnings = len(result.report.warnings)
    print(f"built {settings.dist_dir}: {len(written)} files, {warnings} warnings")
    for path in written:
        if "store" not in path.relative_to(settings.dist_dir).parts:
            print(f"  {path.relative_to(settings.dist_dir)}")
    return EXIT_OK


def _format_rows(variables: Sequence[str], rows: Sequence[dict[str, str]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(variables), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    widths = {v: max([len(v), *(len(r.get(v, "")) for r in rows)]) for v in variables}
    lines = [" | ".join(v.ljust(widths[v]) for v in variables)]
    lines.append("-+-".join("-" * widths[v] for v in variables))
    lines += [" | ".join(r.get(v, "").ljust(widths[v]) for v in variables) for r in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    from ecograph.build.pipeline import build_store
    from ecograph.rdf.catalogue import Catalogue
    from ecograph.store.running import run_named

    settings = _settings(args)
    catalogue = Catalogue.load(settings.queries_dir)
    if args.name is None:
        for query in catalogue:
            params = ", ".join(f"{p.name}:{p.type}" for p in query.params)
            print(f"{query.name:40} {query.title}" + (f"  [{params}]" if params else ""))
        return EXIT_OK
    query = catalogue.get(args.name)
    values = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param takes key=value, got {item!r}")
        values[key] = value
    result = run_named(build_store(settings), query, values)
    print(_format_rows(result.variables, result.as_text_rows(), args.format))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ecograph.serve.server import run

    settings = _settings(
        args,
        host=args.host,
        port=args.port,
        endpoint=args.endpoint,
        store_path=args.store,
        data_files=tuple(p.resolve() for p in args.data) if args.data else None,
        query_timeout=args.timeout,
    )
    run(settings)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="ecograph", description=__doc__.splitlines()[0] if __doc__ else None
    )
    top.add_argument(
        "--root", type=Path, help="project folder (default: found from the working directory)"
    )
    sub = top.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check syntax, shapes, terms, references and quotes")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: data/)")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="reason, derive, validate and write dist/")
    build.add_argument("--out", type=Path, help="output folder (default: dist/)")
    build.add_argument("--store", action="store_true", help="also write a persisted Oxigraph store")
    build.add_argument(
        "--on-disk",
        action="store_true",
        help="build in an on-disk store (graphs larger than memory; slower)",
    )
    build.set_defaults(func=cmd_build)

    query = sub.add_parser("query", help="run a named query (no name: list the catalogue)")
    query.add_argument("name", nargs="?")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(func=cmd_query)

    serve = sub.add_parser("serve", help="serve SPARQL, JSON-LD and pages over HTTP")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--endpoint", help="use this remote SPARQL 1.1 endpoint")
    serve.add_argument("--store", type=Path, help="open this persisted Oxigraph store")
    serve.add_argument("--data", type=Path, nargs="+", help="serve these RDF files instead")
    serve.add_argument("--timeout", type=float, help="query time limit in seconds")
    serve.set_defaults(func=cmd_serve)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValidationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except ValidationError as exc:
        print(f"error: bad setting: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except EcographError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader went away (``ecograph validate | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INVALID
    return code


if __name__ == "__main__":
    sys.exit(main())
