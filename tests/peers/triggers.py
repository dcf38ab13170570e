"""Lambda triggers against `cognito-console serve`, with boto3 as the caller and real
function code (tests/functions, lambda_runtime) behind cargo-lambda's Invoke API. Each
trigger's event is read back as the function recorded it, and its effect is checked
through the API: a sign-up confirmed by pre sign-up, an invitation and codes rewritten
by CustomMessage, claims, groups and scopes changed by pre token generation (versions 1
and 2), a user migrated at sign-in and at a password reset, a custom challenge answered,
and every way a function can fail (it throws, it takes too long, it answers something
else, it does not exist), each leaving nothing half made.

Run by tests/store/triggers.rs with the serve endpoint, the directory the functions
record their events in, the binary and its database (for the outbox, as an admin reads
it). Every step asserts; the script exits non-zero on the first failure.
"""

import base64
import json
import os
import subprocess
import sys
import time

import peer
from peer import refused, step

endpoint, events_dir, binary, db = sys.argv[1:5]
idp = peer.client(endpoint)
ACCOUNT = "arn:aws:lambda:us-east-1:123456789012:function:"


def arn(name):
    return ACCOUNT + name


def events(pool_id, source):
    """The events the functions got for `pool_id` with this triggerSource, oldest first."""
    folder = os.path.join(events_dir, pool_id)
    if not os.path.isdir(folder):
        return []
    found = []
    for name in sorted(os.listdir(folder), key=lambda n: (int(n.split("-")[0]), n)):
        with open(os.path.join(folder, name)) as f:
            event = json.load(f)
        if event.get("triggerSource") == source:
            found.append(event)
    return found


def last_event(pool_id, source):
    got = events(pool_id, source)
    assert got, f"no {source} event for {pool_id}"
    return got[-1]


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def outbox(pool_id, username):
    return subprocess.run(
        [binary, "--db", db, "--pool", pool_id, "outbox", "--user", username],
        check=True, capture_output=True, text=True,
    ).stdout


def not_found(pool_id, username):
    refused(lambda: idp.admin_get_user(UserPoolId=pool_id, Username=username),
            "UserNotFoundException")


def pool_with(name, lambda_config, **extra):
    pool_id = idp.create_user_pool(
        PoolName=name,
        AutoVerifiedAttributes=["email"],
        LambdaConfig=lambda_config,
        **extra,
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def sign_in(client_id, username, password, metadata=None):
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
        ClientMetadata=metadata or {},
    )


step("a pool whose every trigger names a function; DescribeUserPool gives them back")
everything = {
    "PreSignUp": arn("pre-sign-up"),
    "CustomMessage": arn("custom-message"),
    "PostConfirmation": arn("record"),
    "PreAuthentication": arn("pre-authentication"),
    "PostAuthentication": arn("record"),
    "PreTokenGeneration": arn("pre-token-v1"),
    "UserMigration": arn("user-migration"),
    "DefineAuthChallenge": arn("define-auth-challenge"),
    "CreateAuthChallenge": arn("create-auth-challenge"),
    "VerifyAuthChallengeResponse": arn("verify-auth-challenge"),
}
pool_id, client_id = pool_with("triggers", everything)
described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"]
for trigger, function in everything.items():
    assert described[trigger] == function, described
idp.create_group(UserPoolId=pool_id, GroupName="staff")

step("pre sign-up confirms an invited sign-up and verifies its email; post confirmation follows")
signed = idp.sign_up(
    ClientId=client_id, Username="ines", Password="Ines-Passw0rd!",
    UserAttributes=[{"Name": "email", "Value": "ines@example.com"}],
    ValidationData=[{"Name": "invite", "Value": "yes"}],
    ClientMetadata={"campaign": "spring"},
)
assert signed["UserConfirmed"] is True, signed
assert "CodeDeliveryDetails" not in signed, signed
ines = idp.admin_get_user(UserPoolId=pool_id, Username="ines")
assert ines["UserStatus"] == "CONFIRMED", ines
assert {"Name": "email_verified", "Value": "true"} in ines["UserAttributes"], ines
event = last_event(pool_id, "PreSignUp_SignUp")
assert event["version"] == "1" and event["region"] == "us-east-1", event
assert event["userPoolId"] == pool_id and event["userName"] == "ines", event
assert event["callerContext"]["clientId"] == client_id, event
assert event["request"]["validationData"] == {"invite": "yes"}, event
assert event["request"]["clientMetadata"] == {"campaign": "spring"}, event
assert event["request"]["userAttributes"]["email"] == "ines@example.com", event
confirmed = last_event(pool_id, "PostConfirmation_ConfirmSignUp")
assert confirmed["userName"] == "ines", confirmed
assert confirmed["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED", confirmed
assert confirmed["request"]["clientMetadata"] == {"campaign": "spring"}, confirmed

step("a sign-up pre sign-up does not confirm gets its code in the CustomMessage function's words")
signed = idp.sign_up(
    ClientId=client_id, Username="omar", Password="Omar-Passw0rd!",
    UserAttributes=[{"Name": "email", "Value": "omar@example.com"}],
)
assert signed["UserConfirmed"] is False and signed["CodeDeliveryDetails"], signed
sent = outbox(pool_id, "omar")
assert "Custom: CustomMessage_SignUp" in sent, sent
assert "your code is" in sent and "{####}" not in sent, sent
event = last_event(pool_id, "CustomMessage_SignUp")
assert event["request"]["codeParameter"] == "{####}", event
assert event["request"]["usernameParameter"] is None, event
assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}, event

