"""The references of ``bench compare`` answer getAttributes as the gateway does.

The ceiling's FastAPI app runs in process, through httpx's ASGI transport; spyne's WSGI
application is called directly in one child process. Their answers are built from a
gateway-like answer.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bench.compare import HEADERS, VARIANTS, canonical_body
from bench.ici_client import ENVELOPE, operation_xml
from bench.references.ceiling_server import create_app

# spyne 2.14 installs its bundled six's import hook for the whole process, which
# turns every later import into an ImportWarning (an error here): it runs in a child.
SPYNE_CHILD = """
import base64, io, json, sys, warnings
from wsgiref.util import setup_testing_defaults
warnings.simplefilter("ignore")
from bench.references.spyne_server import create_application
application = create_application(sys.argv[1])
answers = {}
for name, encoded in json.load(sys.stdin).items():
    body = base64.b64decode(encoded)
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": sys.argv[2],
               "CONTENT_LENGTH": str(len(body)), "HTTP_SOAPACTION": sys.argv[3],
               "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    statuses = []
    answer = b"".join(application(environ, lambda status, *_: statuses.append(status)))
    answers[name] = [int(statuses[0].split()[0]), base64.b64encode(answer).decode()]
json.dump(answers, sys.stdout)
"""

HOST_ID = "D028B53FF30B43F08FC009DACB6860AF"
GATEWAY_START = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    '<soap:Body><getAttributesResponse xmlns="urn:IciUserInterface"><response>'
)
GATEWAY_END = (
    f"</response><cmsHostId>{HOST_ID}</cmsHostId></getAttributesResponse>"
    "</soap:Body></soap:Envelope>"
)
LOGIN_ANSWER = (
    GATEWAY_START + '<userId xmlns="">HARRI</userId>'
    '<currentWorkmode xmlns=""><id>1</id><description>Logged off</description></currentWorkmode>'
    '<workmodes xmlns=""><item><id>1</id><description>Logged off</description></item>'
    "<item><id>1001</id><description>Lunch</description></item></workmodes>"
    '<wrapUpMode xmlns="">1</wrapUpMode>'
    '<currentChannels xmlns=""></currentChannels>'
    '<channels xmlns=""><item><id>1</id><description>Telephony</description></item></channels>'
    '<currentQueues xmlns=""><item><id>2001</id><description>Q 2001</description></item>'
    "</currentQueues>"
    '<queues xmlns=""><item><id>2001</id><description>Q 2001</description></item>'
    "<item><id>chat@example.com</id><description>Web chat</description></item></queues>"
    '<addresses xmlns=""><item><address>+129</address><channel>1</channel></item></addresses>'
    f'<cmsHostId xmlns="">{HOST_ID}</cmsHostId>' + GATEWAY_END
).encode()
PING_ANSWER = (GATEWAY_START + f'<cmsHostId xmlns="">{HOST_ID}</cmsHostId>' + GATEWAY_END).encode()
GATEWAY_ANSWERS = {"login": LOGIN_ANSWER, "ping": PING_ANSWER}
UNKNOWN_USER = ENVELOPE.format(operation_xml("IciUser", "getAttributes", userId="NOBODY")).encode()

REPO_ROOT = Path(__file__).resolve().parents[1]


async def ceiling_post(body: bytes) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app([LOGIN_ANSWER], PING_ANSWER))
    async with httpx.AsyncClient(transport=transport, base_url="http://ceiling") as client:
        return await client.post("/OII/OII.asmx", content=body, headers=HEADERS)


@pytest.fixture(scope="module")
def spyne_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, bytes]]:
    """Status and answer of spyne to each variant and to an unknown user, by name."""
    login_answer = tmp_path_factory.mktemp("spyne") / "login.xml"
    login_answer.write_bytes(LOGIN_ANSWER)
    requests = {**VARIANTS, "unknown": UNKNOWN_USER}
    child = subprocess.run(
        [sys.executable, "-c", SPYNE_CHILD, str(login_answer),
         HEADERS["Content-Type"], HEADERS["SOAPAction"]],
        input=json.dumps({n: base64.b64encode(b).decode() for n, b in requests.items()}).encode(),
        capture_output=True, check=True, cwd=REPO_ROOT,
    )  # fmt: skip
    return {
        name: (status, base64.b64decode(answer))
        for name, (status, answer) in json.loads(child.stdout).items()
    }


@pytest.mark.parametrize("variant", ["login", "ping"])
async def test_ceiling_answers_the_gateways_very_bytes(variant: str) -> None:
    answer = await ceiling_post(VARIANTS[variant])

    assert answer.status_code == 200
    assert answer.content == GATEWAY_ANSWERS[variant]


@pytest.mark.parametrize("variant", ["login", "ping"])
def test_spyne_answers_what_the_gateway_answers(
    spyne_answers: dict[str, tuple[int, bytes]], variant: str
) -> None:
    status, answer = spyne_answers[variant]

    assert status == 200
    assert canonical_body(answer) == canonical_body(GATEWAY_ANSWERS[variant])


async def test_the_references_know_no_other_user(
    spyne_answers: dict[str, tuple[int, bytes]],
) -> None:
    assert (await ceiling_post(UNKNOWN_USER)).status_code == 500
    assert spyne_answers["unknown"][0] == 500


def test_the_comparison_sees_a_different_answer() -> None:
    other = LOGIN_ANSWER.replace(b"<id>1001</id>", b"<id>1002</id>")

    assert canonical_body(other) != canonical_body(LOGIN_ANSWER)
