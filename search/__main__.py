"""`python -m search ...`: the library commands (index, search, stats, extract) without the web app."""

from .cli import main

main()
