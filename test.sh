#!/usr/bin/env bash
# Runs every Sluice test, doing its own set-up first: restores NuGet packages and, when
# PostgreSQL's server programs, clickhouse-server, redis-server, nats-server, promtool or chromium are missing, installs them with apt-get (as
# root) or says what to install. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")"

say() { printf '%s\n' "$*" >&2; }
fail() { say "error: $*"; printf '0 passed, 1 failed\n'; exit 1; }

command -v dotnet >/dev/null || fail "the .NET SDK is not installed; install .NET 10 (https://dot.net) and retry."

have_postgres() {
    [ -n "${SLUICE_PG_BIN:-}" ] && [ -x "$SLUICE_PG_BIN/initdb" ] && return 0
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
    command -v initdb >/dev/null && command -v pg_ctl >/dev/null
}

if ! have_postgres; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "PostgreSQL server not found; installing it with apt-get (needed by the warehouse and sync tests)..."
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2 || fail "apt-get install postgresql failed; install PostgreSQL 13 or newer and retry."
    else
        fail "PostgreSQL server programs (initdb, pg_ctl) are missing; install them (Debian: sudo apt-get install postgresql) or set SLUICE_PG_BIN, then retry."
    fi
fi

# The ClickHouse warehouse tests start throwaway servers from Debian's clickhouse-server (18.16,
# the oldest version Sluice supports). The tests never use the service the package may start: they
# start servers of their own on free ports. SLUICE_CLICKHOUSE_SERVER names another program.
have_clickhouse() {
    [ -n "${SLUICE_CLICKHOUSE_SERVER:-}" ] && [ -x "$SLUICE_CLICKHOUSE_SERVER" ] && return 0
    command -v clickhouse-server >/dev/null || [ -x /usr/sbin/clickhouse-server ]
}

if ! have_clickhouse; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "clickhouse-server not found; installing it with apt-get (needed by the ClickHouse warehouse tests)..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y -qq clickhouse-server >&2 || { apt-get update -qq >&2 && apt-get install -y -qq clickhouse-server >&2; }; } || fail "apt-get install clickhouse-server failed; install ClickHouse 18.16 or newer and retry."
    else
        fail "clickhouse-server is missing; install it (Debian: sudo apt-get install clickhouse-server) or set SLUICE_CLICKHOUSE_SERVER to the program, then retry."
    fi
fi

# The shared-cache tests start throwaway servers from Debian's redis-server (7.0) on free ports;
# they never use the service the package may start. SLUICE_REDIS_SERVER names another program.
have_redis() {
    [ -n "${SLUICE_REDIS_SERVER:-}" ] && [ -x "$SLUICE_REDIS_SERVER" ] && return 0
    command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ]
}

if ! have_redis; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "redis-server not found; installing it with apt-get (needed by the shared cache and budget tests)..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y -qq redis-server >&2 || { apt-get update -qq >&2 && apt-get install -y -qq redis-server >&2; }; } || fail "apt-get install redis-server failed; install Redis 6 or newer and retry."
    else
        fail "redis-server is missing; install it (Debian: sudo apt-get install redis-server) or set SLUICE_REDIS_SERVER to the program, then retry."
    fi
fi

# The event tests publish analytics.synced to throwaway servers from Debian's nats-server (2.9)
# on free ports; they never use the service the package may start. Debian installs it in
# /usr/sbin. SLUICE_NATS_SERVER names another program.
have_nats() {
    [ -n "${SLUICE_NATS_SERVER:-}" ] && [ -x "$SLUICE_NATS_SERVER" ] && return 0
    command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || [ -x /usr/bin/nats-server ]
}

if ! have_nats; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "nats-server not found; installing it with apt-get (needed by the NATS channel and analytics.synced tests)..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y -qq nats-server >&2 || { apt-get update -qq >&2 && apt-get install -y -qq nats-server >&2; }; } || fail "apt-get install nats-server failed; install NATS server 2.2 or newer and retry."
    else
        fail "nats-server is missing; install it (Debian: sudo apt-get install nats-server) or set SLUICE_NATS_SERVER to the program, then retry."
    fi
fi

# promtool checks the server's /metrics output. Debian ships it only inside the prometheus
# package, whose installation would add a system user, a hundred megabytes of web assets and a
# Prometheus service that starts at once and at every boot. So the package is downloaded, not
# installed, and only its promtool (a Go binary that needs nothing but the C library) is copied to /usr/local/bin: no
# service, user or other package is added to the machine.
install_promtool() {
    local dir status
    dir=$(mktemp -d) || return 1
    chown _apt "$dir" 2>/dev/null || true
    (
        cd "$dir" || exit 1
        { apt-get download -qq prometheus >&2 || { apt-get update -qq >&2 && apt-get download -qq prometheus >&2; }; } || exit 1
        dpkg-deb --fsys-tarfile prometheus_*.deb | tar -xO ./usr/bin/promtool > promtool || exit 1
        install -m 755 promtool /usr/local/bin/promtool
    )
    status=$?
    rm -rf "$dir"
    return "$status"
}

if ! command -v promtool >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "promtool not found; copying it from Debian's prometheus package to /usr/local/bin (needed by the serve tests; the package itself is not installed)..."
        export DEBIAN_FRONTEND=noninteractive
        install_promtool || fail "could not get promtool from Debian's prometheus package; install promtool (from https://prometheus.io/download/, or Debian: apt-get install prometheus) and retry."
    else
        fail "promtool is missing; put it on the PATH (from https://prometheus.io/download/; on Debian it comes with the prometheus package) and retry."
    fi
fi

# The browser tests drive Debian's chromium through Playwright; Playwright must never download a
# browser of its own. SLUICE_CHROMIUM names another chromium executable.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
chromium_path=${SLUICE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_path" ]; then
    if [ -z "${SLUICE_CHROMIUM:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "chromium not found; installing it with apt-get (needed by the dashboard's browser tests)..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y -qq chromium >&2 || { apt-get update -qq >&2 && apt-get install -y -qq chromium >&2; }; } || fail "apt-get install chromium failed; install chromium and retry."
    else
        fail "chromium is missing at $chromium_path; install it (Debian: sudo apt-get install chromium) or set SLUICE_CHROMIUM to a chromium executable, then retry."
    fi
fi

say "Restoring and building..."
dotnet restore Sluice.slnx --verbosity quiet >&2 || fail "dotnet restore failed (see above)."
dotnet build Sluice.slnx --no-restore --verbosity quiet -nologo >&2 || fail "the build failed (see above)."

results=$(mktemp -d)
say "Running tests..."
# Minimal verbosity prints each failing test with its message and stack trace.
dotnet test Sluice.slnx --no-build --verbosity minimal -nologo 2>&1 | tee "$results/output.txt" >&2
status=${PIPESTATUS[0]}

# Each test assembly prints one summary: "Passed!  - Failed: 0, Passed: 57, Skipped: 0, Total: 57, ...".
read -r passed failed skipped < <(awk '
    /(Passed|Failed)!  - Failed:/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
        }
    }
    END { printf "%d %d %d\n", p, f, s }' "$results/output.txt")
rm -rf "$results"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    say "error: dotnet test exited with status $status without a failing test (a test host crashed or a project failed to run)."
    failed=1
fi

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
