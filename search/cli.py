"""The `depesche` command line: index, search, stats, extract. (`serve` is added by `web.cli`.)

Each command parses its arguments, makes one library call and prints the result; library errors become
`click.ClickException`s, so a user sees a message, never a traceback.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import click
from tqdm import tqdm

from . import api
from .documents import Skipped, find_files, read_sources
from .errors import DepescheError
from .fields import FACET_REGISTRY
from .indexer import index_sources
from .model import FACETS, SORTS, SearchParams
from .cliparams import Day, Number
from .params import validate

EXIT_SKIPPED = 3
index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), help="Index folder (default: $DEPESCHE_INDEX or ./index)."
)
engine_option = click.option(
    "--engine", type=click.Choice(api.ENGINES), envvar=api.ENGINE_ENV, default="whoosh", show_default=True,
    help="Search engine: the embedded Whoosh index, or an OpenSearch cluster.",
)
url_option = click.option(
    "--url", envvar="DEPESCHE_OPENSEARCH_URL", help="OpenSearch cluster URL(s), comma-separated (with --engine opensearch)."
)


def facet_options(command):
    """A repeatable filter option per facet of the field registry (`--actor`, `--topic` ...)."""
    for field in reversed(FACET_REGISTRY):
        command = click.option(field.cli_flag, field.name, multiple=True, help=field.cli_help)(command)
    return command


def engine_options(command):
    """--index, --engine and --url: where the index is."""
    return index_option(engine_option(url_option(command)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Depesche: search German diplomatic press releases."""


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@engine_options
@click.option("--update", is_flag=True, help="Only add new and changed releases and remove deleted ones.")
@click.option("--year", "context_year", type=click.IntRange(1900, 2100), help="Year of releases whose text gives none.")
@click.option("--follow-symlinks", is_flag=True, help="Also read symbolic links that leave the source folders.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def index(sources, index_dir, engine, url, update, context_year, follow_symlinks, as_json):
    """Index the press releases under SOURCE... (folders of .txt, .jsonl files).

    Example: depesche index archive/2024 --year 2024

    Exit status: 0 all indexed, 3 indexed but some files skipped (listed), 1 nothing changed (error).
    """
    root = api.index_root(index_dir)
    paths = [Path(s) for s in sources]
    on_terminal = sys.stderr.isatty()
    # a second walk only for the progress bar
    total = sum(1 for _ in find_files(paths, follow_symlinks)) if on_terminal else None
    show = lambda items: tqdm(items, total=total, unit="file", disable=not on_terminal)  # noqa: E731
    try:
        report = index_sources(
            paths, root, update=update, context_year=context_year, progress=show, engine=engine, url=url,
            follow_symlinks=follow_symlinks,
        )
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps({**report.summary(), "extraction": report.extraction}, ensure_ascii=False, indent=2))
    else:
        _print_index_report(report, root if engine == "whoosh" else f"{engine} {url or ''}".strip())
    if not report.ok:
        sys.exit(EXIT_SKIPPED)


def _print_index_report(report, root: Path) -> None:
    click.echo(
        f"{root}: {report.indexed} indexed, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed, {len(report.skipped)} skipped in {report.seconds:.1f} s"
    )
    for skipped in report.skipped:
        click.echo(_one_line(f"  skipped {skipped.source}: {skipped.reason}"))
    for note in report.notes:
        click.echo(_one_line(f"  note {note.source}: {note.message}"))
    if report.control_characters_removed:
        click.echo(f"  control characters removed: {report.control_characters_removed}")
    for line in _extraction_lines({**report.extraction, "duplicate_groups": [" = ".join(ids) for ids in report.duplicates.values()]}):
        click.echo(line)


def _one_line(name: str) -> str:
    """One line of the report: control characters (a newline in a file name or a link target) as escapes."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda match: f"\\x{ord(match.group()):02x}", name)


def _extraction_lines(extraction: dict) -> list[str]:
    lines = []
    for key, value in extraction.items():
        if isinstance(value, list):
            shown = ", ".join(map(str, value[:8])) + (" …" if len(value) > 8 else "")
            lines.append(f"  {key}: {len(value)}{f' ({shown})' if value else ''}")
        else:
            lines.append(f"  {key}: {value}")
    return lines


def search_params(query: tuple[str, ...], facets: dict, **options) -> SearchParams:
    """The search the command line's words, facet flags and `options` (dates, order, paging) ask for, validated as
    the web's (a `BadQuery` for what it refuses); shared by `search` and `saved add`."""
    filters = {name: tuple(values) for name, values in facets.items() if name in FACETS and values}
    return validate(SearchParams(query=" ".join(query), filters=filters, **options))


