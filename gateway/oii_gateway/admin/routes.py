"""``/OII/OII.asmx/<Operation>``: the admin operations, answered only to allowed clients.

Results come back as ASP.NET web services write them (``<string>`` documents);
refusals are a 4xx with a JSON error. Who may call: authority.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from oii_gateway.admin.authority import CSRF_COOKIE, CSRF_FIELD, AdminAuthority, AdminRefused
from oii_gateway.admin.service import AdminError, AdminService
from oii_shared.paths import OII_ASMX
from oii_shared.soap.text import escape

AdminCall = Callable[[AdminService, str], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class AdminOperation:
    call: AdminCall
    doc: str
    # Operations that change something are POST only, so that a followed link cannot.
    changes_state: bool = False


OPERATIONS: dict[str, AdminOperation] = {
    "EnumClients": AdminOperation(
        lambda admin, _: admin.enum_clients(), "CRM sessions subscribed to events."
    ),
    "EnumItems": AdminOperation(
        lambda admin, _: admin.enum_items(), "Items (calls, e-mails, chats...) now live."
    ),
    "EnumUsers": AdminOperation(lambda admin, _: admin.enum_users(), "Configured users."),
    "GetLogPath": AdminOperation(
        lambda admin, _: admin.get_log_path(), "Where the log lines are written."
    ),
    "GetState": AdminOperation(
        lambda admin, _: admin.get_state(), '"Connected" when everything is OK.'
    ),
    "SetLogLevel": AdminOperation(
        lambda admin, level: admin.set_log_level(level),
        "Sets the log level of every service (parameter level).",
        changes_state=True,
    ),
    "Start": AdminOperation(
        lambda admin, _: admin.start(), "Starts the integration again after Stop.", True
    ),
    "Stop": AdminOperation(
        lambda admin, _: admin.stop(), "Stops the integration until Start.", True
    ),
    "UpdateSettings": AdminOperation(
        lambda admin, _: admin.update_settings(),
        "Makes every service re-read its configuration from the database.",
        changes_state=True,
    ),
}
_BY_LOWER_NAME = {name.lower(): name for name in OPERATIONS}


def asmx_string(value: str) -> Response:
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<string xmlns="http://tempuri.org/">{escape(value)}</string>',
        media_type="text/xml; charset=utf-8",
    )


def admin_endpoints(
    service: Callable[[], AdminService], authority: AdminAuthority
) -> tuple[Callable[[Request], Awaitable[Response]], Callable[[Request], Awaitable[Response]]]:
    """The operation endpoint and the index page (authority.py says who may call them)."""

    async def operation(request: Request) -> Response:
        name = _BY_LOWER_NAME.get(request.path_params["operation"].lower())
        try:
            if request.method == "POST":
                call = await authority.authorize_post(request, name or "(unknown)")
                fields = call.fields
            else:
                authority.check_request(request)
                fields = dict(request.query_params)
        except AdminRefused as refusal:
            return JSONResponse({"error": str(refusal)}, status_code=refusal.status)
        if name is None:
            return JSONResponse(
                {"error": f"unknown operation; use one of {', '.join(OPERATIONS)}"},
                status_code=404,
            )
        admin_operation = OPERATIONS[name]
        if admin_operation.changes_state and request.method != "POST":
            return JSONResponse({"error": f"{name} changes state: use POST"}, status_code=405)
        try:
            return asmx_string(await admin_operation.call(service(), fields.get("level", "")))
        except AdminError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    async def index(request: Request) -> Response:
        try:
            authority.check_request(request)
        except AdminRefused as refusal:
            return JSONResponse({"error": str(refusal)}, status_code=refusal.status)
        token = request.cookies.get(CSRF_COOKIE, "")
        fresh = not authority.csrf.valid(token)
        if fresh:
            token = authority.csrf.issue()
        rows = "".join(_index_row(name, op, token) for name, op in OPERATIONS.items())
        page = HTMLResponse(
            "<!doctype html><title>OII</title><h1>OII</h1>"
            "<p>The following operations are supported. Each ICI interface also has a "
            'service description, e.g. <a href="/OII/IciUserService.asmx?WSDL">IciUser</a>.</p>'
            f"<ul>{rows}</ul>",
            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
        )
        if fresh:
            page.set_cookie(CSRF_COOKIE, token, path=OII_ASMX, httponly=True, samesite="strict")
        return page

    return operation, index


def _index_row(name: str, operation: AdminOperation, csrf: str) -> str:
    if not operation.changes_state:
        return f'<li><a href="{OII_ASMX}/{name}">{name}</a>: {escape(operation.doc)}</li>'
    level = '<input name="level" value="INFO"> ' if name == "SetLogLevel" else ""
    return (
        f'<li><form method="post" action="{OII_ASMX}/{name}">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf)}">{level}'
        f"<button>{name}</button> {escape(operation.doc)}</form></li>"
    )
