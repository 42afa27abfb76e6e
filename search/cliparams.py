"""The CLI's number and date options, read by the one validation layer (`search.params`): ASCII digits only.

click's own `IntRange` reads with `int()`, which takes "٣" (Arabic-Indic three) as 3, and its `DateTime` with
`strptime`, which takes "２０２４-1-1".
"""

from __future__ import annotations

from datetime import date

import click

from .errors import BadQuery
from .params import day, number


class Number(click.ParamType):
    """An int between `low` and `high`, written in ASCII digits; otherwise click's usage error."""

    name = "integer"

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            found = number(str(value), param.opts[0] if param else "value", self.low)
        except BadQuery as problem:
            self.fail(str(problem), param, ctx)
        if not self.low <= found <= self.high:
            self.fail(f"{found} is not in the range {self.low}<=x<={self.high}.", param, ctx)
        return found

    def __repr__(self) -> str:
        return f"Number({self.low}, {self.high})"


class Day(click.ParamType):
    """A date as YYYY-MM-DD in ASCII digits (`search.params.day`); otherwise click's usage error."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return day(str(value), param.opts[0] if param else "date")
        except BadQuery as problem:
            self.fail(str(problem), param, ctx)