@cli.command()
@click.argument("query", nargs=-1)
@engine_options
@facet_options
@click.option("--from", "date_from", type=Day(), help="Earliest date, YYYY-MM-DD.")
@click.option("--to", "date_to", type=Day(), help="Latest date, YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=Number(1, 1000), default=1, show_default=True)
@click.option("--per-page", type=Number(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def search(query, index_dir, engine, url, date_from, date_to, sort, page, per_page, as_json, **facets):
    """Search the index. Whoosh syntax works: AND, OR, NOT, "phrases", field:value.

    Example: depesche search Stoltenberg --year 2024 --json
    """
    try:
        params = search_params(query, facets, date_from=date_from, date_to=date_to, sort=sort, page=page, per_page=per_page)
        results = api.search(params, index_dir, engine, url)
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_results(results)


def _terminal(snippet_html: str) -> str:
    """A snippet for the terminal: matches in bold, entities decoded."""
    parts = re.split(r"<mark>(.*?)</mark>", " ".join(snippet_html.split()))  # one line: paragraphs joined
    return "".join(click.style(html.unescape(p), bold=True) if i % 2 else html.unescape(p) for i, p in enumerate(parts))


def _print_results(results) -> None:
    if results.note:
        click.echo(results.note)
    first = (results.page - 1) * results.per_page
    click.echo(f"{results.total} Treffer" + (f" (Meinten Sie: {results.suggestion}?)" if results.suggestion else ""))
    for number, hit in enumerate(results.hits, start=first + 1):
        click.echo(f"\n{number}. {click.style(hit.title, bold=True)}  [{hit.date or hit.year or 'ohne Jahr'}]  {hit.id}")
        if hit.actors:
            click.echo(f"   {', '.join(hit.actors[:5])}")
        click.echo(f"   {_terminal(hit.snippet)}")


@cli.command()
@engine_options
@click.option("--json", "as_json", is_flag=True)
def stats(index_dir, engine, url, as_json):
    """Document count, build time and the number of values per facet field."""
    try:
        facts = api.open_engine(index_dir, engine, url).stats()
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    click.echo(f"{facts['documents']} documents, built {facts['built']} in {facts['build_seconds']} s ({facts['generation']})")
    for field, count in facts["fields"].items():
        click.echo(f"  {field}: {count} values")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--year", "context_year", type=click.IntRange(1900, 2100), help="Year of releases whose text gives none.")
@click.option("--json", "as_json", is_flag=True)
def extract(files, context_year, as_json):
    """Show the metadata Depesche reads out of releases: date, actors, speakers, topics, places.

    Example: depesche extract release.txt --json
    """
    from .extract import Extractor, metadata_to_json

    try:
        extractor = Extractor()
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    results, skipped = [], []
    for file, item in read_sources([Path(f) for f in files]):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        metadata = extractor.extract(item, context_year=context_year or file.context_year)
        results.append(metadata_to_json(item, metadata))
    for item in skipped:
        click.echo(f"skipped {item.source}: {item.reason}", err=True)
    if as_json:
        click.echo(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            _print_extraction(result)
    if skipped:
        sys.exit(EXIT_SKIPPED)


def _print_extraction(result: dict) -> None:
    click.echo(click.style(result["title"], bold=True))
    known = [str(result[k]) for k in ("day", "month", "year") if result.get(k)]
    date = result["date"] or (".".join(known) if known else "ohne Datum") + ("" if result.get("year") else " (ohne Jahr)")
    click.echo(f"  Datum: {date} [{result['date_precision']}, {result['date_source']}]")
    for actor in result["actors"]:
        click.echo(f"  Akteur: {actor['name']} ({', '.join(actor['roles'])}) als {', '.join(actor['mentions'])}")
    click.echo(f"  Sprecher: {', '.join(result['speakers'])}")
    for topic in result["topics"]:
        click.echo(f"  Thema: {topic['name']} ({', '.join(topic['terms'])})")
    click.echo(f"  Länder: {', '.join(result['countries'])}")
    click.echo(f"  Organisationen: {', '.join(result['organisations'])}")


from .saved_cli import alerts_group, saved_group  # noqa: E402 - they use this module's options
cli.add_command(saved_group)  # depesche saved list|add|remove
cli.add_command(alerts_group)  # depesche alerts send|preview

main = cli
from . import actor_cli  # noqa: E402,F401  (registers `depesche actor`)
