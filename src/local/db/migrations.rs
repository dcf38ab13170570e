//! The store's schema, one entry per version: append, never edit.

use rusqlite_migration::M;

pub const MIGRATIONS: &[M<'static>] = &[
    M::up(
        r#"
CREATE TABLE user_pools (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created     REAL NOT NULL,
    modified    REAL NOT NULL,
    -- every setting, keyed and shaped as Cognito's UserPoolType
    settings    TEXT NOT NULL,
    -- kept in step with users so EstimatedNumberOfUsers needs no count
    user_count  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE users (
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    -- the username as given, and the key it is unique by (lower case in a
    -- case-insensitive pool)
    username    TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sub         TEXT NOT NULL,
    status      TEXT NOT NULL,
    enabled     INTEGER NOT NULL,
    created     REAL NOT NULL,
    modified    REAL NOT NULL,
    -- JSON [[name, value], ...] without sub, in the order given
    attributes  TEXT NOT NULL,
    -- searchable attributes, copied out of `attributes` in the same statement
    email       TEXT,
    phone_number TEXT,
    name        TEXT,
    given_name  TEXT,
    family_name TEXT,
    preferred_username TEXT,
    email_verified INTEGER NOT NULL DEFAULT 0,
    phone_number_verified INTEGER NOT NULL DEFAULT 0,
    -- SRP verifier, never the password
    password_salt BLOB,
    password_verifier BLOB,
    temporary_password_expires REAL,
    PRIMARY KEY (pool_id, username_key)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX users_by_sub ON users(pool_id, sub);
CREATE INDEX users_by_email ON users(pool_id, email, username_key);
CREATE INDEX users_by_phone_number ON users(pool_id, phone_number, username_key);
CREATE INDEX users_by_name ON users(pool_id, name, username_key);
CREATE INDEX users_by_given_name ON users(pool_id, given_name, username_key);
CREATE INDEX users_by_family_name ON users(pool_id, family_name, username_key);
CREATE INDEX users_by_preferred_username ON users(pool_id, preferred_username, username_key);
CREATE INDEX users_by_status ON users(pool_id, status, username_key);
CREATE INDEX users_by_enabled ON users(pool_id, enabled, username_key);

-- Invitations as Cognito would have sent them. The local store's mailbox: with no
-- email or SMS provider, this is where a generated temporary password reaches the admin.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    username    TEXT NOT NULL,
    medium      TEXT NOT NULL,
    destination TEXT,
    subject     TEXT,
    body        TEXT,
    delivered   INTEGER NOT NULL,
    -- why it was not delivered, when it was not
    reason      TEXT,
    created     REAL NOT NULL
) STRICT;
CREATE INDEX outbox_by_user ON outbox(pool_id, username);
"#,
    ),
    M::up(
        r#"
-- App clients. The secret is kept as Cognito keeps it: DescribeUserPoolClient returns it.
CREATE TABLE user_pool_clients (
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    secret      TEXT,
    created     REAL NOT NULL,
    modified    REAL NOT NULL,
    -- every other member of UserPoolClientType, as sent or defaulted
    settings    TEXT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
) STRICT;
CREATE UNIQUE INDEX user_pool_clients_by_id ON user_pool_clients(client_id);
"#,
    ),
    M::up(
        r#"
-- Sign-in. Failed password attempts and the lockout they earn.
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until REAL;

-- Sessions between an InitiateAuth and the answer to its challenge, keyed by the SHA-256
-- of the session token the caller holds (the token itself is never stored).
CREATE TABLE auth_sessions (
    token_hash  BLOB PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL,
    username_key TEXT NOT NULL,
    challenge   TEXT NOT NULL,
    -- PASSWORD_VERIFIER only: the server's secret b and the client's A
    srp_secret  BLOB,
    srp_client_public BLOB,
    expires     REAL NOT NULL
) STRICT;
CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires);

-- Refresh tokens, by SHA-256 as well.
CREATE TABLE refresh_tokens (
    token_hash  BLOB PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL,
    sub         TEXT NOT NULL,
    auth_time   INTEGER NOT NULL,
    expires     REAL NOT NULL
) STRICT;

-- One RS256 key per pool, made the first time the pool signs a token or shows its keys.
CREATE TABLE signing_keys (
    pool_id     TEXT PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
    kid         TEXT NOT NULL,
    -- PKCS#8 DER private key
    private_key BLOB NOT NULL,
    created     REAL NOT NULL
) STRICT;
"#,
    ),
    M::up(
        r#"
-- Global sign-out marks a user's refresh tokens revoked, so a later refresh is told so.
ALTER TABLE refresh_tokens ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(pool_id, sub);
"#,
    ),
    M::up(
        r#"
-- One-time codes: a forgotten password's reset, a sign-up's confirmation. One live code
-- per user and purpose, kept by SHA-256; wrong tries are counted against it.
CREATE TABLE codes (
    pool_id     TEXT NOT NULL,
    username_key TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    code_hash   BLOB NOT NULL,
    -- the attribute the code was sent to (email, phone_number): confirming verifies it
    attribute   TEXT,
    expires     REAL NOT NULL,
    failed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, username_key, purpose),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The sign-in a refresh token (and every access token made from it) belongs to: the
-- `origin_jti` claim. Revoking the refresh token refuses those access tokens too.
ALTER TABLE refresh_tokens ADD COLUMN origin_jti TEXT;
CREATE INDEX refresh_tokens_by_origin ON refresh_tokens(origin_jti);
"#,
    ),
    M::up(
        r#"
-- Groups, and who is in them. Deleting a group or a user removes its memberships.
CREATE TABLE groups (
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    role_arn    TEXT,
    precedence  INTEGER,
    created     REAL NOT NULL,
    modified    REAL NOT NULL,
    PRIMARY KEY (pool_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE group_members (
    pool_id     TEXT NOT NULL,
    group_name  TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups(pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_by_user ON group_members(pool_id, username_key, group_name);
"#,
    ),
    M::up(
        r#"
-- Cognito's user import jobs: the CSV uploaded to the job's pre-signed URL, its status
-- and counts. The upload token is kept by SHA-256.
CREATE TABLE import_jobs (
    job_id      TEXT PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    role_arn    TEXT NOT NULL,
    status      TEXT NOT NULL,
    token_hash  BLOB NOT NULL,
    csv         BLOB,
    created     REAL NOT NULL,
    started     REAL,
    completed   REAL,
    imported    INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    message     TEXT
) STRICT;
CREATE INDEX import_jobs_by_pool ON import_jobs(pool_id, created, job_id);
"#,
    ),
    M::up(
        r#"
-- The searchable attributes most users lack are indexed only where a user has them: a
-- search names a value (= or ^=), which implies one, so every search still uses its
-- index, and a user without a name or phone costs no entry in those indexes.
DROP INDEX users_by_email;
DROP INDEX users_by_phone_number;
DROP INDEX users_by_name;
DROP INDEX users_by_given_name;
DROP INDEX users_by_family_name;
DROP INDEX users_by_preferred_username;
CREATE INDEX users_by_email ON users(pool_id, email, username_key) WHERE email IS NOT NULL;
CREATE INDEX users_by_phone_number ON users(pool_id, phone_number, username_key)
    WHERE phone_number IS NOT NULL;
CREATE INDEX users_by_name ON users(pool_id, name, username_key) WHERE name IS NOT NULL;
CREATE INDEX users_by_given_name ON users(pool_id, given_name, username_key)
    WHERE given_name IS NOT NULL;
CREATE INDEX users_by_family_name ON users(pool_id, family_name, username_key)
    WHERE family_name IS NOT NULL;
CREATE INDEX users_by_preferred_username ON users(pool_id, preferred_username, username_key)
    WHERE preferred_username IS NOT NULL;
"#,
    ),
    M::up(
        r#"
-- Mail relayed by SMTP (`--smtp`). An email goes out by SMTP when a relay was running
-- on this database as it was made; `relay` is NULL for the rest (SMS, not delivered,
-- no relay), else 'pending', 'sent' or 'failed'. `relay_next` is when a relay may take
-- it (again): set while pending or failed with tries left, NULL once sent or given up.
ALTER TABLE outbox ADD COLUMN sender TEXT;
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
ALTER TABLE outbox ADD COLUMN relay TEXT;
ALTER TABLE outbox ADD COLUMN relay_error TEXT;
ALTER TABLE outbox ADD COLUMN relay_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN relay_next REAL;
ALTER TABLE outbox ADD COLUMN relay_sent REAL;
CREATE INDEX outbox_to_relay ON outbox(relay_next) WHERE relay_next IS NOT NULL;

-- The relays running on this database, one per process started with --smtp, each
-- alive while it renews `alive_until`.
CREATE TABLE relays (
    id          TEXT PRIMARY KEY,
    server      TEXT NOT NULL,
    alive_until REAL NOT NULL
) STRICT;
"#,
    ),
    M::up(
        r#"
-- The audit log: every sign-in to the console and every change made through it, from
-- SSH sessions and local ones alike. A change is written before it is made ('pending')
-- and its outcome after ('done', 'refused'; 'abandoned' when its session ended first).
-- No foreign keys: deleting a pool or a user keeps what was done to them.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          REAL NOT NULL,
    session     TEXT NOT NULL,
    admin       TEXT NOT NULL,
    key_fingerprint TEXT,
    origin      TEXT NOT NULL,
    read_only   INTEGER NOT NULL,
    pool_id     TEXT,
    username    TEXT,
    action      TEXT NOT NULL,
    -- JSON ["what changed", ...]
    details     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    finished    REAL
) STRICT;
CREATE INDEX audit_by_admin ON audit(admin, id);
CREATE INDEX audit_by_user ON audit(pool_id, username, id);
CREATE INDEX audit_pending ON audit(session) WHERE outcome = 'pending';
"#,
    ),
    M::up(
        r#"
-- Each user's MFA: the factors they turned on and the one they prefer, and their
-- authenticator app (software token): its secret once verified, the name they gave the
-- device, the last time step a code of it was taken for (a code is good once), and a new
-- secret waiting to be verified (AssociateSoftwareToken, until VerifySoftwareToken).
-- Secrets are kept as given, in this file only its owner may read; they are never logged
-- and never returned after AssociateSoftwareToken.
CREATE TABLE user_mfa (
    pool_id     TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sms         INTEGER NOT NULL DEFAULT 0,
    software_token INTEGER NOT NULL DEFAULT 0,
    email       INTEGER NOT NULL DEFAULT 0,
    preferred   TEXT,
    token_secret TEXT,
    token_device TEXT,
    token_last_step INTEGER,
    pending_secret TEXT,
    PRIMARY KEY (pool_id, username_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
"#,
    ),
    M::up(
        r#"
-- A custom authentication's rounds (CUSTOM_AUTH): the challenges so far and their
-- results, and the private challenge parameters the next answer is checked against, as
-- the JSON the Define/Create/Verify auth challenge functions see. Null for every other
-- challenge.
ALTER TABLE auth_sessions ADD COLUMN custom_state TEXT;
"#,
    ),
    M::up(
        r#"
-- An app client's secrets: up to two at a time, so that a secret can be rotated without
-- downtime (AddUserPoolClientSecret). Each is named <client-id>--<epoch milliseconds of
-- its creation>; the oldest is the one DescribeUserPoolClient returns, and a SECRET_HASH
-- made with any of them is accepted. Moved here from user_pool_clients.secret.
CREATE TABLE client_secrets (
    pool_id     TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    secret_id   TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created     REAL NOT NULL,
    PRIMARY KEY (pool_id, client_id, secret_id),
    FOREIGN KEY (pool_id, client_id) REFERENCES user_pool_clients(pool_id, client_id)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
INSERT INTO client_secrets (pool_id, client_id, secret_id, secret, created)
    SELECT pool_id, client_id, client_id || '--' || CAST(created * 1000 AS INTEGER), secret, created
    FROM user_pool_clients WHERE secret IS NOT NULL;
ALTER TABLE user_pool_clients DROP COLUMN secret;
"#,
    ),
    M::up(
        r#"
-- A changed email or phone number that waits for its verification before it becomes the
-- user's (UserAttributeUpdateSettings): the new value, kept with the code sent to it.
ALTER TABLE codes ADD COLUMN pending_value TEXT;
"#,
    ),
    M::up(
        r#"
-- OAuth 2.0. A pool's prefix domain (one at most; a prefix is the pool's alone), its
-- resource servers with their custom scopes (JSON [{ScopeName, ScopeDescription}]), the
-- authorization codes the managed login hands out (hashed; five minutes, good once,
-- bound to the client, redirect URI, scopes, nonce and PKCE challenge), and the managed
-- login's sessions (hashed cookie; an hour), for a second sign-in without a password.
CREATE TABLE user_pool_domains (
    domain      TEXT PRIMARY KEY,
    pool_id     TEXT NOT NULL UNIQUE REFERENCES user_pools(id) ON DELETE CASCADE,
    managed_login_version INTEGER NOT NULL,
    created     REAL NOT NULL
) STRICT;
CREATE TABLE resource_servers (
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    identifier  TEXT NOT NULL,
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier)
) STRICT, WITHOUT ROWID;
CREATE TABLE oauth_codes (
    code_hash   BLOB PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL,
    sub         TEXT NOT NULL,
    auth_time   INTEGER NOT NULL,
    redirect_uri TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    nonce       TEXT,
    challenge   TEXT,
    expires     REAL NOT NULL
) STRICT;
CREATE TABLE hosted_sessions (
    token_hash  BLOB PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    sub         TEXT NOT NULL,
    auth_time   INTEGER NOT NULL,
    expires     REAL NOT NULL
) STRICT;
-- The OAuth scopes a sign-in through the managed login was granted: its refreshed
-- access tokens keep them. Null for the API's sign-ins (aws.cognito.signin.user.admin).
ALTER TABLE refresh_tokens ADD COLUMN scopes TEXT;
"#,
    ),
    M::up(
        r#"
-- The console's filters and orders by date, in the store (ops/scan_users.rs): "created
-- before", "updated since", newest first, each a range or a walk of one of these.
CREATE INDEX users_by_created ON users(pool_id, created, username_key);
CREATE INDEX users_by_modified ON users(pool_id, modified, username_key);
"#,
    ),
    M::up(
        r#"
-- A wrong password for a user who does not exist, where the client hides whether users
-- exist: written down as a real user's failed attempt is, so the two cost the same
-- write. A slot per hash of the name, 1,024 a pool at most, so no sign-in spray grows it.
CREATE TABLE decoy_attempts (
    pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    slot        INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    last        REAL NOT NULL,
    PRIMARY KEY (pool_id, slot)
) STRICT, WITHOUT ROWID;
"#,
    ),
    M::up(
        r#"
-- Why each row of an import job failed: Cognito writes it to CloudWatch; here it is kept
-- with the job (the CSV's line, the username, the reason), for the console and `import`.
CREATE TABLE import_job_failures (
    job_id      TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    username    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (job_id, line)
) STRICT, WITHOUT ROWID;
"#,
    ),
    M::up(
        r#"
-- USER_SRP_AUTH: the SRP_B a PASSWORD_VERIFIER challenge sent, kept so the answer's
-- u = H(A | B) is the client's without computing B again. Null for other challenges,
-- and for a session from before this column (B is then computed from b and v).
ALTER TABLE auth_sessions ADD COLUMN srp_server_public BLOB;
"#,
    ),
];
