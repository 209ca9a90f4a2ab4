"""The simulated telephone network's HTTP API: served by telephony-svc, passed on by the gateway.

- ``POST /api/v1/sim/calls`` ``{"from": "<caller>", "to": "<queue number or phone line>"}``:
  a customer calls; 201 ``{"callHandle": "<32 hex>"}``.
- ``POST /api/v1/sim/calls/{call_handle}/hangup``: that customer (or the party an agent
  called) hangs up; 200 ``{"callHandle": "...", "hungUp": true}``.

The models and statuses here are the API's contract and its OpenAPI description.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oii_shared.service.json_api import ApiOperation

SIM_PREFIX = "/api/v1/sim"
PLACE_CALL = "placeCall"
HANG_UP = "hangUp"
# E.164 numbers have at most 15 digits; queue addresses may be e-mail addresses (254).
MAX_NUMBER_CHARS = 254
# Surrounding blanks are not part of a number (the routes strip them).
_BLANKS = "[ \t\r\n]*"


class PlaceCall(BaseModel):
    """A customer's call into the contact center."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"examples": [{"from": "+49301234", "to": "2001"}]},
    )

    caller: str = Field(
        alias="from",
        max_length=MAX_NUMBER_CHARS,
        pattern=f"^{_BLANKS}[+]?[0-9]+{_BLANKS}$",
        description="The customer's number: digits, with an optional leading +.",
    )
    called: str = Field(
        alias="to",
        max_length=MAX_NUMBER_CHARS,
        pattern="[^ \t\r\n]",
        description="The number called: a phone queue's number or an agent's phone line.",
    )


class CallPlaced(BaseModel):
    callHandle: str = Field(description="The customer's party in the simulated network.")


class CallHungUp(BaseModel):
    callHandle: str = Field(description="The party that hung up.")
    hungUp: Literal[True] = True


SIMULATOR_API: tuple[ApiOperation, ...] = (
    ApiOperation(
        operation_id=PLACE_CALL,
        method="POST",
        path=f"{SIM_PREFIX}/calls",
        summary="A customer calls a phone queue or an agent's line.",
        status=201,
        body=PlaceCall,
        response=CallPlaced,
        errors={
            400: "The body is not a JSON object.",
            404: "No phone queue or phone line has the number called.",
            413: "The body is larger than a call request can be.",
            422: '"from" or "to" is missing or not a phone number, or the body has other fields.',
        },
        links={
            "HangUp": {
                "operationId": HANG_UP,
                "parameters": {"call_handle": "$response.body#/callHandle"},
            }
        },
    ),
    ApiOperation(
        operation_id=HANG_UP,
        method="POST",
        path=SIM_PREFIX + "/calls/{call_handle}/hangup",
        summary="The customer (or the party an agent called) hangs up.",
        status=200,
        response=CallHungUp,
        path_parameters={"call_handle": "The callHandle of the party."},
        errors={404: "No party with this handle is in a call."},
    ),
)
