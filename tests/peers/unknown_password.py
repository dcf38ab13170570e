"""A user created with SUPPRESS and no TemporaryPassword has a password nobody knows
(generated, sent nowhere): every password is wrong for them, by both flows, with the
answer a wrong password gets, until the admin sets one. boto3 (USER_PASSWORD_AUTH) and
pycognito (USER_SRP_AUTH) against `cognito-console serve`.

Run by tests/serve.rs with one argument, the serve endpoint. Every step asserts; the
script exits non-zero on the first failure, saying which step it was.
"""

import sys

import peer
from peer import step
from peer import refusal as refused
from pycognito.aws_srp import AWSSRP

endpoint = sys.argv[1]
idp = peer.client(endpoint)




pool_id = idp.create_user_pool(PoolName="unknown")["UserPool"]["Id"]
client_id = idp.create_user_pool_client(
    UserPoolId=pool_id, ClientName="app",
    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]["ClientId"]
WRONG = ("NotAuthorizedException", "Incorrect username or password.")


def password(name, pw):
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": name, "PASSWORD": pw})


def srp(name, pw):
    return AWSSRP(username=name, password=pw, pool_id=pool_id, client_id=client_id,
                  client=idp).authenticate_user()


step("created with SUPPRESS and no temporary password")
made = idp.admin_create_user(UserPoolId=pool_id, Username="quiet", MessageAction="SUPPRESS")
assert made["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD", made

step("no password signs them in, by either flow, and the answer is a wrong password's")
for pw in ("Passw0rd!", "", "x" * 20):
    if pw:
        got = refused(lambda: password("quiet", pw))
        assert got == WRONG, got
    got = refused(lambda: srp("quiet", pw or "anything"))
    assert got == WRONG, got

step("a temporary password given by the admin works as before")
idp.admin_create_user(UserPoolId=pool_id, Username="given", MessageAction="SUPPRESS",
                      TemporaryPassword="Temp-Passw0rd")
answer = password("given", "Temp-Passw0rd")
assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED", answer
assert refused(lambda: password("given", "Wr0ng!pass")) == WRONG

step("once the admin sets a password, both flows sign in with it")
idp.admin_set_user_password(UserPoolId=pool_id, Username="quiet", Password="Chosen-Passw0rd",
                            Permanent=True)
tokens = password("quiet", "Chosen-Passw0rd")["AuthenticationResult"]
assert tokens["AccessToken"], tokens
tokens = srp("quiet", "Chosen-Passw0rd")["AuthenticationResult"]
assert tokens["IdToken"], tokens

print("all steps passed")
