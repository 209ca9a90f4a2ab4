"""Who may call the admin operations of ``OII.asmx``: a person's browser or tool, nothing else.

Three rules stand between a request and an admin operation (spec 3.4.1 asks
for "local callers"; an address alone does not prove a person, because the
suite's own processes call from loopback too):

* every request: an allowed client address (``OII_ADMIN_ALLOW``), a ``Host``
  that is an IP address, ``localhost`` or a name of ``OII_ADMIN_HOSTS`` (a page
  whose own host name an attacker re-pointed at 127.0.0.1, DNS rebinding, names
  its own host and is refused), no
  ``X-OII-Event-Delivery`` header (the notifier's event POSTs carry it), and no
  ``Origin`` or ``Sec-Fetch-Site`` that names another site;
* every POST (each state-changing operation is POST only): a form or JSON body,
  and either a bearer token of ``OII_ADMIN_TOKENS`` or the CSRF token of the
  admin page's forms (a signed value, the same in the form and in a
  SameSite=Strict cookie, so another page cannot post it);
* each POST is logged with who made it (the token's name, or "admin page") and
  the peer address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.requests import Request

from oii_shared.headers import EVENT_DELIVERY_HEADER
from oii_shared.service.client_filter import ClientFilter

log = logging.getLogger(__name__)

CSRF_COOKIE = "oii_admin_csrf"
CSRF_FIELD = "csrf"
CSRF_KEY = "admin_csrf_key"  # in KV oii_system: every gateway replica signs alike
MAX_BODY_BYTES = 4096
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})


class AdminRefused(Exception):
    """A request the admin operations do not serve; answered as a 4xx with a JSON error."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status


@dataclass(frozen=True, slots=True)
class AdminCall:
    """An authorized POST: who made it and the fields it carried."""

    who: str
    fields: dict[str, str]


class CsrfTokens:
    """Values ``<nonce>.<HMAC(key, nonce)>``: only this suite can make one that checks.

    ``key`` gives the signing key, which the lifespan reads from KV.
    """

    def __init__(self, key: Callable[[], bytes]) -> None:
        self._key = key

    def issue(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, token: str) -> bool:
        nonce, _, signature = token.partition(".")
        return bool(nonce) and hmac.compare_digest(signature, self._sign(nonce))

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key(), nonce.encode(), hashlib.sha256).hexdigest()


class AdminAuthority:
    def __init__(
        self,
        clients: ClientFilter,
        tokens: tuple[tuple[str, str], ...],
        csrf: CsrfTokens,
        hosts: tuple[str, ...] = (),
    ) -> None:
        self._clients = clients
        self._tokens = tuple((name, token.encode()) for name, token in tokens)
        self.csrf = csrf
        self._hosts = frozenset({"localhost", *(host.lower() for host in hosts)})

    def check_request(self, request: Request) -> None:
        """The rules every admin and operator request meets; raises AdminRefused."""
        if not self._clients.allows_request(request):
            raise AdminRefused(
                403, "admin operations are answered to local clients only (OII_ADMIN_ALLOW)"
            )
        if not self._host_allowed(request.headers.get("host", "")):
            raise AdminRefused(
                403, "admin operations answer an IP address, localhost or OII_ADMIN_HOSTS only"
            )
        if EVENT_DELIVERY_HEADER.lower() in request.headers:
            raise AdminRefused(403, "event deliveries never reach the admin operations")
        if request.headers.get("sec-fetch-site", "").lower() in _FOREIGN_FETCH_SITES:
            raise AdminRefused(403, "admin operations are not answered to other sites")
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise AdminRefused(403, "admin operations are not answered to other origins")

    def _host_allowed(self, host: str) -> bool:
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else ""
        else:
            name = name.rpartition(":")[0] if name.count(":") == 1 else name
        if not name:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name.rstrip(".") in self._hosts
        return True

    async def authorize_post(self, request: Request, operation: str) -> AdminCall:
        """A POST's caller and fields, or AdminRefused; the call is logged with its caller."""
        self.check_request(request)
        fields = await _fields(request)
        who = self._bearer(request) or self._browser(request, fields)
        peer = request.client.host if request.client else "?"
        log.warning("admin operation %s by %s from %s", operation, who, peer)
        return AdminCall(who, fields)

    def _bearer(self, request: Request) -> str | None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if not scheme:
            return None
        if scheme.lower() != "bearer" or not given.strip():
            raise AdminRefused(401, "use Authorization: Bearer <token of OII_ADMIN_TOKENS>")
        offered = given.strip().encode()
        # Every token is compared, so the time taken says nothing about which one matched.
        matches = [name for name, token in self._tokens if hmac.compare_digest(offered, token)]
        if not matches:
            raise AdminRefused(401, "unknown admin token")
        return f"token {matches[0]}"

    def _browser(self, request: Request, fields: dict[str, str]) -> str:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = fields.get(CSRF_FIELD, "")
        if cookie and sent and hmac.compare_digest(cookie, sent) and self.csrf.valid(cookie):
            return "admin page"
        raise AdminRefused(
            403,
            "a POST to an admin operation needs a bearer token of OII_ADMIN_TOKENS "
            "or the form of the admin page (/OII/OII.asmx)",
        )


async def _fields(request: Request) -> dict[str, str]:
    """The fields of a form or JSON body (anything else is refused, not guessed at)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in (_FORM, _JSON):
        raise AdminRefused(415, f"send the fields as {_FORM} or {_JSON}")
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise AdminRefused(413, f"the body exceeds {MAX_BODY_BYTES} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise AdminRefused(413, f"the body exceeds {MAX_BODY_BYTES} bytes")
    text = body.decode(errors="replace")
    if content_type == _FORM:
        return {name: values[0] for name, values in parse_qs(text).items()}
    if not text.strip():
        return {}
    try:
        document = json.loads(text)
    except ValueError:
        raise AdminRefused(400, "the body is not JSON") from None
    if not isinstance(document, dict) or not all(
        isinstance(value, str) for value in document.values()
    ):
        raise AdminRefused(400, "the JSON body is an object of strings")
    return {str(name): value for name, value in document.items()}
