"""Reaching the cluster: one configured opensearch-py client, and cluster errors turned into Depesche's errors.

A cluster that does not answer (refused connection, time-out, no node left) is `BackendUnavailable`, a
`DepescheError` with a message for the user: the CLI prints it, the web app shows "the search backend is down".
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache

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


@lru_cache(maxsize=8)
def connect(url: str | None = None) -> OpenSearch:
    """A client for the cluster at `url` ("http://a:9200" or "http://a:9200,http://b:9201"), shared per URL."""
    hosts = [part.strip() for part in cluster_url(url).split(",") if part.strip()]
    return OpenSearch(
        hosts=hosts,
        timeout=TIMEOUT_SECONDS,
        max_retries=RETRIES,
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
        http_compress=True,
    )


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
