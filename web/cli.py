"""The `depesche` console script: the library commands of `search.cli` plus `serve`, which needs the web app.

(`serve` lives here so that `search/` never imports Flask.)
"""

from __future__ import annotations

import click

from search import api
from search.cli import cli, engine_options
from search.cliparams import Number
from search.errors import DepescheError
from search.indexer import index_sources

from . import server


@cli.command()
@engine_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=Number(1, 65535))
@click.option("--workers", type=Number(1, 256), help="Server processes (default: one per core).")
@click.option("--threads", type=Number(1, 256), default=server.DEFAULT_THREADS, show_default=True, help="Threads per process.")
@click.option("--dev", is_flag=True, help="Werkzeug's reloading development server instead of gunicorn (one developer only).")
def serve(index_dir, engine, url, host, port, workers, threads, dev):
    """Serve the search page with gunicorn (waitress on Windows). Without an index, first build a demo index from
    the bundled sample releases.

    Example: depesche serve --port 8000 --workers 2 --threads 4
    """
    from . import create_app

    root = api.index_root(index_dir)
    try:
        if not api.has_index(root, engine, url):
            click.echo(f"No index yet: building a demo index from the bundled sample releases ({api.SAMPLE_CORPUS}).")
            report = index_sources([api.SAMPLE_CORPUS], root, engine=engine, url=url)
            click.echo(f"Demo index ready: {report.indexed} releases.")
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    config = {"DEPESCHE_INDEX": str(root), "DEPESCHE_ENGINE": engine, "DEPESCHE_OPENSEARCH_URL": url}
    try:
        app = create_app(config)  # here, so a half-configured access control stops the command, not each worker
    except ValueError as error:  # a half-configured access control or a bad base URL: refuse to serve
        raise click.ClickException(str(error)) from None
    if host not in ("127.0.0.1", "localhost", "::1") and not app.extensions["depesche_access"].enabled:
        click.echo(f"Warning: serving on {host} without access control; see 'Operating Depesche' in the README.", err=True)
    click.echo(f"Depesche: http://{server.bind_address(host, port)}/")
    if dev:
        server.development(app, host, port)
    else:
        server.production(config, host, port, workers or server.default_workers(), threads)


@cli.command("hash-password")
def hash_password():
    """Ask for a staff password (twice, hidden) and print its hash for DEPESCHE_AUTH_PASSWORD_HASH.

    The prompts go to stderr, so the hash alone can be captured. (See web/access.py for HTTP basic auth.)

    Example: export DEPESCHE_AUTH_PASSWORD_HASH="$(depesche hash-password)"
    """
    from werkzeug.security import generate_password_hash

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    if len(password) < 8:
        raise click.ClickException("the password is too short: at least 8 characters")
    click.echo(generate_password_hash(password))


main = cli
