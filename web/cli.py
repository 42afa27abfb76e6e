"""The `depesche` console script: the library commands of `search.cli` plus `serve`, which needs the web app.

(`serve` lives here so that `search/` never imports Flask.)
"""

from __future__ import annotations

import click

from search import api
from search.cli import cli, index_option
from search.errors import DepescheError
from search.indexer import index_sources


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(index_dir, host, port):
    """Serve the search page. Without an index, first build a demo index from the bundled sample releases.

    Example: depesche serve --port 8000
    """
    from . import create_app

    root = api.index_root(index_dir)
    if not api.has_index(root):
        click.echo(f"No index at {root}: building a demo index from the bundled sample releases ({api.SAMPLE_CORPUS}).")
        try:
            report = index_sources([api.SAMPLE_CORPUS], root)
        except DepescheError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Demo index ready: {report.indexed} releases.")
    app = create_app({"DEPESCHE_INDEX": str(root)})
    click.echo(f"Depesche: http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True)


main = cli
