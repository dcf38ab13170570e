"""pycognito, a client nobody here wrote, walks a password reset and a global sign-out
against `cognito-console serve`.

Run by tests/srp_pycognito.rs with three arguments: the serve endpoint, the
cognito-console binary and the store's database (to read the reset code from the
outbox with the `outbox` subcommand, as an admin would). Every step asserts; the script
exits non-zero on the first failure, saying which step it was.
"""

import json
import os
import re
import subprocess
import sys
import urllib.request

import peer
from peer import refused, step
from pycognito import Cognito

endpoint, binary, db = sys.argv[1:4]
idp = peer.client(endpoint)




def last_code(pool_id, username):
    out = subprocess.run(
        [binary, "--db", db, "--pool", pool_id, "outbox", "--user", username],
        check=True, capture_output=True, text=True,
    ).stdout
    codes = re.findall(r"\b\d{6}\b", out)
    assert codes, f"no code in the outbox:\n{out}"
    return codes[0]


def user(pool_id, client_id, client_secret, username):
    # Given an endpoint_url, pycognito expects it in the tokens' issuer (as cognito-local
    # issues them); the store issues Cognito's own, so the client is swapped in instead.
    cognito = Cognito(
        pool_id,
        client_id,
        user_pool_region="us-east-1",
        username=username,
        client_secret=client_secret,
        access_key="test",
        secret_key="test",
    )
    cognito.client = idp
    return cognito


step("a pool that recovers accounts by verified email, an SRP client with a secret")
pool_id = idp.create_user_pool(
    PoolName="recovery",
    AutoVerifiedAttributes=["email"],
    AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
)["UserPool"]["Id"]
app = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="web",
    GenerateSecret=True,
    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]
client_id, client_secret = app["ClientId"], app["ClientSecret"]
idp.admin_create_user(
    UserPoolId=pool_id,
    Username="rosa",
    TemporaryPassword="Temp0rary!pw",
    UserAttributes=[
        {"Name": "email", "Value": "rosa@example.com"},
        {"Name": "email_verified", "Value": "true"},
    ],
    MessageAction="SUPPRESS",
)
idp.admin_set_user_password(UserPoolId=pool_id, Username="rosa", Password="First!Passw0rd", Permanent=True)
with urllib.request.urlopen(f"{endpoint}/{pool_id}/.well-known/jwks.json") as r:
    os.environ["COGNITO_JWKS"] = json.dumps(json.load(r))

step("pycognito signs in with SRP")
rosa = user(pool_id, client_id, client_secret, "rosa")
rosa.authenticate(password="First!Passw0rd")
assert rosa.get_user().username == "rosa"

step("the admin resets the password: sign-in is refused until it is reset")
rosa.admin_reset_password("rosa")
assert idp.admin_get_user(UserPoolId=pool_id, Username="rosa")["UserStatus"] == "RESET_REQUIRED"
refused(lambda: user(pool_id, client_id, client_secret, "rosa").authenticate(password="First!Passw0rd"),
        "PasswordResetRequiredException")

step("a wrong code is refused; the code from the outbox sets the new password")
refused(lambda: rosa.confirm_forgot_password("000000" if last_code(pool_id, "rosa") != "000000" else "111111",
                                             "Second!Passw0rd"),
        "CodeMismatchException")
rosa.confirm_forgot_password(last_code(pool_id, "rosa"), "Second!Passw0rd")
assert idp.admin_get_user(UserPoolId=pool_id, Username="rosa")["UserStatus"] == "CONFIRMED"

step("the user asks for a code themselves (ForgotPassword) and uses it once")
rosa.initiate_forgot_password()
code = last_code(pool_id, "rosa")
rosa.confirm_forgot_password(code, "Third!Passw0rd")
refused(lambda: rosa.confirm_forgot_password(code, "Fourth!Passw0rd"), "CodeMismatchException")

step("the new password signs in; the old ones do not")
signed_in = user(pool_id, client_id, client_secret, "rosa")
signed_in.authenticate(password="Third!Passw0rd")
signed_in.verify_tokens()
refused(lambda: user(pool_id, client_id, client_secret, "rosa").authenticate(password="Second!Passw0rd"),
        "NotAuthorizedException")

step("a global sign-out refuses the old refresh and access tokens")
signed_in.renew_access_token()
old_refresh, old_access = signed_in.refresh_token, signed_in.access_token
signed_in.logout()
stale = user(pool_id, client_id, client_secret, "rosa")
stale.refresh_token, stale.access_token = old_refresh, old_access
message = refused(stale.renew_access_token, "NotAuthorizedException")
assert "revoked" in message, message
message = refused(lambda: idp.get_user(AccessToken=old_access), "NotAuthorizedException")
assert "revoked" in message, message

print("pycognito recovery: all steps passed")
