"""Alerts: per saved search, the releases new since its last alert, in one e-mail per recipient.

Vocabulary:
- due: an alerting saved search (`search.saved`) is due on every run (`immediate`), or on the first run of each
  UTC day (`daily`, the digest).
- new: arrived in the index (`search.arrival`) after the saved search's `alerted_until` and no later than
  `until`, the index's latest arrival read once at the start of the run: what a reindex finishing during the run
  adds is the next run's, and a release a reindex removed before the run is not found at all.
- Section: one saved search's new matches (the first `MAX_LISTED`, and how many in all). Alert: one message, to
  one owner's address, with the sections of every due saved search that has news (the digest groups them).
- Links: the web app's addresses in a message (`$DEPESCHE_BASE_URL`): the search, each release, the list of
  saved searches, and the unsubscribe page.

`send` takes the run lock (`Store.run_lock`: two runs never send at once), sends each alert, and marks its saved
searches alerted only after the server accepted it: a failed message is sent again by the next run, and nothing
is sent twice. Due saved searches without news are marked too (nothing to send up to `until`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import quote, urlencode

from .errors import DepescheError
from .mail import MailError
from .model import Hit, SearchParams
from .saved import SavedSearch, Store, query_pairs

BASE_URL_ENV = "DEPESCHE_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
MAX_LISTED = 20  # releases listed per saved search in one message; the link shows the rest
MARK = re.compile(r"</?mark>")


@dataclass(frozen=True)
class Section:
    saved: SavedSearch
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Alert:
    owner: str
    email: str
    sections: tuple[Section, ...]

    @property
    def releases(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def subject(self) -> str:
        names = ", ".join(f"„{section.saved.name}“" for section in self.sections)
        count = f"{self.releases} neue Meldung" + ("en" if self.releases != 1 else "")
        digest = "Tagesübersicht: " if all(s.saved.alert == "daily" for s in self.sections) else ""
        return f"Depesche – {digest}{count} zu {names}"


@dataclass(frozen=True)
class Plan:
    until: int  # the index's latest arrival when the run began
    alerts: tuple[Alert, ...]
    quiet: tuple[SavedSearch, ...]  # due, nothing new
    problems: tuple[dict, ...] = ()  # saved searches the engine could not answer (kept for the next run)


@dataclass(frozen=True)
class Links:
    base: str = DEFAULT_BASE_URL

    def search(self, params: SearchParams) -> str:
        pairs = query_pairs(params)
        return f"{self.base.rstrip('/')}/" + (f"?{urlencode(pairs)}" if pairs else "")

    def document(self, doc_id: str, params: SearchParams) -> str:
        url = f"{self.base.rstrip('/')}/doc/{quote(doc_id, safe='/')}"
        return f"{url}?{urlencode([('q', params.query)])}" if params.query else url

    def saved(self) -> str:
        return f"{self.base.rstrip('/')}/saved"

    def unsubscribe(self, searches) -> str:
        return f"{self.saved()}/unsubscribe?{urlencode([('t', s.token) for s in searches])}"


# -- what is new ---------------------------------------------------------------------------------------------


def is_due(saved: SavedSearch, today: date) -> bool:
    if saved.alert == "immediate":
        return True
    if saved.alert == "daily":
        return not saved.last_alert or date.fromisoformat(saved.last_alert[:10]) < today
    return False


def new_matches(engine, params: SearchParams, after: int, until: int, limit: int = MAX_LISTED):
    """The Results of `params` among the releases that arrived in (after, until]. Only releases with every word:
    where the search page relaxes a query that too few releases match in full (`search.querytree`), an alert does
    not (a group in brackets is never relaxed)."""
    narrowed = replace(params, arrived=(after, until), page=1, per_page=limit, facet_limit=1)
    found = engine.search(narrowed)
    if found.relaxed is not None:
        found = engine.search(replace(narrowed, query=f"({params.query})"))
    return found


def gather(engine, store: Store, today: date) -> Plan:
    """What a run sends: the due saved searches' new matches, grouped into one alert per owner and address."""
    until = engine.last_arrival()
    grouped: dict[tuple[str, str], list[Section]] = {}
    quiet, problems = [], []
    for saved in store.alerting():
        if not is_due(saved, today):
            continue
        try:
            found = new_matches(engine, saved.params, saved.alerted_until, until)
        except DepescheError as error:  # e.g. a saved query the engine no longer takes: the others still go out
            problems.append({"id": saved.id, "name": saved.name, "error": str(error)})
            continue
        if found.total:
            grouped.setdefault((saved.owner, saved.email), []).append(Section(saved, found.total, found.hits))
        else:
            quiet.append(saved)
    alerts = tuple(Alert(owner, email, tuple(sections)) for (owner, email), sections in grouped.items())
    return Plan(until, alerts, tuple(quiet), tuple(problems))


# -- the message ---------------------------------------------------------------------------------------------


def german_date(hit: Hit) -> str:
    if hit.date:
        day = date.fromisoformat(hit.date)
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return str(hit.year) if hit.year else "ohne Datum"


