"""With PreventUserExistenceErrors, a user who does not exist must look like one who
does: boto3 (USER_PASSWORD_AUTH) and pycognito (USER_SRP_AUTH), clients nobody here
wrote, against `cognito-console serve`.

Run by tests/serve_hardening.rs with one argument, the serve endpoint. Every step
asserts; the script exits non-zero on the first failure, saying which step it was.
With `--time` after the endpoint (benches/soak.rs) it asserts nothing and prints, as one
JSON line, the median time of a wrong password and of a missing user, by both flows:
timing belongs in the benchmark, beside a peer, not in a test.
"""

import json
import statistics
import sys
import time

import peer
from peer import step
from pycognito.aws_srp import AWSSRP

endpoint = sys.argv[1]
timing = sys.argv[2:] == ["--time"]
idp = peer.client(endpoint)



def refused(call):
    try:
        call()
    except idp.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    except Exception as e:  # a peer may fail in its own way; only the time is kept
        if timing:
            return type(e).__name__, str(e)
        raise
    if timing:
        return "accepted", ""
    raise AssertionError("the call succeeded")


pool_id = idp.create_user_pool(PoolName="existence", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
client_id = idp.create_user_pool_client(
    UserPoolId=pool_id, ClientName="app", PreventUserExistenceErrors="ENABLED",
    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]["ClientId"]
# Timing uses each user once, so no one is locked out by the wrong passwords (a locked
# user is refused before any arithmetic, which would time the lockout, not existence).
USERS = [f"real{i}" for i in range(200 if timing else 12)]
for name in USERS:
    idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password="Passw0rd!", Permanent=True)


def password_attempt(name):
    return refused(lambda: idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": "Wr0ng!pass"}))


def srp_attempt(name):
    srp = AWSSRP(username=name, password="Wr0ng!pass", pool_id=pool_id, client_id=client_id, client=idp)
    return refused(srp.authenticate_user)


if timing:
    # 4 rounds of 50 interleaved pairs: the medians, and in how many pairs the missing
    # user took longer (about half, when nothing tells them apart).
    figures = {}
    for attempt in (password_attempt, srp_attempt):
        times = {"user": [], "missing": []}
        slower = 0
        for i in range(200):
            pair = {}
            for kind, name in (("user", USERS[i]), ("missing", f"ghost{i}")):
                start = time.perf_counter()
                attempt(name)
                pair[kind] = time.perf_counter() - start
                times[kind].append(pair[kind])
            slower += pair["missing"] > pair["user"]
        figures[attempt.__name__] = {k: statistics.median(v) * 1000 for k, v in times.items()}
        figures[attempt.__name__]["missing_slower"] = slower / 200
    print(json.dumps(figures))
    sys.exit(0)

step("a missing user and a wrong password get the same answer, by both flows")
for attempt in (password_attempt, srp_attempt):
    assert attempt("real0") == attempt("nobody"), (attempt("real0"), attempt("nobody"))
    assert attempt("nobody") == ("NotAuthorizedException", "Incorrect username or password.")

step("SRP's first step answers a missing user as it answers a user, the same salt each time")
def first_step(name):
    srp = AWSSRP(username=name, password="x", pool_id=pool_id, client_id=client_id, client=idp)
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                             AuthParameters=srp.get_auth_params())
real, ghost = first_step("real1"), first_step("ghost")
assert real["ChallengeName"] == ghost["ChallengeName"] == "PASSWORD_VERIFIER", ghost
assert set(real["ChallengeParameters"]) == set(ghost["ChallengeParameters"]), ghost
salt = ghost["ChallengeParameters"]["SALT"]
assert first_step("ghost")["ChallengeParameters"]["SALT"] == salt, "a decoy's salt changes"
assert first_step("ghost2")["ChallengeParameters"]["SALT"] != salt, "decoys share a salt"

step("a code asked for again, and a code given, answer a missing user as a user")
idp.sign_up(ClientId=client_id, Username="pending", Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "pending@example.com"}])
def resend(name):
    return idp.resend_confirmation_code(ClientId=client_id, Username=name)["CodeDeliveryDetails"]
real, ghost = resend("pending"), resend("ghost")
assert set(real) == set(ghost), (real, ghost)
assert ghost["DeliveryMedium"] == real["DeliveryMedium"] == "EMAIL", ghost
assert ghost["AttributeName"] == "email", ghost
import re
assert re.fullmatch(r"[a-z]\*\*\*@[a-z]\*\*\*", ghost["Destination"]), ghost
assert resend("ghost") == ghost, "the same answer each time"
def confirm(name):
    return refused(lambda: idp.confirm_sign_up(ClientId=client_id, Username=name, ConfirmationCode="123456"))
assert confirm("pending") == confirm("ghost"), (confirm("pending"), confirm("ghost"))
assert confirm("ghost")[0] == "CodeMismatchException", confirm("ghost")
def forgot(name):
    return idp.forgot_password(ClientId=client_id, Username=name)["CodeDeliveryDetails"]
idp.admin_update_user_attributes(UserPoolId=pool_id, Username="real2", UserAttributes=[
    {"Name": "email", "Value": "real2@example.com"}, {"Name": "email_verified", "Value": "true"}])
real, ghost = forgot("real2"), forgot("ghost")
assert set(real) == set(ghost) and real["DeliveryMedium"] == ghost["DeliveryMedium"], (real, ghost)
assert re.fullmatch(r"[a-z]\*\*\*@[a-z]\*\*\*", ghost["Destination"]), ghost

print("all steps passed")
