"""Sending e-mail over SMTP, with the settings from the environment.

Settings: DEPESCHE_SMTP_HOST (required to send), DEPESCHE_SMTP_PORT (default 587 with STARTTLS, 465 with SSL, 25
without), DEPESCHE_SMTP_SECURITY (`starttls`, the default; `ssl`; or `none` for a relay on the same host),
DEPESCHE_SMTP_USER with DEPESCHE_SMTP_PASSWORD or DEPESCHE_SMTP_PASSWORD_FILE (a file holding the password, e.g.
a mounted secret), DEPESCHE_SMTP_FROM (the sender, default depesche@ this host's name). The password is never
logged, printed or part of an error message: `SmtpSettings` leaves it out of its repr.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .errors import DepescheError

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30


class MailError(DepescheError):
    """The mail settings are unusable, or the server did not take a message."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> SmtpSettings:
        host = env.get("DEPESCHE_SMTP_HOST", "").strip()
        if not host:
            raise MailError("no mail server: set DEPESCHE_SMTP_HOST (and DEPESCHE_SMTP_PORT, DEPESCHE_SMTP_SECURITY ...)")
        security = env.get("DEPESCHE_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
        if security not in SECURITY:
            raise MailError(f"DEPESCHE_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}")
        port = env.get("DEPESCHE_SMTP_PORT", "").strip()
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise MailError(f"DEPESCHE_SMTP_PORT must be a port number, not {port!r}")
        user = env.get("DEPESCHE_SMTP_USER", "").strip()
        sender = env.get("DEPESCHE_SMTP_FROM", "").strip() or f"depesche@{socket.getfqdn()}"
        return cls(host, int(port) if port else DEFAULT_PORTS[security], security, user, _password(env) if user else "", sender)


def _password(env: Mapping[str, str]) -> str:
    path = env.get("DEPESCHE_SMTP_PASSWORD_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise MailError(f"cannot read DEPESCHE_SMTP_PASSWORD_FILE {path}: {error.strerror}") from None
    if "DEPESCHE_SMTP_PASSWORD" not in env:
        raise MailError("DEPESCHE_SMTP_USER is set: set DEPESCHE_SMTP_PASSWORD or DEPESCHE_SMTP_PASSWORD_FILE too")
    return env["DEPESCHE_SMTP_PASSWORD"]


class Mailer:
    """One SMTP session for a run's messages, opened at the first message and again after a failure."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Hand `message` to the server; MailError unless the server accepted it for every recipient."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            refused = self._smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise MailError(f"the mail server {self.settings.host}:{self.settings.port} did not take the message: {_reason(error)}") from None
        if refused:
            raise MailError(f"the mail server refused {', '.join(refused)}")

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
        try:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _reason(error: BaseException) -> str:
    """What went wrong, without anything the client sent (a login's arguments are never in it)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode('utf-8', 'replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"
    return str(error) or type(error).__name__
