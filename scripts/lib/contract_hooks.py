"""schemathesis hooks for scripts/contract.

The fuzzer authenticates with one admin token and finds that token's id in the answers of
GET /v1/admin/tokens; revoking it would turn the rest of the run into 401s. A revocation of that
id is sent for an id that does not exist instead (a documented 404).
"""

import os

import schemathesis

PROTECTED_TOKEN_ID = os.environ["CONTRACT_TOKEN_ID"]


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.path == "/v1/admin/tokens/{id}/revoke" and (case.path_parameters or {}).get(
        "id"
    ) == PROTECTED_TOKEN_ID:
        case.path_parameters["id"] = "tok_not_the_fuzzers_own"
