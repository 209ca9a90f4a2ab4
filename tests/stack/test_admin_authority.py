"""Who may call the admin operations of OII.asmx: a person's browser (CSRF) or tool (token)."""

from __future__ import annotations

import re

import httpx
import pytest
from stacklib import ADMIN_TOKEN_NAME, Stack, admin, wait_for

pytestmark = pytest.mark.stack

FORM = "application/x-www-form-urlencoded"


def post(stack: Stack, operation: str, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{stack.base_url}/OII/OII.asmx/{operation}", timeout=10, **kwargs)  # type: ignore[arg-type]


def bearer(stack: Stack, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.admin_token}", "Content-Type": FORM, **extra}


def test_a_bare_post_of_any_content_type_is_refused(stack: Stack) -> None:
    for content_type in (None, "text/xml; charset=utf-8", "text/plain", "multipart/form-data"):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = post(stack, "UpdateSettings", content=b"level=INFO", headers=headers)
        assert answer.status_code == 415, (content_type, answer.text)
    # A form without token or CSRF value is refused too, and so is a wrong token.
    assert post(stack, "UpdateSettings", headers={"Content-Type": FORM}).status_code == 403
    wrong = {"Authorization": "Bearer not-the-token-at-all", "Content-Type": FORM}
    assert post(stack, "UpdateSettings", headers=wrong).status_code == 401
    assert post(stack, "GetState", headers={"Content-Type": FORM}).status_code == 403


def test_a_token_of_OII_ADMIN_TOKENS_is_accepted_and_audited(stack: Stack) -> None:
    assert admin(stack, "UpdateSettings", "POST").status_code == 200
    as_json = post(
        stack,
        "SetLogLevel",
        json={"level": "INFO"},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
    )
    assert as_json.status_code == 200 and ">INFO<" in as_json.text
    wait_for(
        lambda: re.search(
            rf"admin operation SetLogLevel by token {ADMIN_TOKEN_NAME} from 127\.0\.0\.1",
            stack.console(),
        ),
        10,
        "the audit line of SetLogLevel",
        explain=stack.console_tail,
    )


def test_requests_from_other_origins_and_event_deliveries_are_refused(stack: Stack) -> None:
    for extra in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"X-OII-Event-Delivery": "1"},
    ):
        answer = post(stack, "UpdateSettings", headers=bearer(stack, **extra))
        assert answer.status_code == 403, (extra, answer.text)
        assert (
            httpx.get(f"{stack.base_url}/OII/OII.asmx/GetState", headers=extra).status_code == 403
        )
    own = {"Origin": stack.base_url}
    assert post(stack, "UpdateSettings", headers=bearer(stack, **own)).status_code == 200
    delivery = {"X-OII-Event-Delivery": "1"}
    status_page = httpx.get(f"{stack.base_url}/OII/default.aspx", headers=delivery)
    assert status_page.status_code == 403


def test_the_admin_page_forms_carry_a_csrf_token_tied_to_a_cookie(stack: Stack) -> None:
    with httpx.Client(base_url=stack.base_url, timeout=10) as browser:
        page = browser.get("/OII/OII.asmx")
        assert page.status_code == 200
        cookie = page.cookies["oii_admin_csrf"]
        assert "samesite=strict" in page.headers["set-cookie"].lower()
        assert "httponly" in page.headers["set-cookie"].lower()
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None and token.group(1) == cookie
        submitted = browser.post("/OII/OII.asmx/UpdateSettings", data={"csrf": cookie})
        assert submitted.status_code == 200, submitted.text
        # The same page again keeps the cookie it has.
        assert "set-cookie" not in browser.get("/OII/OII.asmx").headers
    # Without the cookie (another site's form cannot send it), or with a forged pair: refused.
    alone = post(stack, "UpdateSettings", data={"csrf": cookie})
    assert alone.status_code == 403
    forged = "abc.def"
    with httpx.Client(base_url=stack.base_url, cookies={"oii_admin_csrf": forged}) as other:
        assert other.post("/OII/OII.asmx/UpdateSettings", data={"csrf": forged}).status_code == 403


def test_a_page_on_a_rebound_host_name_is_refused(stack: Stack) -> None:
    """DNS rebinding: evil.example re-pointed at 127.0.0.1 sends its own name as Host."""
    for host in ("evil.example", f"evil.example:{stack.port}", "", "localhost.evil.example"):
        headers = bearer(stack, Host=host)
        answer = post(stack, "UpdateSettings", headers=headers)
        assert answer.status_code == 403 and "OII_ADMIN_HOSTS" in answer.text, (host, answer.text)
        state = httpx.get(f"{stack.base_url}/OII/OII.asmx/GetState", headers={"Host": host})
        assert state.status_code == 403, host
    for host in (f"localhost:{stack.port}", f"127.0.0.1:{stack.port}", "[::1]", "LOCALHOST."):
        answer = post(stack, "UpdateSettings", headers=bearer(stack, Host=host))
        assert answer.status_code == 200, (host, answer.text)