step("the post confirmation function runs when the code confirms the sign-up")
code = next(w for w in sent.split() if w.rstrip(".").isdigit() and len(w.rstrip(".")) == 6).rstrip(".")
idp.confirm_sign_up(ClientId=client_id, Username="omar", ConfirmationCode=code,
                    ClientMetadata={"from": "confirm"})
assert last_event(pool_id, "PostConfirmation_ConfirmSignUp")["userName"] == "omar"

step("pre sign-up's refusal is UserLambdaValidationException in Cognito's words, and no user is made")
message = refused(
    lambda: idp.sign_up(
        ClientId=client_id, Username="mallory", Password="Mallory-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "m@blocked.example"}],
    ),
    "UserLambdaValidationException",
)
assert message == "PreSignUp failed with error sign-ups from blocked.example are closed.", message
not_found(pool_id, "mallory")
message = refused(
    lambda: idp.admin_create_user(
        UserPoolId=pool_id, Username="mallory2",
        UserAttributes=[{"Name": "email", "Value": "m2@blocked.example"}],
        DesiredDeliveryMediums=["EMAIL"],
    ),
    "UserLambdaValidationException",
)
not_found(pool_id, "mallory2")

step("AdminCreateUser: pre sign-up sees the validation data and client metadata; the invitation is rewritten")
idp.admin_create_user(
    UserPoolId=pool_id, Username="ana", TemporaryPassword="Temp-Passw0rd1",
    UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
    ValidationData=[{"Name": "ticket", "Value": "T-1"}],
    ClientMetadata={"source": "admin"},
    DesiredDeliveryMediums=["EMAIL"],
)
event = last_event(pool_id, "PreSignUp_AdminCreateUser")
assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE", event
assert event["request"]["validationData"] == {"ticket": "T-1"}, event
assert event["request"]["clientMetadata"] == {"source": "admin"}, event
invite = last_event(pool_id, "CustomMessage_AdminCreateUser")
assert invite["request"]["usernameParameter"] == "{username}", invite
assert invite["request"]["clientMetadata"] == {"source": "admin"}, invite
sent = outbox(pool_id, "ana")
assert "Hello ana, your code is Temp-Passw0rd1. (CustomMessage_AdminCreateUser)" in sent, sent
assert "Custom: CustomMessage_AdminCreateUser" in sent, sent
# Pre sign-up's answer is ignored for AdminCreateUser: the user waits for a new password.
assert idp.admin_get_user(UserPoolId=pool_id, Username="ana")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

step("a message the function makes too long for SMS is not sent as written: the template goes")
idp.admin_create_user(
    UserPoolId=pool_id, Username="bruno", TemporaryPassword="Temp-Passw0rd2",
    UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    ClientMetadata={"length": "long"},
    DesiredDeliveryMediums=["SMS"],
)
sent = outbox(pool_id, "bruno")
assert "Temp-Passw0rd2" in sent and "xxxxxxxxxx" not in sent, sent

