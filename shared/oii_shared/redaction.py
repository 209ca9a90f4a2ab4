"""Nothing confidential in what the suite writes or shows: logs, /healthz, the status page.

Two rules, both applied by every service's log formatter (service/logs.py):

- credentials never appear: the user info of a URL (``http://user:secret@host``)
  and the value of a password-like parameter (``sap-password=``, ``token=``...)
  become ``***``, whatever the setting;
- with UseSecureLogging (spec 4.2, on by default) personal data is left out too:
  a log call wraps a caller's number, an e-mail address or a chat text in
  ``personal(...)``, which writes ``<personal>`` unless the operator set
  UseSecureLogging to 0 to log everything.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

HIDDEN = "***"
PERSONAL = "<personal>"

# Names of query or form parameters whose values are secrets (SAP's sap-password too).
_SECRET_WORDS = "password|passwd|pwd|secret|token|apikey|api_key|credential"  # noqa: S105
_SECRET_PARAMETER = re.compile(
    rf"(?i)(?<![a-z0-9_.-])((?:[a-z0-9_.-]*(?:{_SECRET_WORDS})s?|auth|key|sig|signature))"
    r"=([^&\s'\"<>;,]*)"
)
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+")

_secure_logging = True


def set_secure_logging(enabled: bool) -> None:
    """UseSecureLogging (spec 4.2): whether personal data is left out of the logs."""
    global _secure_logging
    _secure_logging = enabled


def secure_logging() -> bool:
    return _secure_logging


class Personal:
    """A value that a log line shows only while UseSecureLogging is off."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return PERSONAL if _secure_logging else str(self.value)

    __repr__ = __str__


def personal(value: object) -> Personal:
    return Personal(value)


def redact_url(url: str) -> str:
    """``url`` without its user info and with the values of secret parameters hidden."""
    try:
        parts = urlsplit(url)
        netloc = _without_user_info(parts)
    except ValueError:
        return redact_parameters(url)
    query = redact_parameters(parts.query)
    fragment = redact_parameters(parts.fragment)
    if (netloc, query, fragment) == (parts.netloc, parts.query, parts.fragment):
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def _without_user_info(parts: SplitResult) -> str:
    user_info, at, host = parts.netloc.rpartition("@")
    return f"{HIDDEN}@{host}" if at and user_info else parts.netloc


def redact_parameters(text: str) -> str:
    return _SECRET_PARAMETER.sub(lambda match: f"{match.group(1)}={HIDDEN}", text)


def redact_text(text: str) -> str:
    """A log line or an error text with every URL and secret parameter in it redacted."""
    if "://" in text:
        text = _URL.sub(lambda match: redact_url(match.group(0)), text)
    if "=" in text:
        text = redact_parameters(text)
    return text
