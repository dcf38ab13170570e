"""MFA against `cognito-console serve` with clients nobody here wrote: pycognito signs in
by SRP, pyotp is the authenticator app, boto3 makes the calls. A pool that requires MFA
sends a new user through MFA_SETUP (AssociateSoftwareToken and VerifySoftwareToken with
the challenge's session, then RespondToAuthChallenge); the next sign-in asks for
SOFTWARE_TOKEN_MFA, where a wrong code is refused, a right one signs in, and the same
code again is refused.

Run by tests/store/srp_pycognito.rs with the serve endpoint as the only argument. Every
step asserts; the script exits non-zero on the first failure, saying which step it was.
"""

import json
import os
import sys
import time
import urllib.request

import peer
from peer import refused, step
import pyotp
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SoftwareTokenMFAChallengeException

endpoint = sys.argv[1]
idp = peer.client(endpoint)




step("a pool that requires MFA by authenticator app, an SRP client with a secret, a user")
pool_id = idp.create_user_pool(PoolName="mfa")["UserPool"]["Id"]
refused(
    lambda: idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON"),
    "InvalidParameterException",
)
config = idp.set_user_pool_mfa_config(
    UserPoolId=pool_id,
    MfaConfiguration="ON",
    SoftwareTokenMfaConfiguration={"Enabled": True},
)
assert config["MfaConfiguration"] == "ON", config
assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "ON"
app = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="web",
    GenerateSecret=True,
    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]
client_id, client_secret = app["ClientId"], app["ClientSecret"]
idp.admin_create_user(UserPoolId=pool_id, Username="maya", MessageAction="SUPPRESS")
idp.admin_set_user_password(
    UserPoolId=pool_id, Username="maya", Password="Passw0rd!x", Permanent=True
)
secret_hash = AWSSRP.get_secret_hash("maya", client_id, client_secret)

step("SRP with the right password leads to MFA_SETUP")
answer = AWSSRP(
    username="maya",
    password="Passw0rd!x",
    pool_id=pool_id,
    client_id=client_id,
    client_secret=client_secret,
    client=idp,
).authenticate_user()
assert answer["ChallengeName"] == "MFA_SETUP", answer
assert json.loads(answer["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]

step("AssociateSoftwareToken with the session gives a base32 secret and a new session")
associated = idp.associate_software_token(Session=answer["Session"])
secret = associated["SecretCode"]
assert len(secret) >= 16 and secret == secret.upper(), secret
authenticator = pyotp.TOTP(secret)
assert associated["Session"] != answer["Session"]

step("a wrong code is EnableSoftwareTokenMFAException; pyotp's code verifies")
wrong = "000000" if authenticator.now() != "000000" else "111111"
refused(
    lambda: idp.verify_software_token(Session=associated["Session"], UserCode=wrong),
    "EnableSoftwareTokenMFAException",
)
verified = idp.verify_software_token(
    Session=associated["Session"], UserCode=authenticator.now(), FriendlyDeviceName="pyotp"
)
assert verified["Status"] == "SUCCESS", verified

step("MFA_SETUP answered with the verified session signs in")
done = idp.respond_to_auth_challenge(
    ClientId=client_id,
    ChallengeName="MFA_SETUP",
    Session=verified["Session"],
    ChallengeResponses={"USERNAME": "maya", "SECRET_HASH": secret_hash},
)
assert done["AuthenticationResult"]["TokenType"] == "Bearer", done
user = idp.admin_get_user(UserPoolId=pool_id, Username="maya")
assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"], user
assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA", user

step("pycognito's next sign-in is asked for the authenticator's code")
# pycognito verifies the tokens it is given against the pool's JWKS, published by serve.
with urllib.request.urlopen(f"{endpoint}/{pool_id}/.well-known/jwks.json") as r:
    os.environ["COGNITO_JWKS"] = r.read().decode()
maya = Cognito(
    pool_id, client_id, client_secret=client_secret, username="maya", access_key="test", secret_key="test"
)
maya.client = idp
try:
    maya.authenticate(password="Passw0rd!x")
    raise AssertionError("signed in without the second factor")
except SoftwareTokenMFAChallengeException as challenge:
    tokens = challenge.get_tokens()
assert tokens["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "pyotp", tokens

step("a wrong code is CodeMismatchException; the next step's code signs in")
refused(lambda: maya.respond_to_software_token_mfa_challenge(wrong, tokens), "CodeMismatchException")
# The code of this step was taken by VerifySoftwareToken: the next step's is within the
# minute of drift Cognito allows, and has not been used.
code = authenticator.at(time.time() + 30)
maya.respond_to_software_token_mfa_challenge(code, tokens)
assert maya.access_token and maya.id_token

step("the same code again is refused")
try:
    maya.authenticate(password="Passw0rd!x")
    raise AssertionError("signed in without the second factor")
except SoftwareTokenMFAChallengeException as challenge:
    again = challenge.get_tokens()
refused(lambda: maya.respond_to_software_token_mfa_challenge(code, again), "ExpiredCodeException")

print("all steps passed")
