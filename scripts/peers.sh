# Sourced by scripts/test and scripts/bench: installs the peers (the OpenSSH client,
# Chromium and Valgrind from Debian; moto server, the aws CLI, boto3, cargo-lambda into
# .venv), starts moto server on a free loopback port, and the test Lambda functions
# (tests/functions) behind cargo-lambda's Invoke API on another, exporting MOTO_ENDPOINT,
# LAMBDA_ENDPOINT, TRIGGER_EVENTS and AWS_CLI. Both are stopped when the calling script exits.

# Installs Debian package $2 unless command $1 is there (as root, or through sudo).
debian_package() {
    command -v "$1" >/dev/null 2>&1 && return 0
    install_debian "$2" "$1"
}

# Installs Debian package $2 unless file $1 is there.
debian_file() {
    [ -e "$1" ] && return 0
    install_debian "$2" "$1"
}

install_debian() {
    echo "installing $1 (Debian) for $2" >&2
    local as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get install -y -q "$1" >/dev/null 2>&1 ||
        { "${as_root[@]}" apt-get update -q >/dev/null && "${as_root[@]}" apt-get install -y -q "$1" >/dev/null; }
}

# A free loopback port.
free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (a minute at most) until process $1 listens on loopback port $2; if it dies
# first, shows its log $3 and stops, naming it ($4).
wait_for() {
    for _ in $(seq 1 300); do
        if .venv/bin/python -c "import socket; socket.create_connection(('127.0.0.1', $2), 1)" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$1" 2>/dev/null; then
            echo "$4 did not start:" >&2
            cat "$3" >&2
            exit 1
        fi
        sleep 0.2
    done
    echo "$4 is not listening on port $2 after a minute:" >&2
    cat "$3" >&2
    exit 1
}

# The SSH tests reach the console with the real OpenSSH client.
debian_package ssh openssh-client
debian_package ssh-keygen openssh-client
# A real browser for the managed login page's tests (selenium drives it).
debian_package chromium chromium
debian_package chromedriver chromium-driver
# The constant-time test runs the SRP arithmetic under memcheck; crabgrind, which marks
# its secrets, is built from Valgrind's headers with bindgen (libclang).
debian_package valgrind valgrind
debian_file /usr/lib/llvm-14/include/clang-c/Index.h libclang-dev

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt

mkdir -p target
moto_port=$(free_port)
# moto accepts any software token code unless told to check them.
MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true \
    .venv/bin/moto_server -H 127.0.0.1 -p "$moto_port" > target/moto-server.log 2>&1 &
moto_pid=$!
lambda_pid=
trap 'kill "$moto_pid" 2>/dev/null || true; [ -z "$lambda_pid" ] || kill -- "-$lambda_pid" 2>/dev/null || true' EXIT

wait_for "$moto_pid" "$moto_port" target/moto-server.log "moto server"

export MOTO_ENDPOINT="http://127.0.0.1:$moto_port"

# The Lambda triggers' functions: real handler code (lambda_runtime) behind a real Invoke
# API, cargo-lambda's `watch`. cargo-lambda comes from PyPI without ziglang, which it
# needs only to cross-compile. The functions are built first, so that the first invoke
# does not wait for a compile; each writes the events it gets under TRIGGER_EVENTS.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps cargo-lambda==1.9.2
(cd tests/functions && cargo build --quiet)
export TRIGGER_EVENTS="$PWD/target/trigger-events"
rm -rf "$TRIGGER_EVENTS" && mkdir -p "$TRIGGER_EVENTS"
lambda_port=$(free_port)
(cd tests/functions && exec setsid ../../.venv/bin/cargo-lambda lambda watch \
    --invoke-address 127.0.0.1 --invoke-port "$lambda_port" --ignore-changes --concurrency 4 \
    --env-var "TRIGGER_EVENTS=$TRIGGER_EVENTS") > target/cargo-lambda.log 2>&1 &
lambda_pid=$!
wait_for "$lambda_pid" "$lambda_port" target/cargo-lambda.log "cargo lambda watch"
export LAMBDA_ENDPOINT="http://127.0.0.1:$lambda_port"
# Throwaway credentials for clients that read the environment (the console's
# --endpoint-url path); nothing here talks to AWS.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
# Never ask an instance metadata service for credentials: tests talk to loopback only.
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN
export AWS_CLI="$PWD/.venv/bin/aws"
