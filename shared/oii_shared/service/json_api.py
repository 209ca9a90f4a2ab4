"""The suite's JSON APIs described as data: one table of operations drives routes and OpenAPI.

An ``ApiOperation`` says what a route takes and answers (its pydantic models, its
statuses); ``api_routes`` binds a table of them to endpoints as FastAPI routes, whose
OpenAPI description ``openapi_document`` writes. A service binds an operation to its
implementation, the gateway binds the same operation to its passthrough (adding the
errors of its own), so the description the gateway publishes is the one the service keeps.

Endpoints read their own bodies (bounded, ``read_limited_body``) and validate them with
the operation's model, so that a body too large is refused before it is read. Every error
is ``ApiError`` JSON (``{"error": "..."}``) with a 4xx status, and a 502/503/504 from the
gateway when the service behind it is unavailable.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from pydantic import Field as ModelField
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from oii_shared.service.soap_endpoint import read_limited_body
from oii_shared.soap.faults import IciFault

API_PREFIX = "/api/"
OPENAPI_VERSION = "3.1.0"
HTTP_NOT_JSON = 400
HTTP_TOO_LARGE = 413
HTTP_INVALID = 422

Endpoint = Callable[[Request], Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)


class ApiError(BaseModel):
    """The body of every error answer of a JSON API."""

    error: str = ModelField(description="What was wrong, for a person to read.")


@dataclass(frozen=True, slots=True)
class ApiOperation:
    """One route of a JSON API: method, path, what it takes and every answer it gives."""

    operation_id: str
    method: str
    path: str
    summary: str
    status: int
    response: type[BaseModel]
    errors: Mapping[int, str]
    body: type[BaseModel] | None = None
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    # OpenAPI links of the success answer: the operations its values lead to.
    links: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def api_error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def api_routes(
    operations: Sequence[ApiOperation],
    endpoints: Mapping[str, Endpoint],
    more_errors: Mapping[int, str] | None = None,
) -> list[APIRoute]:
    """A FastAPI route per operation, served by ``endpoints[operation_id]``.

    ``more_errors`` are answers the endpoints give on top of the operations' own (the
    gateway's client filter and passthrough).
    """
    return [_route(op, endpoints[op.operation_id], more_errors or {}) for op in operations]


def _route(operation: ApiOperation, endpoint: Endpoint, more_errors: Mapping[int, str]) -> APIRoute:
    success: dict[str, Any] = {"model": operation.response, "description": operation.summary}
    if operation.links:
        success["links"] = dict(operation.links)
    responses: dict[int | str, dict[str, Any]] = {operation.status: success}
    for status, description in sorted({**operation.errors, **more_errors}.items()):
        responses[status] = {"model": ApiError, "description": description}
    extra: dict[str, Any] = {}
    if operation.body is not None:
        extra["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": operation.body.model_json_schema()}},
        }
    if operation.path_parameters:
        extra["parameters"] = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": {"type": "string", "minLength": 1},
            }
            for name, description in operation.path_parameters.items()
        ]
    return APIRoute(
        operation.path,
        endpoint,
        methods=[operation.method],
        operation_id=operation.operation_id,
        summary=operation.summary,
        status_code=operation.status,
        responses=responses,
        response_class=JSONResponse,
        openapi_extra=extra or None,
    )


async def read_model(request: Request, model: type[M], max_bytes: int) -> M | JSONResponse:
    """The request's JSON body as ``model``, or the error answer: 413, 400 or 422."""
    try:
        body = await read_limited_body(request, max_bytes)
    except IciFault:
        return api_error(HTTP_TOO_LARGE, f"the request body exceeds {max_bytes} bytes")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return api_error(HTTP_NOT_JSON, "the request body is not JSON")
    if not isinstance(data, dict):
        return api_error(HTTP_NOT_JSON, f"expected a JSON object like {_example(model)}")
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        return api_error(HTTP_INVALID, _first_problem(invalid))


def _example(model: type[BaseModel]) -> str:
    examples = model.model_json_schema().get("examples") or [{}]
    return json.dumps(examples[0])


def _first_problem(invalid: ValidationError) -> str:
    problem = invalid.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in problem["loc"]) or "the body"
    return f'"{where}": {problem["msg"]}'


def openapi_document(
    title: str, version: str, description: str, routes: Sequence[APIRoute]
) -> dict[str, Any]:
    return get_openapi(
        title=title,
        version=version,
        openapi_version=OPENAPI_VERSION,
        description=description,
        routes=list(routes),
    )


def json_errors_under_api(app: FastAPI) -> None:
    """A 404 or 405 of a path under ``/api/`` is an ``ApiError`` too, not FastAPI's ``detail``."""

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not request.url.path.startswith(API_PREFIX):
            return await http_exception_handler(request, exc)
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, headers=exc.headers)

    app.add_exception_handler(HTTPException, handler)
