"""The few named errors of Depesche. The CLI turns them into messages, the web app into 4xx/503 pages."""


class DepescheError(Exception):
    """Base class: a problem with a clear message for the user, never a traceback."""


class IndexMissing(DepescheError):
    """There is no index at the given location yet."""


class IndexBusy(DepescheError):
    """Another `depesche index` run holds the writer lock."""


class BadQuery(DepescheError):
    """A search request that cannot be answered (bad date, page out of range ...)."""


class DocumentNotFound(DepescheError):
    """No release with this id in the index."""


class BackendUnavailable(DepescheError):
    """The search backend (an OpenSearch cluster) cannot be reached or cannot answer right now."""
