#!/usr/bin/env bash
# examples/summit-app/test_app.sh - self-check of the summit demo app against real services:
# a throwaway database with the sample data (scripts/sample/summit.sql) in the PostgreSQL of
# DR_TEST_PG_URL (a superuser URL), its own memcached on a free loopback port, and the app.
# Checks the routes, the cache (miss then hit), a memcached outage (/health 503 naming the
# cache, then 200 again), a dropped database connection (reconnect), SIGTERM (exit 0), and
# the error on missing configuration. Everything it started is stopped, and the database
# dropped, on every exit path. All waits are bounded.
#
# Usage:
#   eval "$(DR_SERVICES_DIR=/tmp/dr-app-services scripts/services up)"
#   examples/summit-app/test_app.sh
#   DR_SERVICES_DIR=/tmp/dr-app-services scripts/services down
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

say() { echo "test_app: $*" >&2; }
die() { say "FAIL: $*"; exit 1; }
ok() { say "ok - $*"; }

[[ -n ${DR_TEST_PG_URL:-} ]] ||
  die "DR_TEST_PG_URL is not set; start the services: eval \"\$(scripts/services up)\""
for tool in psql memcached curl "$PY"; do
  command -v "$tool" >/dev/null || die "$tool is missing (bash scripts/lib/packages.sh installs it)"
done
"$PY" -c 'import psycopg2' 2>/dev/null || die "python3-psycopg2 is missing (bash scripts/lib/packages.sh)"

work=$(mktemp -d)
db=summit_app_test_$$
app_pid='' mc_pid='' db_made=0

