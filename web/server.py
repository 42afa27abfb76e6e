"""How `depesche serve` runs the app: a production WSGI server by default, Werkzeug's reloader with `--dev`.

Vocabulary:
- production: gunicorn (POSIX), `workers` processes (default: the cores this process may use) of `threads` threads
  each (gthread worker, default `DEFAULT_THREADS`). Each worker builds its own app after the fork (no preload):
  its own searcher, caches and open files, none shared between processes. Where gunicorn cannot run (Windows),
  waitress: one process of `workers x threads` threads.
- dev: Werkzeug's development server with its reloader (the code is reread when it changes): for one developer,
  never for a team.
"""

from __future__ import annotations

import os
import sys

DEFAULT_THREADS = 4
TIMEOUT_SECONDS = 60  # a worker silent this long is restarted; a search is cut long before (search.querycost)


def default_workers() -> int:
    """One worker per core this process may run on (a container's CPU set, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_app(config: dict, options: dict):
    """gunicorn run from Python with the app factory's config; `load` runs in each worker. (Imported here:
    gunicorn does not install on Windows.)"""
    from gunicorn.app.base import BaseApplication

    class Depesche(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            from . import create_app

            return create_app(config)

    return Depesche()


def production(config: dict, host: str, port: int, workers: int, threads: int) -> None:
    if sys.platform == "win32":
        import waitress  # gunicorn needs fork(); waitress is its dependency there (see pyproject.toml)

        from . import create_app

        waitress.serve(create_app(config), host=host, port=port, threads=workers * threads)
        return
    options = {
        "bind": bind_address(host, port),
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": TIMEOUT_SECONDS,
        "keepalive": 5,
        "limit_request_line": 8190,  # gunicorn's most: a query of umlauts, percent-encoded, reaches the app's own limit
        "errorlog": "-",
        "preload_app": False,
        "control_socket_disable": True,  # one fixed path per user: a second server on the host would take it over
    }
    gunicorn_app(config, options).run()


def development(app, host: str, port: int) -> None:
    app.run(host=host, port=port, threaded=True, use_reloader=True)
