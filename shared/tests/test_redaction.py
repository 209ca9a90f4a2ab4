"""Nothing confidential in logs, /healthz or the log file's neighbours."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request

from oii_shared.embedded.console import RotatingLogFile
from oii_shared.embedded.options import StackOptions
from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.ici.schema import Owner
from oii_shared.redaction import (
    PERSONAL,
    personal,
    redact_text,
    redact_url,
    secure_logging,
    set_secure_logging,
)
from oii_shared.service.app import health_details_rule
from oii_shared.service.logs import LOG_FORMAT, LastErrorHandler, RedactingFormatter
from oii_shared.settings import Settings

APP_URL = "http://crmuser:secret@crm.example:8000/sap/bc/ici?sap-client=100&sap-password=hunter2"


@pytest.fixture
def secure() -> Iterator[None]:
    before = secure_logging()
    yield
    set_secure_logging(before)


def test_a_url_loses_its_user_info_and_password_parameters() -> None:
    redacted = redact_url(APP_URL)
    assert redacted == "http://***@crm.example:8000/sap/bc/ici?sap-client=100&sap-password=***"
    plain = "https://crm.example/sap/bc/ici?sap-client=100"
    assert redact_url(plain) == plain
    assert redact_url("http://host/x?token=abc&access_token=def&apikey=g") == (
        "http://host/x?token=***&access_token=***&apikey=***"
    )


def test_a_log_line_loses_every_credential_in_it() -> None:
    line = f"IciUser to {APP_URL} not delivered; retry with password=swordfish, monkey_key=3"
    redacted = redact_text(line)
    for secret in ("secret", "hunter2", "swordfish"):
        assert secret not in redacted
    assert "crm.example:8000" in redacted and "monkey_key=3" in redacted


def test_personal_data_is_left_out_while_secure_logging_is_on(secure: None) -> None:
    set_secure_logging(True)
    assert f"call from {personal('+4930123456')}" == f"call from {PERSONAL}"
    set_secure_logging(False)
    assert f"call from {personal('+4930123456')}" == "call from +4930123456"


def test_the_formatter_and_the_last_error_redact(secure: None) -> None:
    set_secure_logging(True)
    record = logging.LogRecord(
        "oii", logging.ERROR, __file__, 1, "to %s from %s", (APP_URL, personal("+4930")), None
    )
    line = RedactingFormatter(LOG_FORMAT).format(record)
    last_error = LastErrorHandler()
    last_error.emit(record)
    for text in (line, last_error.last.text):
        assert "secret" not in text and "hunter2" not in text and "+4930" not in text
        assert PERSONAL in text and "***@crm.example" in text


def probe(client: str, token: str | None = None) -> Request:
    headers = [] if token is None else [(INTERNAL_TOKEN_HEADER.lower().encode(), token.encode())]
    scope = {"type": "http", "method": "GET", "path": "/healthz", "headers": headers}
    return Request({**scope, "client": (client, 50000)})


def test_health_details_are_for_allowed_clients_and_the_gateways_token() -> None:
    settings = Settings(soap_allow="10.0.0.0/8", internal_token="t" * 24)
    gateway = health_details_rule(settings, Owner.GATEWAY)
    assert gateway(probe("10.1.2.3"))
    assert not gateway(probe("192.0.2.7"))
    assert gateway(probe("192.0.2.7", "t" * 24))
    telephony = health_details_rule(settings, Owner.TELEPHONY)
    assert not telephony(probe("10.1.2.3"))
    assert not telephony(probe("127.0.0.1", "guess"))
    assert telephony(probe("127.0.0.1", "t" * 24))


def test_the_log_file_rotates_by_size_and_forgets_old_files(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "oii.log"
    path.parent.mkdir()
    expired = path.with_name("oii.log.20000101T000000Z")
    expired.write_text("old\n")
    long_ago = time.time() - 20 * 86_400
    os.utime(expired, (long_ago, long_ago))
    log = RotatingLogFile(path, max_bytes=100, keep_days=14)
    with log:
        for number in range(30):
            log.write(f"line {number:02d} of the stack's console\n")
        log.flush()
        rotated = log.rotated_files()
    assert not expired.exists()
    assert rotated and all(file.stat().st_size <= 100 for file in rotated)
    kept = "".join(file.read_text() for file in rotated) + path.read_text()
    assert kept.count("of the stack's console") == 30
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_log_rotation_settings_are_checked() -> None:
    options = StackOptions.from_env({"OII_LOG_MAX_BYTES": "2048", "OII_LOG_KEEP_DAYS": "3"})
    assert (options.log_max_bytes, options.log_keep_days) == (2048, 3.0)
    with pytest.raises(ValueError, match="OII_LOG_KEEP_DAYS"):
        StackOptions.from_env({"OII_LOG_KEEP_DAYS": "soon"})
