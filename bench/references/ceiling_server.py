"""The ceiling of our own stack for one hop: IciUser.getAttributes read as the gateway reads
it and answered from memory, in one FastAPI process, with no gateway hop, no NATS and no
database behind it.

    .venv/bin/python -m bench.references.ceiling_server --port N \\
        --login-answers FILE_OR_FOLDER --ping-answer FILE

It is served as every service serves SOAP: a ``ServiceApp`` (FastAPI) with the endpoint
on the raw ASGI fast path, the body read and the request decoded by the same code (the
hardened parser, the codec). The answers are the gateway's, captured at the start of the
run, kept as parsed trees and serialized by lxml for each request (into the gateway's very
bytes), as the gateway encodes each of its answers.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from lxml import etree

from bench.references.answers import answer_files
from oii_gateway.users.handlers import is_cms_ping
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface
from oii_shared.paths import OII_ASMX
from oii_shared.service.app import ServiceApp
from oii_shared.service.asgi_soap import (
    HTTP_OK,
    SoapEndpoint,
    SoapRequest,
    SoapResponse,
    SoapRoutes,
)
from oii_shared.soap.codec import read_operation
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import parse_xml

MAX_BODY_BYTES = 1_048_576  # the gateway's default max_body_bytes
# The gateway's own declaration; lxml would write it with single quotes.
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


def user_id_of(login_answer: etree._Element) -> str:
    return login_answer.findtext(".//{*}response/{*}userId", "")


def read_answers(path: Path) -> list[bytes]:
    """The answer in ``path``, or every answer in the folder ``path``."""
    return [file.read_bytes() for file in answer_files(path)]


def answer_tree(answer: bytes) -> etree._Element:
    """The answer parsed so that lxml serializes it into the very same bytes."""
    root = parse_xml(answer, MAX_BODY_BYTES)
    for element in root.iter():
        # lxml writes an element without text as <a/>, the gateway as <a></a>.
        if element.text is None and len(element) == 0:
            element.text = ""
    return root


def get_attributes_endpoint(login_answers: Sequence[bytes], ping_answer: bytes) -> SoapEndpoint:
    ping = answer_tree(ping_answer)
    logins = {user_id_of(tree): tree for tree in map(answer_tree, login_answers)}
    registry = ici_registry()

    async def get_attributes(request: SoapRequest) -> SoapResponse:
        body = await request.read_body()
        call = read_operation(body, Interface.USER, registry, MAX_BODY_BYTES)
        if call.operation.name != "getAttributes":
            raise IciFault(Errors.UNKNOWN_OPERATION, f"{call.requested_name} is not served")
        user_id: str = call.args.get("userId") or ""
        answer = ping if is_cms_ping(call.args.get("cmsPing")) else logins.get(user_id)
        if answer is None:
            raise IciFault(Errors.UNKNOWN_USER, user_id)
        return SoapResponse(HTTP_OK, DECLARATION + etree.tostring(answer))

    return get_attributes


def create_app(login_answers: Sequence[bytes], ping_answer: bytes) -> ServiceApp:
    app = ServiceApp(docs_url=None, redoc_url=None, openapi_url=None)
    app.soap = SoapRoutes(MAX_BODY_BYTES)
    app.soap.add(OII_ASMX, get_attributes_endpoint(login_answers, ping_answer))
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--login-answers", type=Path, required=True, help="a login answer, or a folder of them"
    )
    parser.add_argument("--ping-answer", type=Path, required=True)
    args = parser.parse_args(argv)
    app = create_app(read_answers(args.login_answers), args.ping_answer.read_bytes())
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
