"""Phone numbers: incoming ones normalised (OII.IDD, OII.Country), outgoing ones checked.

Spec 4.3.1: the international dialling prefix ``OII.IDD`` at the start of an
incoming number becomes ``+``; otherwise a single leading ``0`` becomes ``+``
and the country code ``OII.Country``. Spec 1.2: a number to dial with other
characters than ``+1234567890`` is refused with areaCode 5, errorCode 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from oii_shared.config.parameters import ModuleParameters
from oii_shared.soap.faults import Errors, IciFault

DIALABLE = frozenset("+1234567890")


@dataclass(frozen=True, slots=True)
class NumberRules:
    idd: str = "00"
    country: str = "49"
    remove_plus_prefix: bool = False

    @classmethod
    def from_parameters(cls, parameters: ModuleParameters) -> NumberRules:
        return cls(
            idd=parameters.text("OII.IDD"),
            country=parameters.text("OII.Country"),
            remove_plus_prefix=parameters.flag("OII.RemovePlusPrefix"),
        )

    def incoming(self, number: str) -> str:
        """``001234567`` -> ``+1234567`` and ``01234567`` -> ``+491234567`` (4.3.1 examples)."""
        number = number.strip()
        if self.idd and number.startswith(self.idd) and len(number) > len(self.idd):
            return "+" + number[len(self.idd) :]
        if number.startswith("0") and not number.startswith("00") and len(number) > 1:
            return f"+{self.country}{number[1:]}"
        return number

    def outgoing(self, number: str) -> str:
        """The digits the network is given for a checked number to dial.

        With OII.RemovePlusPrefix the leading ``+`` becomes OII.IDD, the reverse of
        :meth:`incoming`, for exchanges that cannot dial ``+``.
        """
        if self.remove_plus_prefix and number.startswith("+"):
            return self.idd + number[1:]
        return number


def checked_dial_number(number: object) -> str:
    """The number to dial, or the fault of spec 1.2 for any other character."""
    text = str(number if number is not None else "").strip()
    if not text:
        raise IciFault(Errors.MISSING_ARGUMENT, "dialNumber is required")
    if not set(text) <= DIALABLE:
        raise IciFault(Errors.INVALID_PHONE_NUMBER)
    return text
