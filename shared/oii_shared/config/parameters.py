"""The configuration switches of the spec as data: module, registry and queue parameters.

Values are kept as the canonical strings the spec shows (``"1"``, ``"00"``,
``"SKIP"``) because that is how they are stored in the database; the typed
readers turn them into ``bool``, ``int`` or tuples when a service needs them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

_log = logging.getLogger(__name__)

Kind = Literal["bool", "int", "digits", "enum", "list", "str"]
Source = Literal["module", "registry", "queue"]

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ParameterError(ValueError):
    """A parameter name is unknown or a value is not allowed for it."""


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """One parameter of spec 4.2 (registry), 4.3.1 (module) or 4.3.2 (queue)."""

    name: str
    default: str
    kind: Kind
    description: str
    allowed: tuple[str, ...] = ()
    minimum: int | None = None
    source: Source = "module"
    section: str = "4.3.1"
    # The registry setting this module parameter overrides when it is set (spec 4.2).
    overrides: str | None = None

    def allowed_text(self) -> str:
        if self.allowed:
            return " or ".join(self.allowed)
        return {
            "bool": "0 or 1",
            "int": "an integer" if self.minimum is None else f"an integer >= {self.minimum}",
            "digits": "digits only",
            "list": "a comma-separated list",
            "str": "any text",
            "enum": "",
        }[self.kind]


def _bool(name: str, default: str, description: str, overrides: str | None = None) -> ParameterSpec:
    return ParameterSpec(name, default, "bool", description, overrides=overrides)


def _registry(name: str, default: str, kind: Kind, description: str, **more: int) -> ParameterSpec:
    section = "4.4.3" if name.startswith("SOAP_CLIENT_CERTIFICATE") else "4.2"
    minimum = more.get("minimum")
    return ParameterSpec(name, default, kind, description, (), minimum, "registry", section)


MODULE_PARAMETERS: tuple[ParameterSpec, ...] = (
    _bool("OII.Email", "0", "E-mail channel enabled for all users."),
    _bool("OII.Chat", "0", "Chat channel enabled for all users."),
    _bool("OII.Action", "0", "Action channel enabled for all users."),
    ParameterSpec("OII.IDD", "00", "digits", "Dialing prefix replaced by + in incoming numbers."),
    ParameterSpec("OII.Country", "49", "digits", "Country code for numbers with a single 0."),
    # Named only in the revision history (12.6.2007), without a table row. Our reading:
    # the "+" of a number to dial is replaced by OII.IDD, the reverse of the incoming rule.
    _bool("OII.RemovePlusPrefix", "0", "Dial +<number> as OII.IDD<number>."),
    _bool("OII.IgnoreOperDirect", "1", "Direct agent calls are not alerted in IC WebClient."),
    ParameterSpec("OII.CADApplicationID", "SAP_BCM/OII", "str", "Application id of OII's CAD."),
    _bool("OII.CallRecordingCad", "0", "Add the call recording file name to CAD."),
    _bool("OII.Afterwork", "1", "Calls and chats use Afterwork; 0: always Paperwork."),
    _bool("OII.ShowPresenceProfiles", "0", "Show presence profiles besides absence profiles."),
    _bool("OII.GetUserPresenceEmail", "0", "getUserPresence reports the e-mail channel."),
    _bool("OII.GetUserPresenceChat", "1", "getUserPresence reports the chat channel."),
    _bool("OII.ConvertEmail", "0", "Convert embedded e-mail parts to attachments."),
    _bool("OII.UsePickupFolder", "0", "Send e-mail by Pickup folder, not MessageQueue."),
    _bool("OII.ShowBusyStatus", "0", "Outbound calls failing on busy show Busy, then Ended."),
    ParameterSpec("OII.BusyStatusDuration", "5000", "int", "Busy shown for (ms).", minimum=0),
    _bool("OII.IgnoreCdtOutbound", "1", "Outbound calls made in CDT are not shown."),
    _bool("OII.SendDTMF", "1", "Offer the SendDTMF capability (0 for CRM 5)."),
    _bool("OII.RequestedWrapUp", "0", "Requested wrap-up mode instead of automatic."),
    _bool("OII.WrapUpEndedFromCDT", "0", "End wrap-up of contacts when CDT goes to Ready."),
    _bool("OII.WrapUpOutbound", "0", "All outbound calls, even failed, go to wrap-up."),
    _bool("OII.PhoneMultiSession", "0", "An agent in wrap-up can receive more calls."),
    _bool("OII.ActionMultiSession", "0", "Accepting an action item puts CDT back to Serving."),
    _bool("OII.EmailMultiSession", "0", "Accepting an e-mail puts CDT back to Serving."),
    _bool("OII.PdBeginPreview", "0", "Send Preview status (111) for preview calls."),
    ParameterSpec(
        "OII.PdEndPreviewReject", "SKIP", "enum", "Rejected preview call result.",
        ("SKIP", "REJECT"),
    ),
    _bool("OII.PdRescheduleImmediately", "0", "Rescheduling CAD ends connected calls too."),
    _bool("OII.ForwardAndEnd", "0", "Blind transfer ends the call without wrap-up."),
    _bool("OII.TransferAndEnd", "0", "Warm transfer ends the call without wrap-up."),
    _bool("OII.GetPresenceQueueInfoAll", "0", "getPresenceQueueInfo returns all queues."),
    ParameterSpec(
        "OII.GetPresenceQueueInfoFilter", "0", "enum", "Queues with: 0 any, 1 logged-in, 2 ready.",
        ("0", "1", "2"),
    ),
    _bool("OII.LoginDropCalls", "1", "Drop calls when the user logs in.", "ICIUSER_AUTOMATIC_DROP"),
    _bool("OII.SetCurrentQueues", "0", "Obey setCurrentQueues.", "ICIUSER_SETCURRENTQUEUES"),
    ParameterSpec(
        "OII.MapSubscribeUrl", "", "list", "Subscribe URL rewrites (4.4.1).",
        overrides="MAP_SUBSCRIBE_URL",
    ),
    _bool("OII.ReverseDnsSubscribeUrl", "0", "Replace subscribe URL IPs by host names."),
    _bool("OII.SetExtraData", "1", "Send CAD to CEM as soon as CRM sets it."),
    _bool("OII.CheckDuplicateActionItem", "0", "No new action item for a known processId."),
    _bool("OII.SAPphoneEnabled", "0", "SAPphone interface enabled."),
    _bool("OII.SAPphonePopup", "1", "SAPphone UI pop-up on incoming calls."),
    ParameterSpec("OII.SAPphoneServer", "", "str", "SAPphone server connection; also ...Server2."),
    ParameterSpec("OII.SAPphoneServerName", "", "str", "SAPphone SERVER_NAME from XCHGPARAMS."),
    ParameterSpec("OII.SAPphoneClient", "", "str", "SAPphone client connection; also ...Client2."),
    ParameterSpec(
        "ExtraDataWhenAllocated", "XML,FirstBName,FirstBNumber,SIP_CALL_ID", "list",
        "Attached data when allocating calls.",
    ),
    ParameterSpec(
        "ExtraDataWhenCallOut", "XML,FirstBName,SIP_CALL_ID", "list",
        "Attached data in outbound and transferred calls.",
    ),
    ParameterSpec("ExtraDataWhenConnected", "SIP_CALL_ID", "list", "Attached data on connect."),
    ParameterSpec(
        "ExtraDataWhenJoin", "XML,FirstBName,SIP_CALL_ID", "list",
        "Attached data when a warm transfer completes.",
    ),
)  # fmt: skip

REGISTRY_SETTINGS: tuple[ParameterSpec, ...] = (
    _registry("UseSecureLogging", "1", "bool", "Do not log confidential information."),
    _registry("MAP_SUBSCRIBE_URL", "", "list", "Subscribe URL rewrites; OII.MapSubscribeUrl wins."),
    _registry("SOAP_TIMEOUT_MS", "100000", "int", "Wait for CRM's answer (ms).", minimum=1),
    _registry("SOAP_WAIT_MS", "250", "int", "Per-session wait between events (ms).", minimum=0),
    _registry("SOAP_PROXY", "", "str", "Proxy URL for the events sent to CRM (4.5)."),
    _registry("MAIL_ROOT", "", "str", "Holds the Pickup folder; empty: under the data dir."),
    _registry(
        "ICIUSER_AUTOMATIC_UNSUBSCRIBE", "1", "bool", "getAttributes drops old subscriptions."
    ),
    _registry(
        "ICIUSER_SETCURRENTQUEUES", "0", "bool", "Obey setCurrentQueues (module param wins)."
    ),
    _registry("ICIUSER_AUTOMATIC_DROP", "1", "bool", "Drop calls on login (module param wins)."),
    _registry("SOAP_CLIENT_CERTIFICATE_SUBJECT", "", "str", "Client certificate subject filter."),
    _registry("SOAP_CLIENT_CERTIFICATE_PATH", "", "str", "Client certificate file for CRM."),
)

QUEUE_PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "AnswerInfo", "", "str", "Pop-up template (4.7.2).", source="queue", section="4.3.2"
    ),
    ParameterSpec(
        "OII", "1", "bool", "Integration enabled (4.7.1).", source="queue", section="4.3.2"
    ),
)

# Parameters the spec allows more than once with a number appended (OII.SAPphoneServer2...).
_NUMBERED = re.compile(r"(?i)^(OII\.SAPphone(?:Server|Client))([2-9]|[1-9][0-9]+)$")


def _index(specs: Iterable[ParameterSpec]) -> dict[str, ParameterSpec]:
    return {spec.name.casefold(): spec for spec in specs}


_INSTALLATION_INDEX = _index((*MODULE_PARAMETERS, *REGISTRY_SETTINGS))


def find_parameter(name: str) -> ParameterSpec | None:
    """The module parameter or registry setting called ``name``, ignoring case."""
    key = name.strip().casefold()
    spec = _INSTALLATION_INDEX.get(key)
    if spec is not None:
        return spec
    numbered = _NUMBERED.match(name.strip())
    if numbered is None:
        return None
    base = _INSTALLATION_INDEX[numbered.group(1).casefold()]
    return replace(base, name=f"{base.name}{numbered.group(2)}")


def get_parameter(name: str) -> ParameterSpec:
    """Like :func:`find_parameter` but an unknown name raises :class:`ParameterError`."""
    spec = find_parameter(name)
    if spec is None:
        raise ParameterError(f"{name}: unknown module parameter")
    return spec


def scalar_text(value: object) -> str:
    """The text of a YAML or JSON scalar: booleans become the spec's 1 and 0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    raise ParameterError(f"expected a single value, got {type(value).__name__}")


