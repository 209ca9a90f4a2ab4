"""IciUser.getAttributes served by spyne, with the answer the gateway gives.

    gunicorn -w 2 -k gthread --threads 4 --reuse-port -b 127.0.0.1:PORT \\
        "bench.references.spyne_server:create_application('LOGIN_ANSWER_FILE')"

These settings give spyne its best throughput here. Measured on 2 cores with 32 logins in
flight, a few runs each: sync workers 550-750 req/s at ~137% CPU (each worker idles while
the next connection is made); gthread workers keep connections alive and both cores busy,
690-1,010 req/s at ~177% CPU with 4 or 8 threads (4 steadier: 790-990). Without
--reuse-port, one listening socket, the kept-alive connections sometimes all fell on one
worker (~100% CPU, 300-850 req/s); with it each worker listens on its own socket and the
kernel spreads the connections.

The User element is a spyne model, filled once from the gateway's captured answer, so
each request costs what it costs a spyne service: the request parsed into the model, the
model serialized into the answer.

Input validation is off (spyne's default): the lxml validator checks requests against the
schema spyne generates, which qualifies the parts, while CRM sends them unqualified.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spyne import Application, Array, ComplexModel, Fault, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication
from spyne.util.xml import get_xml_as_object

from bench.references.answers import answer_files
from oii_shared.ici.schema import Interface
from oii_shared.soap.namespaces import ICI_TYPES
from oii_shared.soap.parser import parse_xml

MAX_ANSWER_BYTES = 1_048_576


def unqualified(model: Any) -> Any:
    """The parts' contents carry ``xmlns=""`` in the gateway's answers, as in CRM's requests."""
    return model.customize(sub_ns="")


class TextElement(ComplexModel):
    __namespace__ = ICI_TYPES
    _type_info = [("id", unqualified(Unicode)), ("description", unqualified(Unicode))]


class Address(ComplexModel):
    __namespace__ = ICI_TYPES
    _type_info = [("address", unqualified(Unicode)), ("channel", unqualified(Unicode))]


TextElements = unqualified(Array(unqualified(TextElement), member_name="item"))


class User(ComplexModel):
    """The User element (10.10) as getAttributes answers it."""

    __namespace__ = ICI_TYPES
    _type_info = [
        ("userId", unqualified(Unicode)),
        ("currentWorkmode", unqualified(TextElement)),
        ("workmodes", TextElements),
        ("wrapUpMode", unqualified(Integer)),
        ("currentChannels", TextElements),
        ("channels", TextElements),
        ("currentQueues", TextElements),
        ("queues", TextElements),
        ("addresses", unqualified(Array(unqualified(Address), member_name="item"))),
        ("cmsHostId", unqualified(Unicode)),
    ]


def is_cms_ping(value: str | None) -> bool:
    """Read as the gateway reads it (9.2.1.1); a spyne service stands alone, so it does
    not import the gateway's user service and the NATS and database layers below it."""
    return (value or "").strip().upper() == "TRUE"


def captured_user(login_answer: bytes) -> tuple[User, str]:
    """The User and the cmsHostId of the gateway's answer to a login."""
    answer = parse_xml(login_answer, MAX_ANSWER_BYTES)
    namespace = Interface.USER.namespace
    user = get_xml_as_object(answer.find(f".//{{{namespace}}}response"), User)
    return user, answer.findtext(f".//{{{namespace}}}cmsHostId", "")


def create_application(login_answers: str) -> WsgiApplication:
    """``login_answers``: a file with the gateway's answer to a login, or a folder of them."""
    captured = [captured_user(file.read_bytes()) for file in answer_files(Path(login_answers))]
    users = {user.userId: user for user, _ in captured}
    cms_host_id = captured[0][1]
    # What the gateway answers to a cmsPing: nothing but the CMS id (9.2.1.1).
    nobody = User(cmsHostId=cms_host_id)

    class IciUserService(ServiceBase):
        @rpc(
            unqualified(Unicode),
            unqualified(Unicode),
            _returns=(User, Unicode),
            _out_variable_names=("response", "cmsHostId"),
        )
        def getAttributes(ctx: Any, userId: str | None, cmsPing: str | None) -> tuple[User, str]:
            if is_cms_ping(cmsPing):
                return nobody, cms_host_id
            found = users.get(userId)
            if found is None:
                raise Fault("Client.UnknownUser", f"unknown user {userId}")
            return found, cms_host_id

    return WsgiApplication(
        Application(
            [IciUserService],
            tns=Interface.USER.namespace,
            name="IciUserInterface",
            in_protocol=Soap11(),
            out_protocol=Soap11(),
        )
    )
