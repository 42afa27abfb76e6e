"""Reaching the cluster: one configured opensearch-py client, and cluster errors turned into Depesche's errors.

A cluster that does not answer (refused connection, time-out, no node left) is `BackendUnavailable`, a
`DepescheError` with a message for the user: the CLI prints it, the web app shows "the search backend is down".
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from ..errors import BackendUnavailable

URL_ENV = "DEPESCHE_OPENSEARCH_URL"
ALIAS_ENV = "DEPESCHE_OPENSEARCH_INDEX"
DEFAULT_URL = "http://127.0.0.1:9200"
DEFAULT_ALIAS = "depesche"
TIMEOUT_SECONDS = 10
RETRIES = 3  # on another node when several are given, after a refused connection or a time-out


def cluster_url(explicit: str | None = None) -> str:
    """`--url URL`, else $DEPESCHE_OPENSEARCH_URL, else http://127.0.0.1:9200."""
    return explicit or os.environ.get(URL_ENV) or DEFAULT_URL


def alias_name(explicit: str | None = None) -> str:
    return explicit or os.environ.get(ALIAS_ENV) or DEFAULT_ALIAS


class Clients:
    """The process's clients, one per cluster URL (`CLIENTS`): opensearch-py's client keeps a connection pool per
    node and is safe to share between threads, so every searcher and writer of a URL uses the same one."""

    def __init__(self):
        self._clients: dict[str, OpenSearch] = {}
        self._lock = threading.Lock()

    def get(self, url: str | None = None) -> OpenSearch:
        """The client for `url` ("http://a:9200" or "http://a:9200,http://b:9201"), made on first use."""
        url = cluster_url(url)
        with self._lock:
            if url not in self._clients:
                self._clients[url] = _client(url)
            return self._clients[url]


def _client(url: str) -> OpenSearch:
    hosts = [part.strip() for part in url.split(",") if part.strip()]
    return OpenSearch(
        hosts=hosts,
        timeout=TIMEOUT_SECONDS,
        max_retries=RETRIES,
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
        http_compress=True,
    )


CLIENTS = Clients()
connect = CLIENTS.get


@contextmanager
def answers(url_hint: str = ""):
    """Turn 'the cluster is not there' into BackendUnavailable; other cluster errors pass through."""
    try:
        yield
    except (OSConnectionError, ConnectionTimeout) as error:
        raise BackendUnavailable(
            f"Die Suche ist gerade nicht erreichbar (OpenSearch{f' unter {url_hint}' if url_hint else ''} antwortet "
            f"nicht: {str(error)[:300]})."
        ) from None
    except TransportError as error:
        if isinstance(error.status_code, int) and error.status_code >= 500:
            raise BackendUnavailable(f"Die Suche ist gerade nicht erreichbar (OpenSearch: {error.error}).") from None
        raise