def validate_value(spec: ParameterSpec, value: object) -> str:
    """The canonical string of ``value`` for ``spec``, or :class:`ParameterError`."""
    try:
        text = scalar_text(value).strip()
    except ParameterError as error:
        raise ParameterError(f"{spec.name}: {error}; allowed: {spec.allowed_text()}") from None
    canonical = _canonical(spec, text)
    if canonical is None:
        raise ParameterError(f'{spec.name}: invalid value "{text}"; allowed: {spec.allowed_text()}')
    return canonical


def _canonical(spec: ParameterSpec, text: str) -> str | None:
    if spec.kind == "bool":
        word = text.casefold()
        return "1" if word in _TRUE_WORDS else "0" if word in _FALSE_WORDS else None
    if spec.kind == "int":
        try:
            number = int(text)
        except ValueError:
            return None
        return str(number) if spec.minimum is None or number >= spec.minimum else None
    if spec.kind == "digits":
        return text if text.isascii() and text.isdigit() else None
    if spec.kind == "enum":
        by_key = {allowed.casefold(): allowed for allowed in spec.allowed}
        return by_key.get(text.casefold())
    if spec.kind == "list":
        return ",".join(part.strip() for part in text.split(",")) if text else ""
    return text


def read_bool(spec: ParameterSpec, value: str) -> bool:
    _expect_kind(spec, "bool")
    return validate_value(spec, value) == "1"