cleanup() {
  local rc=$?
  set +e # clean up all of it, whatever fails
  local pid
  for pid in $app_pid $mc_pid; do
    kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  ((db_made)) && psql "$DR_TEST_PG_URL" -qX -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  if ((rc)); then say "app log:"; sed 's/^/  /' "$work/app.log" >&2 2>/dev/null; fi
  rm -rf "$work"
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $((${EPOCHREALTIME//[!0-9]/} / 1000)); }
# exited PID: the process is gone or a zombie (kill -0 still succeeds on an unwaited child)
exited() {
  local state
  state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 0
  [[ $state == Z ]]
}
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# DR_TEST_PG_URL with another database: $1
url_for_db() {
  "$PY" -c 'import sys, urllib.parse as u
url, db = sys.argv[1:]
if "://" in url: print(u.urlsplit(url)._replace(path="/" + db).geturl())
else: print(url + " dbname=" + db)' "$DR_TEST_PG_URL" "$1"
}
# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds; 1 after SECONDS
wait_until() {
  local deadline=$(($(now_ms) + $1 * 1000))
  shift
  until "$@"; do
    (($(now_ms) < deadline)) || return 1
    sleep 0.1
  done
}

start_memcached() {
  local as_user=()
  ((EUID == 0)) && as_user=(-u nobody)
  memcached -l 127.0.0.1 -p "$mc_port" -U 0 -m 16 "${as_user[@]}" >>"$work/memcached.log" 2>&1 &
  mc_pid=$!
  wait_until 5 mc_answers || die "memcached did not answer on 127.0.0.1:$mc_port"
}
mc_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$mc_port" && printf 'version\r\n' >&3 && read -r -t 2 line <&3 &&
    [[ $line == VERSION* ]]) 2>/dev/null
}
stop_memcached() {
  kill -TERM "$mc_pid"
  wait "$mc_pid" 2>/dev/null || true
  mc_pid=''
}

# get PATH: GETs the app's PATH; sets STATUS, BODY and XCACHE (the X-Cache header)
get() {
  STATUS=$(curl -s --max-time 10 -o "$work/body" -D "$work/headers" -w '%{http_code}' \
    "http://127.0.0.1:$app_port$1") || STATUS=000
  BODY=$(cat "$work/body" 2>/dev/null || true)
  XCACHE=$(sed -n 's/^[Xx]-[Cc]ache: *\([a-z]*\).*/\1/p' "$work/headers" 2>/dev/null || true)
}
healthy() { get /health && [[ $STATUS == 200 ]]; }
# check_json PYTHON-EXPRESSION: the expression, on the parsed BODY as `j`, must be true
check_json() {
  "$PY" -c 'import json, sys; j = json.loads(sys.argv[2]); sys.exit(0 if eval(sys.argv[1]) else 1)' \
    "$1" "$BODY" 2>/dev/null || die "expected $1, got $STATUS $BODY"
}
expect() { # expect STATUS [X-CACHE]
  [[ $STATUS == "$1" ]] || die "expected HTTP $1, got $STATUS: $BODY"
  [[ -z ${2:-} || $XCACHE == "$2" ]] || die "expected X-Cache: $2, got '$XCACHE'"
}

# --- services --------------------------------------------------------------------------------
psql "$DR_TEST_PG_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
db_made=1
db_url=$(url_for_db "$db")
psql "$db_url" -qX -v ON_ERROR_STOP=1 -f "$repo/scripts/sample/summit.sql" >/dev/null 2>&1 ||
  die "loading scripts/sample/summit.sql failed"
ok "database $db with the sample data"

mc_port=$(free_port)
start_memcached
ok "memcached on 127.0.0.1:$mc_port"

# --- configuration errors --------------------------------------------------------------------
if out=$(env -u PORT -u DATABASE_URL -u MEMCACHED_SERVERS timeout 10 "$PY" "$here/app.py" 2>&1); then
  die "the app started without configuration"
fi
[[ $out == *"missing environment variable(s): PORT, DATABASE_URL, MEMCACHED_SERVERS"* ]] ||
  die "unclear message on missing configuration: $out"
ok "missing configuration: $out"

# --- the app ---------------------------------------------------------------------------------
app_port=$(free_port)
started=$(now_ms)
PORT=$app_port DATABASE_URL=$db_url MEMCACHED_SERVERS=127.0.0.1:$mc_port \
  "$PY" "$here/app.py" 2>"$work/app.log" &
app_pid=$!
wait_until 15 healthy || die "no healthy /health within 15 s: $STATUS $BODY"
ok "healthy $(($(now_ms) - started)) ms after start: $BODY"
check_json 'j == {"status": "ok", "database": "ok", "cache": "ok", "meetings": 30}'

get /meetings
expect 200 miss
check_json 'len(j["meetings"]) == 30 and set(j["meetings"][0]) == {"id", "name", "city", "starts_on", "ends_on"}'
first=$BODY
get /meetings
expect 200 hit
[[ $BODY == "$first" ]] || die "the cached /meetings differs from the first"
ok "/meetings: 30 meetings, miss then hit"

get /meetings/1/talks
expect 200 miss
check_json 'j["meeting_id"] == 1 and len(j["talks"]) == 200 and set(j["talks"][0]) == {"id", "title", "speaker", "room", "starts_at", "minutes"}'
get /meetings/1/talks
expect 200 hit
ok "/meetings/1/talks: 200 talks, miss then hit"

get /meetings/9999/talks
expect 404
check_json 'j == {"error": "no such meeting", "meeting_id": 9999}'
get /nowhere
expect 404
check_json 'j == {"error": "not found", "path": "/nowhere"}'
ok "404 for an unknown meeting and an unknown path"

# --- memcached outage ------------------------------------------------------------------------
stop_memcached
get /health
expect 503
check_json 'j["status"] == "fail" and j["database"] == "ok" and j["cache"].startswith("error: memcached")'
ok "memcached down: /health 503: $BODY"
get /meetings
expect 200 miss
ok "memcached down: /meetings still served from PostgreSQL"
start_memcached
wait_until 5 healthy || die "/health not 200 again after memcached restarted: $STATUS $BODY"
ok "memcached back: /health 200"

# --- a dropped database connection (as when PostgreSQL restarts) -----------------------------
n=$(psql "$DR_TEST_PG_URL" -AtqX -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
  WHERE datname = '$db' AND application_name = 'summit-app'")
((n == 1)) || die "expected one app connection to terminate, found $n"
get /meetings/2/talks
expect 200
ok "database connection terminated: the app reconnected"

# --- SIGTERM ---------------------------------------------------------------------------------
kill -TERM "$app_pid"
stopping=$(now_ms)
wait_until 5 exited "$app_pid" || die "the app did not exit within 5 s of SIGTERM"
rc=0
wait "$app_pid" || rc=$?
app_pid=''
((rc == 0)) || die "the app exited $rc on SIGTERM"
ok "SIGTERM: exit 0 in $(($(now_ms) - stopping)) ms"
grep -q 'GET /meetings/1/talks 200' "$work/app.log" || die "no request log line in the app's stderr"
say "all checks passed"
