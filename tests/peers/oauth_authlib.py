"""OAuth 2.0 and OpenID Connect against `cognito-console serve`, with a relying party
nobody here wrote: Authlib (PyPI). A pool gets a prefix domain, a resource server with a
custom scope, a web client (authorization code with PKCE) and a service client (client
credentials). Authlib reads the discovery document, sends the user to /oauth2/authorize,
the sign-in form is posted as a browser posts it (its CSRF token and cookie included),
the code is exchanged with its PKCE verifier, the ID token is verified against the JWKS
the discovery document names (signature, issuer, audience, nonce, at_hash), the tokens
are refreshed, userInfo answers the scopes' attributes, and the service gets a token
with its custom scope. Then what must be refused: a redirect URI not registered, a code
used twice, a wrong verifier, a client without the flow, an unknown scope, HTML in a
username, a form without its CSRF token, a revoked refresh token. Each refused as
Cognito refuses it, with nothing issued.

Run by tests/store/oauth.rs with the serve endpoint as the only argument. Every step
asserts; the script exits non-zero on the first failure, saying which step it was.
"""

import re
import sys
import urllib.parse

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token
import warnings

warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
from authlib.jose import JsonWebKey, jwt  # noqa: E402
from authlib.oidc.core import CodeIDToken

import peer
from peer import refused, step

endpoint = sys.argv[1]
idp = peer.client(endpoint)
CALLBACK = "http://localhost:8765/callback"


def form_fields(html):
    """The hidden fields and the action of the page's form."""
    action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return urllib.parse.urljoin(endpoint, action.replace("&amp;", "&")), fields


def sign_in(browser, url, username, password):
    """A browser's walk from the authorize URL to the app's callback: the Location."""
    first = browser.get(url, allow_redirects=False)
    assert first.status_code == 302, first.text
    login = browser.get(first.headers["Location"], allow_redirects=False)
    assert login.status_code == 200, login.text
    action, fields = form_fields(login.text)
    fields.update(username=username, password=password)
    done = browser.post(action, data=fields, allow_redirects=False)
    return done


step("a pool with a domain, a resource server, a web client and a service client")
pool_id = idp.create_user_pool(PoolName="oauth")["UserPool"]["Id"]
idp.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app")
assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == "my-app"
idp.create_resource_server(
    UserPoolId=pool_id,
    Identifier="https://api.example.com",
    Name="api",
    Scopes=[{"ScopeName": "read", "ScopeDescription": "read things"}],
)
web = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="web",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["code"],
    AllowedOAuthScopes=["openid", "email", "profile", "https://api.example.com/read"],
    CallbackURLs=[CALLBACK],
    LogoutURLs=["http://localhost:8765/bye"],
    SupportedIdentityProviders=["COGNITO"],
)["UserPoolClient"]
service = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="service",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["https://api.example.com/read"],
)["UserPoolClient"]
refused(
    lambda: idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="bad",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials", "code"],
        AllowedOAuthScopes=["https://api.example.com/read"],
    ),
    "InvalidOAuthFlowException",
)
refused(
    lambda: idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="bad",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["https://api.example.com/write"],
        CallbackURLs=[CALLBACK],
    ),
    "ScopeDoesNotExistException",
)
idp.admin_create_user(
    UserPoolId=pool_id,
    Username="ana",
    TemporaryPassword="Temporary-Pass-1",
    MessageAction="SUPPRESS",
    UserAttributes=[
        {"Name": "email", "Value": "ana@example.com"},
        {"Name": "email_verified", "Value": "true"},
        {"Name": "phone_number", "Value": "+15555550100"},
        {"Name": "name", "Value": "Ana"},
    ],
)
idp.admin_set_user_password(
    UserPoolId=pool_id, Username="ana", Password="Correct-Horse-9", Permanent=True
)

