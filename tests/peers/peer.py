"""What the peer scripts share: a boto3 client with throwaway credentials for an
endpoint (`serve`, or moto), how a script says its steps, and how it checks that a call
is refused as Cognito refuses it.
"""

import boto3
from botocore.exceptions import ClientError


def client(endpoint):
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def step(name):
    print(f"- {name}", flush=True)


def refusal(call):
    """The error code and message `call` is refused with; it must be refused."""
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError("the call succeeded")


def refused(call, code):
    """`call` must be refused with `code`: the message."""
    got, message = refusal(call)
    assert got == code, f"expected {code}, got {got}: {message}"
    return message
