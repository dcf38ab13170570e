"""The managed login page in a real browser: Debian's Chromium, headless, driven by
selenium (PyPI) through chromedriver, against `cognito-console serve`. A pool that
requires an authenticator app, a domain, a web client with the code grant and PKCE
(Authlib makes the URL and redeems the code), and a user an administrator made with a
temporary password. The first sign-in types the temporary password, must choose a new
one (the two boxes must agree), then sets up an authenticator from the secret the page
shows (pyotp is the app; a wrong code is refused on the page), and lands on the app's
callback with a code that Authlib exchanges for tokens. After signing out, the second
sign-in asks for the authenticator's code. No script runs on the pages.

Run by tests/store/oauth.rs with the serve endpoint as the only argument. Every step
asserts; the script exits non-zero on the first failure, saying which step it was.
"""

import http.server
import shutil
import tempfile
import threading
import time
import urllib.parse
import sys
import warnings

warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")

import pyotp
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

import peer
from peer import step

endpoint = sys.argv[1]
idp = peer.client(endpoint)


class Callback(http.server.BaseHTTPRequestHandler):
    """The app's callback: keeps the last query it was sent."""

    last = None

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path)
        if path.path == "/callback":
            Callback.last = path.query
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<h1>Back in the app</h1>")

    def log_message(self, *args):
        pass


app_server = http.server.HTTPServer(("127.0.0.1", 0), Callback)
threading.Thread(target=app_server.serve_forever, daemon=True).start()
CALLBACK = f"http://localhost:{app_server.server_port}/callback"
SIGNED_OUT = f"http://localhost:{app_server.server_port}/signed-out"

step("a pool that requires an authenticator app, its domain and a web client")
pool_id = idp.create_user_pool(PoolName="browser")["UserPool"]["Id"]
idp.set_user_pool_mfa_config(
    UserPoolId=pool_id,
    MfaConfiguration="ON",
    SoftwareTokenMfaConfiguration={"Enabled": True},
)
idp.create_user_pool_domain(UserPoolId=pool_id, Domain="browser-test")
web = idp.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="web",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["code"],
    AllowedOAuthScopes=["openid", "email"],
    CallbackURLs=[CALLBACK],
    LogoutURLs=[SIGNED_OUT],
    SupportedIdentityProviders=["COGNITO"],
)["UserPoolClient"]
idp.admin_create_user(
    UserPoolId=pool_id,
    Username="maya",
    TemporaryPassword="Temporary-Pass-1",
    MessageAction="SUPPRESS",
    UserAttributes=[{"Name": "email", "Value": "maya@example.com"}],
)
base = f"{endpoint}/browser-test"
app = OAuth2Session(
    web["ClientId"],
    web["ClientSecret"],
    scope="openid email",
    redirect_uri=CALLBACK,
    code_challenge_method="S256",
)

options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
profile = tempfile.mkdtemp()
for flag in [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--user-data-dir={profile}",
]:
    options.add_argument(flag)
options.add_experimental_option("prefs", {"profile.password_manager_leak_detection": False})
driver = webdriver.Chrome(
    service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
)
driver.set_page_load_timeout(30)


def fill(field, value):
    box = driver.find_element(By.NAME, field)
    box.clear()
    box.send_keys(value)


def submit():
    """Posts the form and waits for the page that answers it."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # While the old page is being replaced, chromedriver may answer a look at it with
    # "Node with given id does not belong to the document" instead of "stale element":
    # that too means the page is going, so look again until it is gone.
    WebDriverWait(driver, 20, ignored_exceptions=(WebDriverException,)).until(
        expected_conditions.staleness_of(page)
    )


def heading():
    return driver.find_element(By.TAG_NAME, "h1").text


def sign_in_url():
    verifier = generate_token(64)
    url, state = app.create_authorization_url(f"{base}/oauth2/authorize", code_verifier=verifier)
    return url, state, verifier


def redeem(state, verifier):
    assert driver.current_url.startswith(CALLBACK), driver.current_url
    query = dict(urllib.parse.parse_qsl(Callback.last))
    assert query.get("state") == state, (driver.current_url, Callback.last)
    token = app.fetch_token(
        f"{base}/oauth2/token",
        authorization_response=f"{CALLBACK}?{Callback.last}",
        code_verifier=verifier,
    )
    assert token["token_type"] == "Bearer" and token["id_token"], token
    return token


try:
    step("the browser is sent to the sign-in page, which runs no script")
    url, state, verifier = sign_in_url()
    driver.get(url)
    assert heading() == "Sign in", driver.page_source
    assert "/browser-test/login?" in driver.current_url
    assert not driver.find_elements(By.TAG_NAME, "script")

    step("a wrong password is said on the page, the username kept")
    fill("username", "maya")
    fill("password", "Wrong-Pass-1")
    submit()
    assert "Incorrect username or password." in driver.page_source
    assert driver.find_element(By.NAME, "username").get_attribute("value") == "maya"

    step("the temporary password leads to a new password, typed twice")
    fill("password", "Temporary-Pass-1")
    submit()
    assert heading() == "Change your password", driver.page_source
    fill("new_password", "Brand-New-Pass-2")
    fill("confirm_password", "Brand-New-Pass-3")
    submit()
    assert "The two passwords differ." in driver.page_source
    fill("new_password", "Brand-New-Pass-2")
    fill("confirm_password", "Brand-New-Pass-2")
    submit()

    step("the pool requires an authenticator: its secret is shown, a wrong code refused")
    assert heading() == "Set up your authenticator app", driver.page_source
    assert driver.find_elements(By.CSS_SELECTOR, "svg"), "a QR code"
    secret = driver.find_element(By.ID, "secret").text
    authenticator = pyotp.TOTP(secret)
    fill("code", "000000" if authenticator.now() != "000000" else "111111")
    submit()
    assert heading() == "Set up your authenticator app"
    assert driver.find_element(By.ID, "secret").text == secret
    fill("code", authenticator.now())
    submit()

    step("back in the app with a code that Authlib exchanges for tokens")
    first = redeem(state, verifier)

    step("signed out, the next sign-in asks for the authenticator's code")
    driver.get(
        f"{base}/logout?"
        + urllib.parse.urlencode({"client_id": web["ClientId"], "logout_uri": SIGNED_OUT})
    )
    assert driver.current_url.startswith(SIGNED_OUT), driver.current_url
    url, state, verifier = sign_in_url()
    driver.get(url)
    assert heading() == "Sign in", "a password again after signing out"
    fill("username", "maya")
    fill("password", "Brand-New-Pass-2")
    submit()
    assert heading() == "Enter your code", driver.page_source
    # The set-up took this step's code: the next step's is within Cognito's drift.
    fill("code", authenticator.at(time.time() + 30))
    submit()
    second = redeem(state, verifier)
    assert second["access_token"] != first["access_token"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="maya")
    assert user["UserStatus"] == "CONFIRMED", user
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA", user
finally:
    driver.quit()
    app_server.shutdown()
    shutil.rmtree(profile, ignore_errors=True)

print("all steps passed")
