"""What reading the sources yields besides `Document`s: a `Skipped` path or record, a `Note` on one that was read,
and `Unchanged` for a file an update need not read again."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skipped:
    """A path or record that could not be read, with the reason; reported, never silently dropped."""

    source: str
    reason: str
    # the path is there but cannot be read now (half-written, emptied, unreadable, a folder that cannot be listed):
    # an update keeps what the index holds from it, and removes only the releases whose files are gone
    keep_indexed: bool = False


@dataclass(frozen=True)
class Note:
    """Something the reader guessed or changed in a release it read (an encoding, control characters, an invalid
    record date): the release is indexed, and the report says so."""

    source: str
    message: str
    controls: int = 0  # control characters removed from the text (the report's total)


@dataclass(frozen=True)
class Unchanged:
    """A file whose stamp is one the index holds: its documents (`ids`), not read again."""

    ids: tuple[str, ...]