step("the discovery document names the domain's endpoints and the keys")
issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
discovery = requests.get(f"{endpoint}/{pool_id}/.well-known/openid-configuration").json()
assert discovery["issuer"] == issuer, discovery
assert discovery["authorization_endpoint"] == f"{endpoint}/my-app/oauth2/authorize"
assert discovery["token_endpoint"] == f"{endpoint}/my-app/oauth2/token"
assert "client_secret_basic" in discovery["token_endpoint_auth_methods_supported"]
keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())

step("authorization code with PKCE: Authlib sends the user, the browser signs in")
app = OAuth2Session(
    web["ClientId"],
    web["ClientSecret"],
    scope="openid email",
    redirect_uri=CALLBACK,
    code_challenge_method="S256",
    token_endpoint_auth_method="client_secret_basic",
)
verifier = generate_token(64)
nonce = generate_token(20)
url, state = app.create_authorization_url(
    discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce
)
browser = requests.Session()
done = sign_in(browser, url, "ana", "Correct-Horse-9")
assert done.status_code == 302, done.text
callback = done.headers["Location"]
assert callback.startswith(CALLBACK + "?"), callback
assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))["state"] == state
token = app.fetch_token(
    discovery["token_endpoint"], authorization_response=callback, code_verifier=verifier
)
assert token["token_type"] == "Bearer" and "refresh_token" in token, token

step("the ID token verifies against the JWKS: issuer, audience, nonce, at_hash, the scopes' claims")
claims = jwt.decode(
    token["id_token"],
    keys,
    claims_cls=CodeIDToken,
    claims_options={"iss": {"values": [issuer]}, "aud": {"values": [web["ClientId"]]}},
    claims_params={"nonce": nonce, "access_token": token["access_token"]},
)
claims.validate()
assert claims["email"] == "ana@example.com" and claims["email_verified"] is True, claims
assert "phone_number" not in claims and "name" not in claims, "only what openid email opens"
assert claims["cognito:username"] == "ana"
access = jwt.decode(token["access_token"], keys)
assert access["scope"] == "openid email", access
assert access["client_id"] == web["ClientId"]

step("userInfo answers the scopes' attributes, the flags as strings")
info = app.get(discovery["userinfo_endpoint"]).json()
assert info == {"sub": claims["sub"], "email": "ana@example.com", "email_verified": "true", "username": "ana"}, info
nope = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer nonsense"})
assert nope.status_code == 401 and "invalid_token" in nope.headers["WWW-Authenticate"]

step("the API refuses a token without aws.cognito.signin.user.admin")
refused(lambda: idp.get_user(AccessToken=token["access_token"]), "NotAuthorizedException")

step("the tokens refresh, keeping their scopes")
refreshed = app.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
assert jwt.decode(refreshed["access_token"], keys)["scope"] == "openid email"
assert "id_token" in refreshed, refreshed
assert refreshed.get("refresh_token") in (None, token["refresh_token"]), "no new refresh token"

step("a second sign-in within the hour needs no password")
again_url, _ = app.create_authorization_url(
    discovery["authorization_endpoint"], code_verifier=generate_token(64)
)
again = browser.get(again_url, allow_redirects=False)
assert again.status_code == 302 and again.headers["Location"].startswith(CALLBACK + "?code="), again.headers

step("client credentials: the service gets its custom scope, and nothing else")
svc = OAuth2Session(service["ClientId"], service["ClientSecret"], scope="https://api.example.com/read")
svc_token = svc.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
assert "refresh_token" not in svc_token and "id_token" not in svc_token, svc_token
svc_claims = jwt.decode(svc_token["access_token"], keys)
svc_claims.validate()
assert svc_claims["sub"] == service["ClientId"] and svc_claims["scope"] == "https://api.example.com/read"
post = requests.post(
    discovery["token_endpoint"],
    data={
        "grant_type": "client_credentials",
        "client_id": service["ClientId"],
        "client_secret": service["ClientSecret"],
        "scope": "https://api.example.com/nothing",
    },
)
assert post.status_code == 400 and post.json()["error"] == "invalid_scope", post.text

