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
from functools import partial
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
    from ecograph.store.embedded import open_persisted
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
    store = open_persisted(settings.store_path) if settings.store_path else build_store(settings)
    result = run_named(store, query, values)
    print(_format_rows(result.variables, result.as_text_rows(), args.format))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ecograph.build.pipeline import build_store
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
    run(settings, project_store=partial(build_store, settings))
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    import asyncio

    import httpx

    from ecograph.store.upload import graph_store_of, load

    settings = _settings(args)
    dist = (args.dist or settings.dist_dir).resolve()
    auth = None
    if settings.graph_store_user:
        password = settings.graph_store_password
        secret = password.get_secret_value() if password is not None else ""
        auth = httpx.DigestAuth(settings.graph_store_user, secret)
    store = args.graph_store or graph_store_of(args.into)
    done = asyncio.run(load(dist, into=args.into, graph_store=store, auth=auth, progress=print))
    print(
        f"loaded {done.graphs} graphs, {done.triples} triples into {store} "
        f"in {done.seconds:.1f} s; the counts at {args.into} match"
    )
    return EXIT_OK


def cmd_anchor(args: argparse.Namespace) -> int:
    from ecograph.build.anchor import anchor_files
    from ecograph.build.checks import Report

    settings = _settings(args)
    paths = args.paths or sorted((settings.root / "data" / "articles").glob("*.ttl"))
    done = anchor_files(settings, paths)
    for file, count in sorted(done.anchored.items()):
        print(f"{file}: anchored {count} quotes")
    if done.problems:
        report = Report(problems=done.problems, checked_files=[str(p) for p in paths])
        print(report.render(), file=sys.stderr)
        return EXIT_INVALID
    if not done.anchored:
        print("every quote already has its selectors")
    return EXIT_OK


def cmd_mentions(args: argparse.Namespace) -> int:
    from ecograph.curate.commands import mentions

    found = mentions(_settings(args), args.source)
    print(found.as_json() if args.format == "json" else found.as_table())
    return EXIT_OK


def cmd_add_source(args: argparse.Namespace) -> int:
    from ecograph.curate.commands import add_source
    from ecograph.curate.sources import SourceFacts

    settings = _settings(args)
    facts = SourceFacts(args.title, args.publisher, args.date, args.lang, args.url)
    added = add_source(settings, args.file, facts, slug=args.slug, number=args.number)
    for path in added.written:
        print(f"wrote {path.relative_to(settings.root)}")
    print()
    print(added.found.as_table())
    print(
        f"\nnext: edit {added.source.article_path}, then "
        f"ecograph validate {added.source.article_path}"
    )
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

    anchor = sub.add_parser(
        "anchor",
        help="write the Web Annotation selectors of quotes that have none, into the files",
    )
    anchor.add_argument(
        "paths", nargs="*", type=Path, help="Turtle files (default: data/articles/*.ttl)"
    )
    anchor.set_defaults(func=cmd_anchor)

    mentions = sub.add_parser(
        "mentions", help="the graph's entities a text names, and the names it does not hold"
    )
    mentions.add_argument(
        "source", help="a text file, or a source of the graph (source:NNN-…, its identifier)"
    )
    mentions.add_argument("--format", choices=("table", "json"), default="table")
    mentions.set_defaults(func=cmd_mentions)

    add = sub.add_parser(
        "add-source", help="copy a text into data/sources/, describe it, start its article"
    )
    add.add_argument("file", type=Path, help="the article's text (UTF-8)")
    add.add_argument("--title", required=True, help="the article's title, verbatim")
    add.add_argument("--publisher", help="who published it, as the article names it")
    add.add_argument("--date", help="as the article gives it: YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD")
    add.add_argument("--url", help="where the article was published (http or https)")
    add.add_argument("--lang", default="it", help="the text's language code (default: it)")
    add.add_argument("--slug", help="words for the article file's name (default: the title's)")
    add.add_argument("--number", help="the NNN to use (default: the next free one)")
    add.set_defaults(func=cmd_add_source)

    serve = sub.add_parser("serve", help="serve SPARQL, JSON-LD and pages over HTTP")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--endpoint", help="use this remote SPARQL 1.1 endpoint")
    serve.add_argument("--store", type=Path, help="open this persisted Oxigraph store")
    serve.add_argument("--data", type=Path, nargs="+", help="serve these RDF files instead")
    serve.add_argument("--timeout", type=float, help="query time limit in seconds")
    serve.set_defaults(func=cmd_serve)

    load = sub.add_parser(
        "load", help="load dist/ into a SPARQL store (Graph Store Protocol), one graph per origin"
    )
    load.add_argument("dist", nargs="?", type=Path, help="build output (default: dist/)")
    load.add_argument("--into", required=True, help="the store's SPARQL query endpoint")
    load.add_argument(
        "--graph-store",
        help="its Graph Store Protocol URL (default: guessed for Oxigraph and Virtuoso)",
    )
    load.set_defaults(func=cmd_load)
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
