"""`depesche actor NAME`: a person's page on the command line (`search.actor_profile`), as text or JSON."""

from __future__ import annotations

import json

import click

from . import api
from .actor_profile import ActorNotFound, ActorProfile, profile
from .cli import cli, engine_options
from .errors import DepescheError


@cli.command()
@click.argument("name", nargs=-1, required=True)
@engine_options
@click.option("--json", "as_json", is_flag=True, help="Print the person's page as JSON (as /api/akteur/NAME).")
def actor(name, index_dir, engine, url, as_json):
    """A person's roles with their periods, the people named with them, their countries, topics, organisations
    and latest releases.

    Example: depesche actor Jens Stoltenberg --json
    """
    wanted = " ".join(name)
    try:
        person = profile(api.open_engine(index_dir, engine, url), wanted)
    except ActorNotFound as missing:
        hint = f" Meinten Sie: {', '.join(missing.suggestions)}?" if missing.suggestions else ""
        raise click.ClickException(f"{missing}{hint}") from None
    except DepescheError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(person.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in profile_lines(person):
            click.echo(line)


def profile_lines(person: ActorProfile) -> list[str]:
    data = person.to_json()
    counted = lambda items, key="value": ", ".join(f"{item[key]} ({item['releases']})" for item in items)  # noqa: E731
    lines = [click.style(data["name"], bold=True) + f": {data['releases']} Meldungen, {data['undated']} ohne Jahr"]
    if len(data["spellings"]) > 1:
        lines.append(f"  auch geschrieben: {', '.join(data['spellings'][1:])}")
    for role in data["roles"]:
        period = f"{role['first']} bis {role['last']}" if role["first"] else "ohne datierte Meldung"
        lines.append(f"  Rolle: {role['role']} ({role['releases']}), {period}")
    lines.append(f"  Zeitleiste: {counted(data['timeline'], 'period')}")
    lines.append(f"  zusammen genannt mit: {counted(data['co_actors'], 'name')}")
    for key, title in (("countries", "Länder"), ("topics", "Themen"), ("organisations", "Organisationen")):
        lines.append(f"  {title}: {counted(data[key])}")
    for hit in data["latest"]:
        lines.append(f"  {hit['date'] or hit['year'] or 'ohne Jahr'}  {hit['title']}  [{hit['id']}]")
    return lines