step("refused: a redirect URI not registered is an error page, never a redirect")
bad, _ = app.create_authorization_url(
    discovery["authorization_endpoint"], redirect_uri="http://localhost:8765/elsewhere"
)
page = requests.get(bad, allow_redirects=False)
assert page.status_code == 400 and "Location" not in page.headers and "redirect_mismatch" in page.text

step("refused: an unknown scope goes back to the app as invalid_scope")
bad = url.replace("scope=openid+email", "scope=openid+phone")
sent_back = browser.get(bad, allow_redirects=False)
assert "error=invalid_scope" in sent_back.headers["Location"], sent_back.headers

step("refused: a code used twice, a wrong verifier, a wrong redirect URI, a wrong secret")
fresh_verifier = generate_token(64)
url2, _ = app.create_authorization_url(discovery["authorization_endpoint"], code_verifier=fresh_verifier)
code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
    browser.get(url2, allow_redirects=False).headers["Location"]).query))["code"]


def exchange(code, verifier, redirect=CALLBACK, secret=web["ClientSecret"]):
    return requests.post(
        discovery["token_endpoint"],
        auth=(web["ClientId"], secret),
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "code_verifier": verifier},
    )


assert exchange(code, fresh_verifier, secret="wrong-secret").json()["error"] == "invalid_client"
wrong = exchange(code, generate_token(64))
assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant", wrong.text
assert exchange(code, fresh_verifier).json()["error"] == "invalid_grant", "the code is gone after one try"
url3, _ = app.create_authorization_url(discovery["authorization_endpoint"], code_verifier=fresh_verifier)
code3 = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
    browser.get(url3, allow_redirects=False).headers["Location"]).query))["code"]
moved = exchange(code3, fresh_verifier, redirect="http://localhost:8765/other")
assert moved.json() == {"error": "unauthorized_client", "error_description": "invalid_redirect"}, moved.text

step("refused: a client without the flow")
nocc = requests.post(
    discovery["token_endpoint"],
    auth=(web["ClientId"], web["ClientSecret"]),
    data={"grant_type": "client_credentials"},
)
assert nocc.json()["error"] == "unauthorized_client", nocc.text

step("refused: a form without its CSRF token; HTML in a username comes back escaped")
stranger = requests.Session()
login = stranger.get(stranger.get(url, allow_redirects=False).headers["Location"])
action, fields = form_fields(login.text)
forged = requests.post(action, data={"username": "ana", "password": "Correct-Horse-9"}, allow_redirects=False)
assert forged.status_code == 403 and "Location" not in forged.headers
fields.update(username="<script>alert(1)</script>", password="x")
escaped = stranger.post(action, data=fields, allow_redirects=False)
assert escaped.status_code == 400 and "<script>alert(1)</script>" not in escaped.text, escaped.text
assert "&lt;script&gt;" in escaped.text

step("revoked: the refresh token, then its access token at userInfo")
revoked = requests.post(
    discovery["revocation_endpoint"],
    auth=(web["ClientId"], web["ClientSecret"]),
    data={"token": token["refresh_token"]},
)
assert revoked.status_code == 200 and revoked.text == "", revoked.text
again = requests.post(
    discovery["token_endpoint"],
    auth=(web["ClientId"], web["ClientSecret"]),
    data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
)
assert again.json()["error"] == "invalid_grant", again.text
gone = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"})
assert gone.status_code == 401, gone.status_code

step("sign-out: back to a registered URL only, and the session is over")
out = browser.get(
    f"{endpoint}/my-app/logout",
    params={"client_id": web["ClientId"], "logout_uri": "http://localhost:8765/bye"},
    allow_redirects=False,
)
assert out.status_code == 302 and out.headers["Location"] == "http://localhost:8765/bye"
after = browser.get(again_url, allow_redirects=False)
assert "/my-app/login?" in after.headers["Location"], "a password again"
bad_out = browser.get(
    f"{endpoint}/my-app/logout",
    params={"client_id": web["ClientId"], "logout_uri": "https://evil.example/"},
    allow_redirects=False,
)
assert bad_out.status_code == 400 and "Location" not in bad_out.headers

print("all steps passed")