step("sign-in: pre authentication gets the client metadata; version 1 pre token generation changes the ID token")
idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ines", GroupName="staff")
tokens = sign_in(client_id, "ines", "Ines-Passw0rd!", {"device": "kiosk"})["AuthenticationResult"]
id_claims, access_claims = claims(tokens["IdToken"]), claims(tokens["AccessToken"])
assert id_claims["department"] == "from-the-trigger", id_claims
assert "email" not in id_claims, id_claims
assert id_claims["cognito:groups"] == ["trigger-group"], id_claims
assert access_claims["cognito:groups"] == ["trigger-group"], access_claims
assert "department" not in access_claims, access_claims
assert id_claims["sub"] == next(a["Value"] for a in ines["UserAttributes"] if a["Name"] == "sub")
pre = last_event(pool_id, "PreAuthentication_Authentication")
assert pre["request"]["validationData"] == {"device": "kiosk"}, pre
assert pre["request"]["userNotFound"] is False, pre
assert "clientMetadata" not in pre["request"], pre
token_event = last_event(pool_id, "TokenGeneration_Authentication")
assert token_event["version"] == "1", token_event
assert token_event["request"]["groupConfiguration"] == {
    "groupsToOverride": ["staff"], "iamRolesToOverride": [], "preferredRole": None,
}, token_event
assert last_event(pool_id, "PostAuthentication_Authentication")["request"]["newDeviceUsed"] is False

step("refreshing the tokens runs pre token generation again, not post authentication")
posts = len(events(pool_id, "PostAuthentication_Authentication"))
refreshed = idp.initiate_auth(
    ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
    AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
)["AuthenticationResult"]
assert claims(refreshed["IdToken"])["department"] == "from-the-trigger"
assert last_event(pool_id, "TokenGeneration_RefreshTokens")["userName"] == "ines"
assert len(events(pool_id, "PostAuthentication_Authentication")) == posts

step("pre authentication refuses a user: UserLambdaValidationException, no tokens")
idp.admin_create_user(UserPoolId=pool_id, Username="blocked", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=pool_id, Username="blocked",
                            Password="Blocked-Passw0rd!", Permanent=True)
message = refused(lambda: sign_in(client_id, "blocked", "Blocked-Passw0rd!"),
                  "UserLambdaValidationException")
assert message == "PreAuthentication failed with error blocked by policy.", message

step("user migration: a user of the old system signs in, and is a user of the pool from then on")
tokens = sign_in(client_id, "legacy-sam", "Legacy-Passw0rd")["AuthenticationResult"]
assert claims(tokens["AccessToken"])["username"] == "legacy-sam"
sam = idp.admin_get_user(UserPoolId=pool_id, Username="legacy-sam")
assert sam["UserStatus"] == "CONFIRMED", sam
assert {"Name": "email", "Value": "legacy-sam@legacy.example"} in sam["UserAttributes"], sam
migration = last_event(pool_id, "UserMigration_Authentication")
assert migration["request"]["password"] == "Legacy-Passw0rd", migration
assert migration["callerContext"]["clientId"] == client_id, migration
sign_in(client_id, "legacy-sam", "Legacy-Passw0rd")
assert len(events(pool_id, "UserMigration_Authentication")) == 1, "a migrated user is not migrated again"

step("a migration the function refuses makes no user")
message = refused(lambda: sign_in(client_id, "legacy-tom", "wrong"), "UserLambdaValidationException")
assert message == "UserMigration failed with error Bad password.", message
not_found(pool_id, "legacy-tom")

step("forgot password migrates the user RESET_REQUIRED and sends the code in the function's words")
details = idp.forgot_password(ClientId=client_id, Username="legacy-kim")["CodeDeliveryDetails"]
assert details["DeliveryMedium"] == "EMAIL", details
assert idp.admin_get_user(UserPoolId=pool_id, Username="legacy-kim")["UserStatus"] == "RESET_REQUIRED"
assert "password" not in last_event(pool_id, "UserMigration_ForgotPassword")["request"]
assert "Custom: CustomMessage_ForgotPassword" in outbox(pool_id, "legacy-kim")

step("custom authentication: a wrong answer asks again, the right one signs in")
started = idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                            AuthParameters={"USERNAME": "ines"})
assert started["ChallengeName"] == "CUSTOM_CHALLENGE", started
assert started["ChallengeParameters"]["question"] == "What is 6 times 7?", started
assert "answer" not in started["ChallengeParameters"], started
again = idp.respond_to_auth_challenge(
    ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=started["Session"],
    ChallengeResponses={"USERNAME": "ines", "ANSWER": "41"},
)
assert again["ChallengeName"] == "CUSTOM_CHALLENGE", again
done = idp.respond_to_auth_challenge(
    ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=again["Session"],
    ChallengeResponses={"USERNAME": "ines", "ANSWER": "42"},
    ClientMetadata={"step": "answer"},
)
assert claims(done["AuthenticationResult"]["IdToken"])["cognito:username"] == "ines", done
define = last_event(pool_id, "DefineAuthChallenge_Authentication")
assert define["request"]["session"] == [
    {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False, "challengeMetadata": "QUESTION-1"},
    {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True, "challengeMetadata": "QUESTION-1"},
], define
assert define["request"]["clientMetadata"] == {"step": "answer"}, define
verify = last_event(pool_id, "VerifyAuthChallengeResponse_Authentication")
assert verify["request"]["privateChallengeParameters"] == {"answer": "42"}, verify
assert verify["request"]["challengeAnswer"] == "42", verify
refused(lambda: idp.respond_to_auth_challenge(
    ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=again["Session"],
    ChallengeResponses={"USERNAME": "ines", "ANSWER": "42"},
), "NotAuthorizedException")