def read_int(spec: ParameterSpec, value: str) -> int:
    if spec.kind == "enum" and all(allowed.isdigit() for allowed in spec.allowed):
        return int(validate_value(spec, value))
    _expect_kind(spec, "int")
    return int(validate_value(spec, value))


def read_list(spec: ParameterSpec, value: str) -> tuple[str, ...]:
    _expect_kind(spec, "list")
    return tuple(part for part in validate_value(spec, value).split(",") if part)


def _expect_kind(spec: ParameterSpec, *kinds: Kind) -> None:
    if spec.kind not in kinds:
        raise TypeError(f"{spec.name} is a {spec.kind} parameter, not {' or '.join(kinds)}")


@dataclass(frozen=True, slots=True)
class ModuleParameters:
    """Every module parameter and registry setting with its effective value.

    ``explicit`` holds the values someone set (database, YAML); anything else
    takes the spec's default. A module parameter that overrides a registry
    setting falls back to that setting when it is not set itself.
    """

    explicit: Mapping[str, str]

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> ModuleParameters:
        """Canonicalise stored values; unknown names and invalid values are logged and skipped.

        A bad row in the database must not stop a service: it runs on the
        spec's default and says so in its log.
        """
        explicit: dict[str, str] = {}
        for name, value in values.items():
            spec = find_parameter(name)
            if spec is None:
                _log.warning("ignoring unknown module parameter %s", name)
                continue
            try:
                explicit[spec.name] = validate_value(spec, value)
            except ParameterError as error:
                _log.warning("ignoring module parameter: %s", error)
        return cls(explicit)

    def text(self, name: str) -> str:
        spec = get_parameter(name)
        if spec.name in self.explicit:
            return self.explicit[spec.name]
        if spec.overrides is not None and spec.overrides in self.explicit:
            return self.explicit[spec.overrides]
        return spec.default

    def flag(self, name: str) -> bool:
        return read_bool(get_parameter(name), self.text(name))

    def integer(self, name: str) -> int:
        return read_int(get_parameter(name), self.text(name))

    def items(self, name: str) -> tuple[str, ...]:
        return read_list(get_parameter(name), self.text(name))
