"""pycognito, an SRP client nobody here wrote, signs in against `cognito-console serve`,
and verifies the tokens (their group claims too) against the published JWKS.

Run by tests/srp_pycognito.rs with the serve endpoint as the only argument. Every step
asserts; the script exits non-zero on the first failure, saying which step it was.
"""

import json
import os
import sys
import urllib.request

import peer
from peer import refused, step
import jwt
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import ForceChangePasswordException, TokenVerificationException

endpoint = sys.argv[1]
idp = peer.client(endpoint)




step("a pool, an app client with a secret that allows SRP, a user with a temporary password")
pool_id = idp.create_user_pool(PoolName="pycognito")["UserPool"]["Id"]
app = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="web",
    GenerateSecret=True,
    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]
client_id, client_secret = app["ClientId"], app["ClientSecret"]
idp.admin_create_user(
    UserPoolId=pool_id,
    Username="diego",
    TemporaryPassword="Temp0rary!pw",
    UserAttributes=[{"Name": "email", "Value": "diego@example.com"}],
    MessageAction="SUPPRESS",
)
role = "arn:aws:iam::123456789012:role/admins"
idp.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=0, RoleArn=role)
idp.create_group(UserPoolId=pool_id, GroupName="staff", Precedence=7)
idp.admin_add_user_to_group(UserPoolId=pool_id, Username="diego", GroupName="staff")
idp.admin_add_user_to_group(UserPoolId=pool_id, Username="diego", GroupName="admins")


def srp(password):
    return AWSSRP(
        username="diego",
        password=password,
        pool_id=pool_id,
        client_id=client_id,
        client_secret=client_secret,
        client=idp,
    )


step("a wrong temporary password is NotAuthorized")
refused(lambda: srp("Wrong0ne!pw").authenticate_user(), "NotAuthorizedException")

step("the temporary password leads to NEW_PASSWORD_REQUIRED")
try:
    srp("Temp0rary!pw").authenticate_user()
    raise AssertionError("signed in without choosing a password")
except ForceChangePasswordException:
    pass

step("a new password that breaks the policy is refused")
refused(lambda: srp("Temp0rary!pw").set_new_password_challenge("short"), "InvalidPasswordException")

step("setting a new password returns tokens")
result = srp("Temp0rary!pw").set_new_password_challenge("N3w!Password")
tokens = result["AuthenticationResult"]
assert tokens["TokenType"] == "Bearer" and tokens["ExpiresIn"] > 0, tokens
user = idp.admin_get_user(UserPoolId=pool_id, Username="diego")
assert user["UserStatus"] == "CONFIRMED", user["UserStatus"]

step("the tokens verify against the published JWKS (pycognito's own verifier)")
with urllib.request.urlopen(f"{endpoint}/{pool_id}/.well-known/jwks.json") as r:
    jwks = json.load(r)
assert jwks["keys"][0]["kty"] == "RSA" and jwks["keys"][0]["alg"] == "RS256", jwks
os.environ["COGNITO_JWKS"] = json.dumps(jwks)
verifier = Cognito(
    pool_id,
    client_id,
    client_secret=client_secret,
    id_token=tokens["IdToken"],
    access_token=tokens["AccessToken"],
    refresh_token=tokens["RefreshToken"],
)
verifier.verify_tokens()
claims = verifier.id_claims
assert claims["cognito:username"] == "diego", claims
assert claims["email"] == "diego@example.com", claims
assert claims["aud"] == client_id and claims["token_use"] == "id", claims
assert claims["sub"] == next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}", claims
assert claims["exp"] > claims["auth_time"], claims
access = verifier.access_claims
assert access["client_id"] == client_id and access["token_use"] == "access", access
assert access["username"] == "diego", access

step("the verified tokens carry the user's groups, by precedence, and the group's role")
assert claims["cognito:groups"] == ["admins", "staff"], claims
assert claims["cognito:roles"] == [role], claims
assert claims["cognito:preferred_role"] == role, claims
assert access["cognito:groups"] == ["admins", "staff"], access

step("a token signed by anyone else does not verify")
head, body, _ = tokens["IdToken"].split(".")
forged = jwt.encode(
    {**claims, "cognito:username": "admin"}, "not the key", algorithm="HS256",
    headers={"kid": jwt.get_unverified_header(tokens["IdToken"])["kid"]},
)
try:
    Cognito(pool_id, client_id, id_token=forged).verify_token(forged, "id_token", "id")
    raise AssertionError("a forged token verified")
except (TokenVerificationException, jwt.PyJWTError):
    pass

step("the new password signs in directly; the temporary one no longer works")
again = srp("N3w!Password").authenticate_user()
assert "IdToken" in again["AuthenticationResult"], again
refused(lambda: srp("Temp0rary!pw").authenticate_user(), "NotAuthorizedException")

step("the refresh token gives new ID and access tokens")
secret_hash = AWSSRP.get_secret_hash("diego", client_id, client_secret)
renewed = idp.initiate_auth(
    AuthFlow="REFRESH_TOKEN_AUTH",
    ClientId=client_id,
    AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": secret_hash},
)["AuthenticationResult"]
Cognito(pool_id, client_id, id_token=renewed["IdToken"], access_token=renewed["AccessToken"]).verify_tokens()

step("without the client secret, SRP is refused")
message = refused(
    lambda: AWSSRP(username="diego", password="N3w!Password", pool_id=pool_id,
                   client_id=client_id, client=idp).authenticate_user(),
    "NotAuthorizedException",
)
assert "secret" in message, message

print("pycognito: all steps passed")