step("custom authentication fails after three wrong answers, as the function decides")
session = idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                            AuthParameters={"USERNAME": "ines"})["Session"]
for _ in range(2):
    session = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=session,
        ChallengeResponses={"USERNAME": "ines", "ANSWER": "0"},
    )["Session"]
refused(lambda: idp.respond_to_auth_challenge(
    ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=session,
    ChallengeResponses={"USERNAME": "ines", "ANSWER": "0"},
), "NotAuthorizedException")

step("version 2 pre token generation changes both tokens and the access token's scopes")
v2_pool, v2_client = pool_with("tokens-v2", {
    "PreTokenGenerationConfig": {"LambdaArn": arn("pre-token-v2"), "LambdaVersion": "V2_0"},
})
config = idp.describe_user_pool(UserPoolId=v2_pool)["UserPool"]["LambdaConfig"]
assert config["PreTokenGenerationConfig"]["LambdaVersion"] == "V2_0", config
idp.admin_create_user(UserPoolId=v2_pool, Username="vera", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=v2_pool, Username="vera",
                            Password="Vera-Passw0rd!", Permanent=True)
tokens = sign_in(v2_client, "vera", "Vera-Passw0rd!")["AuthenticationResult"]
id_claims, access_claims = claims(tokens["IdToken"]), claims(tokens["AccessToken"])
assert id_claims["tier"] == "gold" and access_claims["tier"] == "gold", (id_claims, access_claims)
assert access_claims["scope"] == "demo/read", access_claims
event = last_event(v2_pool, "TokenGeneration_Authentication")
assert event["version"] == "2", event
assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"], event

step("failures: a function that is too slow, one that answers something else, one that is not there")
fail_pool, _ = pool_with("failures", {"PreSignUp": arn("slow")})
started = time.monotonic()
message = refused(lambda: idp.admin_create_user(UserPoolId=fail_pool, Username="slowpoke",
                                                  MessageAction="SUPPRESS"),
                  "UnexpectedLambdaException")
waited = time.monotonic() - started
assert message == "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.", message
assert 14 <= waited < 30, f"three tries of five seconds, not {waited:.1f} s"
not_found(fail_pool, "slowpoke")
idp.update_user_pool(UserPoolId=fail_pool, LambdaConfig={"PreSignUp": arn("wrong-shape")})
message = refused(lambda: idp.admin_create_user(UserPoolId=fail_pool, Username="shape",
                                                  MessageAction="SUPPRESS"),
                  "InvalidLambdaResponseException")
assert message == "Unrecognizable lambda output", message
not_found(fail_pool, "shape")
idp.update_user_pool(UserPoolId=fail_pool, LambdaConfig={"PreSignUp": arn("no-such-function")})
message = refused(lambda: idp.admin_create_user(UserPoolId=fail_pool, Username="ghost",
                                                  MessageAction="SUPPRESS"),
                  "UnexpectedLambdaException")
assert message.startswith("PreSignUp invocation failed due to error "), message
not_found(fail_pool, "ghost")

step("a post confirmation that fails is the caller's error, and the confirmation stays")
post_pool, post_client = pool_with("post", {"PostConfirmation": arn("wrong-shape")})
idp.sign_up(ClientId=post_client, Username="pat", Password="Pat-Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "pat@example.com"}])
refused(lambda: idp.admin_confirm_sign_up(UserPoolId=post_pool, Username="pat"),
        "InvalidLambdaResponseException")
assert idp.admin_get_user(UserPoolId=post_pool, Username="pat")["UserStatus"] == "CONFIRMED"
event = last_event(post_pool, "PostConfirmation_ConfirmSignUp")
assert event["callerContext"]["clientId"] is None, event

step("custom authentication needs all three of its functions")
message = refused(lambda: idp.initiate_auth(ClientId=post_client, AuthFlow="CUSTOM_AUTH",
                                            AuthParameters={"USERNAME": "pat"}),
                  "InvalidParameterException")
assert "DefineAuthChallenge" in message, message

print("all steps passed")
