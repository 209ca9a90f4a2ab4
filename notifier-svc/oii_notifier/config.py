"""The delivery configuration: registry settings and module parameters of spec 4.2/4.4, TLS.

Read from the database at start and again on ``oii.admin.config_changed``
(UpdateSettings); the parts that use it read ``ConfigHolder.current`` each time,
so a reload takes effect for the next request.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from pathlib import Path

from oii_notifier.settings import NotifierSettings
from oii_notifier.url_rules import ReverseDns, UrlRules
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration, Listener
from oii_shared.subscriptions.url_map import parse_url_map

log = logging.getLogger(__name__)

# A dead host is given up on well before SOAP_TIMEOUT_MS's 100 s default.
CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    timeout_s: float
    connect_timeout_s: float
    wait_s: float
    proxy: str | None
    rules: UrlRules
    ssl: ssl.SSLContext
    retry_s: float


class ConfigHolder:
    def __init__(self, current: DeliveryConfig) -> None:
        self.current = current


def follow_delivery_config(
    holder: ConfigHolder, settings: NotifierSettings, reverse_dns: ReverseDns
) -> Listener:
    """The delivery rules of each new configuration (the holder's one writer)."""

    def apply(configuration: Configuration) -> None:
        holder.current = delivery_config(settings, configuration.parameters, reverse_dns)

    return apply


def delivery_config(
    settings: NotifierSettings, parameters: ModuleParameters, reverse_dns: ReverseDns
) -> DeliveryConfig:
    timeout_s = parameters.integer("SOAP_TIMEOUT_MS") / 1000
    rules = UrlRules(
        parse_url_map(parameters.items("OII.MapSubscribeUrl")),
        reverse_dns if parameters.flag("OII.ReverseDnsSubscribeUrl") else None,
    )
    proxy = parameters.text("SOAP_PROXY").strip() or None
    return DeliveryConfig(
        timeout_s=timeout_s,
        connect_timeout_s=min(timeout_s, CONNECT_TIMEOUT_S),
        wait_s=parameters.integer("SOAP_WAIT_MS") / 1000,
        proxy=proxy,
        rules=rules,
        ssl=tls_context(settings, parameters),
        retry_s=settings.event_retry_s,
    )


def tls_context(settings: NotifierSettings, parameters: ModuleParameters) -> ssl.SSLContext:
    """Server verification on (system CAs or OII_EVENT_CA_BUNDLE), plus the client certificate.

    Spec 4.4.3 takes the client certificate from the Windows certificate store;
    here it is a PEM file: OII_EVENT_CLIENT_CERT (or the registry setting
    SOAP_CLIENT_CERTIFICATE_PATH) with its key in OII_EVENT_CLIENT_KEY or in
    the same file.
    """
    context = ssl.create_default_context(
        cafile=str(settings.event_ca_bundle) if settings.event_ca_bundle else None
    )
    if not settings.event_verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    certificate = settings.event_client_cert or _path(
        parameters.text("SOAP_CLIENT_CERTIFICATE_PATH")
    )
    if certificate is not None:
        key = settings.event_client_key
        context.load_cert_chain(str(certificate), str(key) if key else None)
    if parameters.text("SOAP_CLIENT_CERTIFICATE_SUBJECT").strip():
        log.warning(
            "SOAP_CLIENT_CERTIFICATE_SUBJECT selects from the Windows certificate store and is"
            " ignored here: set OII_EVENT_CLIENT_CERT and OII_EVENT_CLIENT_KEY"
        )
    return context


def _path(text: str) -> Path | None:
    return Path(text.strip()) if text.strip() else None
