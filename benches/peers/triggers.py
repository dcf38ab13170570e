"""What a Lambda trigger adds to a call: boto3's latency for AdminCreateUser and for a
sign-in (ADMIN_USER_PASSWORD_AUTH), on a pool without triggers and on one whose pre
sign-up, pre and post authentication and pre token generation name the test functions
(tests/functions, behind cargo-lambda's Invoke API), and a bare Lambda Invoke of the
same function for scale. Prints one JSON object: for each case the median and 95th
percentile in milliseconds.

Run by benches/triggers.rs: python triggers.py ENDPOINT LAMBDA_ENDPOINT CALLS
"""

import json
import statistics
import sys
import time
import uuid

import boto3

endpoint, lambda_endpoint, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
session = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
idp = boto3.client("cognito-idp", endpoint_url=endpoint, **session)
fn = "arn:aws:lambda:us-east-1:123456789012:function:"


def timed(call):
    times = []
    for i in range(calls):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return [statistics.median(times), times[int(len(times) * 0.95) - 1]]


def pool(lambda_config):
    pool_id = idp.create_user_pool(PoolName=f"bench-{uuid.uuid4().hex[:8]}",
                                   LambdaConfig=lambda_config)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="bench",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="signer", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="signer",
                                Password="Bench-Passw0rd!", Permanent=True)
    return pool_id, client_id


def measure(pool_id, client_id):
    create = timed(lambda i: idp.admin_create_user(
        UserPoolId=pool_id, Username=f"u{i}-{uuid.uuid4().hex[:6]}", MessageAction="SUPPRESS"))
    sign_in = timed(lambda i: idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "signer", "PASSWORD": "Bench-Passw0rd!"}))
    return {"create": create, "sign_in": sign_in}


out = {"without": measure(*pool({}))}
out["with"] = measure(*pool({
    "PreSignUp": fn + "record",
    "PreAuthentication": fn + "record",
    "PostAuthentication": fn + "record",
    "PreTokenGeneration": fn + "pre-token-v1",
}))
lam = boto3.client("lambda", endpoint_url=lambda_endpoint, **session)
event = json.dumps({"version": "1", "triggerSource": "PreSignUp_AdminCreateUser",
                    "userPoolId": "bench_invoke", "userName": "u", "request": {},
                    "response": {}}).encode()
out["invoke"] = timed(lambda i: lam.invoke(FunctionName="record", Payload=event)["Payload"].read())
print(json.dumps(out))