def _plain_section(section: Section, links: Links) -> list[str]:
    saved = section.saved
    lines = [f"== {saved.name} ({section.total} neu) ==", f"Suche öffnen: {links.search(saved.params)}", ""]
    for hit in section.hits:
        facts = " · ".join([german_date(hit), *([", ".join(hit.actors)] if hit.actors else [])])
        snippet = html.unescape(MARK.sub("*", hit.snippet))
        lines += [f"* {hit.title}", f"  {facts}", *([f"  {snippet}"] if snippet else []),
                  f"  {links.document(hit.id, saved.params)}", ""]
    if section.total > len(section.hits):
        lines += [f"… und {section.total - len(section.hits)} weitere: {links.search(saved.params)}", ""]
    return lines + [f"Benachrichtigung für „{saved.name}“ abbestellen: {links.unsubscribe([saved])}", ""]


def plain_text(alert: Alert, links: Links) -> str:
    lines = ["Neue Meldungen zu Ihren gespeicherten Suchen in Depesche.", ""]
    for section in alert.sections:
        lines += _plain_section(section, links)
    lines += ["-- ", f"Gespeicherte Suchen verwalten: {links.saved()}",
              f"Alle Benachrichtigungen dieser Nachricht abbestellen: {links.unsubscribe(s.saved for s in alert.sections)}"]
    return "\n".join(lines) + "\n"


def _html_hit(hit: Hit, params: SearchParams, links: Links) -> str:
    actors = f" · {html.escape(', '.join(hit.actors))}" if hit.actors else ""
    return (
        f'<li><p><a href="{html.escape(links.document(hit.id, params))}"><strong>{html.escape(hit.title)}</strong></a><br>'
        f"<small>{html.escape(german_date(hit))}{actors}</small></p>"
        f"<p>{hit.snippet}</p></li>"  # the snippet is HTML already: escaped text, matches in <mark>
    )


def _html_section(section: Section, links: Links) -> str:
    saved, e = section.saved, html.escape
    more = section.total - len(section.hits)
    rest = f'<p><a href="{e(links.search(saved.params))}">… und {more} weitere</a></p>' if more > 0 else ""
    return (
        f'<h2><a href="{e(links.search(saved.params))}">{e(saved.name)}</a> ({section.total} neu)</h2>'
        f"<ul>{''.join(_html_hit(hit, saved.params, links) for hit in section.hits)}</ul>{rest}"
        f'<p><small><a href="{e(links.unsubscribe([saved]))}">Benachrichtigung für „{e(saved.name)}“ abbestellen</a></small></p>'
    )


def html_text(alert: Alert, links: Links) -> str:
    e = html.escape
    everything = links.unsubscribe(s.saved for s in alert.sections)
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{e(alert.subject)}</title></head><body>'
        "<p>Neue Meldungen zu Ihren gespeicherten Suchen in Depesche.</p>"
        + "".join(_html_section(section, links) for section in alert.sections)
        + f'<hr><p><small><a href="{e(links.saved())}">Gespeicherte Suchen verwalten</a> · '
        f'<a href="{e(everything)}">Alle Benachrichtigungen dieser Nachricht abbestellen</a></small></p></body></html>'
    )


def compose(alert: Alert, links: Links, sender: str) -> EmailMessage:
    """The alert as a message: plain text and HTML parts, and the one-click unsubscribe headers (RFC 8058)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = alert.email
    message["Subject"] = alert.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid("depesche", domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{links.unsubscribe(s.saved for s in alert.sections)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(plain_text(alert, links))
    message.add_alternative(html_text(alert, links), subtype="html")
    return message


# -- a run ---------------------------------------------------------------------------------------------------


def summary(alert: Alert) -> dict:
    return {"user": alert.owner, "to": alert.email, "subject": alert.subject,
            "searches": [s.saved.name for s in alert.sections], "releases": alert.releases}


def preview(engine, store: Store, links: Links, sender: str, now: datetime | None = None) -> list[EmailMessage]:
    """The messages a run would send now; nothing is sent or marked."""
    return [compose(alert, links, sender) for alert in gather(engine, store, _today(now)).alerts]


def _today(now: datetime | None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).date()


def send(engine, store: Store, mailer, links: Links, *, dry_run: bool = False, now: datetime | None = None) -> dict:
    """One run (see the module docstring) at `now` (default: the clock): {"sent": [...], "failed": [...],
    "quiet": n, "problems": [...]}; with `dry_run` what would be sent, under "would_send", and nothing marked."""
    now = now or datetime.now(timezone.utc)
    if dry_run:
        plan = gather(engine, store, _today(now))
        return {"would_send": [summary(a) for a in plan.alerts], "quiet": len(plan.quiet), "problems": list(plan.problems)}
    with store.run_lock():
        plan = gather(engine, store, _today(now))
        sent, failed = [], []
        for alert in plan.alerts:
            try:
                mailer.send(compose(alert, links, mailer.settings.sender))
            except MailError as error:  # not marked: the next run sends it again
                failed.append({**summary(alert), "error": str(error)})
                continue
            store.mark_alerted([section.saved for section in alert.sections], plan.until, sent_at=now)
            sent.append(summary(alert))
        store.mark_alerted(list(plan.quiet), plan.until)
    return {"sent": sent, "failed": failed, "quiet": len(plan.quiet), "problems": list(plan.problems)}
