"""The `depesche saved` and `depesche alerts` commands (registered in `search.cli`).

As everywhere in the CLI, each command parses its arguments, makes one library call (`search.saved`,
`search.alerts`) and prints the result, as JSON with `--json`; library errors become `click.ClickException`s.
`alerts send` exits with 0 when every alert went out, 3 when some failed (they go out with the next run), 1 on an
error (another run sending, no mail server configured ...).
"""

from __future__ import annotations

import json
import os
import sys

import click

from . import alerts as alerting
from . import api, saved
from .cli import EXIT_SKIPPED, engine_options, facet_options, search_params
from .cli import search as search_command
from .errors import DepescheError
from .mail import Mailer, SmtpSettings

db_option = click.option("--db", "db", type=click.Path(dir_okay=False), help=f"The saved searches' file (default: ${saved.DB_ENV}, else saved.sqlite3 in the index folder).")
user_option = click.option("--user", default="", help="Whose saved searches (the web's signed-in user; default: the shared list).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
base_url_option = click.option(
    "--base-url", envvar=alerting.BASE_URL_ENV, default=alerting.DEFAULT_BASE_URL, show_default=True,
    help=f"The web app's address, for the links in the messages (${alerting.BASE_URL_ENV}).",
)


def _store(db, index_dir) -> saved.Store:
    return saved.Store(db or saved.db_path(index_dir))


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group("saved")
def saved_group():
    """Saved searches: list, add, remove."""


@saved_group.command("list")
@engine_options
@db_option
@user_option
@json_option
def list_saved(index_dir, engine, url, db, user, as_json):
    """List the saved searches of a user.

    Example: depesche saved list --json
    """
    try:
        found = _store(db, index_dir).list(user)
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        return _echo_json([s.to_json() for s in found])
    links = alerting.Links(os.environ.get(alerting.BASE_URL_ENV) or alerting.DEFAULT_BASE_URL)
    for s in found:
        alert = "" if s.alert == "none" else f" [{s.alert} -> {s.email}]"
        click.echo(f"{s.id}\t{s.name}{alert}\t{links.search(s.params)}")


@saved_group.command("add")
@click.argument("name")
@click.argument("query", nargs=-1)
@engine_options
@facet_options
@click.option("--alert", type=click.Choice(saved.ALERTS), default="none", show_default=True, help="E-mail alerts.")
@click.option("--email", default="", help="Where alerts go.")
@db_option
@user_option
@json_option
def add_saved(name, query, index_dir, engine, url, date_from, date_to, sort, alert, email, db, user, as_json, **facets):
    """Save a search under NAME (what is in the index now is not new to it).

    Example: depesche saved add "Baku" Baku --actor "Zakir Hasanov" --alert immediate --email presse@example.org
    """
    try:
        params = search_params(query, facets, date_from=date_from, date_to=date_to, sort=sort)
        arrived = api.open_engine(index_dir, engine, url).last_arrival()
        added = _store(db, index_dir).add(user, name, params, alert=alert, email=email, arrived=arrived)
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        return _echo_json(added.to_json())
    click.echo(f"saved {added.id}: {added.name}")


# the dates and order of a saved search: the very options of `depesche search`
add_saved.params += [param for param in search_command.params if param.name in ("date_from", "date_to", "sort")]


@saved_group.command("remove")
@click.argument("saved_id", type=int)
@engine_options
@db_option
@user_option
@json_option
def remove_saved(saved_id, index_dir, engine, url, db, user, as_json):
    """Delete a saved search (by the id `saved list` shows).

    Example: depesche saved remove 3
    """
    try:
        gone = _store(db, index_dir).remove(user, saved_id)
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        return _echo_json(gone.to_json())
    click.echo(f"removed {gone.id}: {gone.name}")


@click.group("alerts")
def alerts_group():
    """E-mail alerts of saved searches: send, preview."""


@alerts_group.command("send")
@engine_options
@db_option
@base_url_option
@click.option("--dry-run", is_flag=True, help="Only tell what would be sent; send and mark nothing.")
def send_alerts(index_dir, engine, url, db, base_url, dry_run):
    """Send the due alerts: one message per user with the releases new to each saved search. Prints JSON.

    Run it by cron, or after `depesche index`; the SMTP settings come from the environment (see search/mail.py).

    Example: depesche index archive/ --update && depesche alerts send
    """
    try:
        search_engine = api.open_engine(index_dir, engine, url)
        store = _store(db, index_dir)
        if dry_run:
            report = alerting.send(search_engine, store, None, alerting.Links(base_url), dry_run=True)
        else:
            with Mailer(SmtpSettings.from_environment()) as mailer:
                report = alerting.send(search_engine, store, mailer, alerting.Links(base_url))
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    _echo_json(report)
    if report.get("failed"):
        sys.exit(EXIT_SKIPPED)


@alerts_group.command("preview")
@engine_options
@db_option
@base_url_option
@click.option("--html", "as_html", is_flag=True, help="Print the HTML parts instead of the plain text.")
@json_option
def preview_alerts(index_dir, engine, url, db, base_url, as_html, as_json):
    """Print the messages a run would send now (nothing is sent or marked).

    Example: depesche alerts preview --html > preview.html
    """
    sender = os.environ.get("DEPESCHE_SMTP_FROM") or "depesche@localhost"
    try:
        messages = alerting.preview(api.open_engine(index_dir, engine, url), _store(db, index_dir), alerting.Links(base_url), sender)
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    parts = [m.get_body(("html",) if as_html else ("plain",)).get_content() for m in messages]
    if as_json:
        return _echo_json([{"to": m["To"], "subject": m["Subject"], "body": part} for m, part in zip(messages, parts)])
    for message, part in zip(messages, parts):
        click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{part}")
