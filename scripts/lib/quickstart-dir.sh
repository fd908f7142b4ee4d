# shellcheck shell=bash
# scripts/lib/quickstart-dir.sh - where the quickstart keeps its services' data.
#
#   source scripts/lib/quickstart-dir.sh
#   dr_quickstart_services_dir CLONE   # prints the folder
#
# CLONE/.dr-services, unless the clone is somewhere the `postgres` user cannot reach (root's
# 0700 home, a mktemp -d folder): as root, PostgreSQL runs as postgres, so its data cannot
# live there. Then ${TMPDIR:-/tmp}/dr-quickstart-HASH (/tmp when postgres cannot reach
# TMPDIR either), HASH from the clone's path: one folder per clone, found again by the next
# run and by scripts/soak-worker.

# Can PostgreSQL, run by whoever runs this, reach folder $1? (As root it runs as postgres; a
# machine without that user yet gets the answer from scripts/services.)
dr_postgres_reaches() {
  ((EUID != 0)) || ! id -u postgres >/dev/null 2>&1 || runuser -u postgres -- test -x "$1"
}

dr_quickstart_services_dir() {
  local clone=$1 tmp
  if dr_postgres_reaches "$clone"; then
    printf '%s\n' "$clone/.dr-services"
    return
  fi
  tmp=${TMPDIR:-/tmp}
  dr_postgres_reaches "$tmp" || tmp=/tmp
  printf '%s/dr-quickstart-%s\n' "$tmp" "$(printf '%s' "$clone" | sha256sum | cut -c1-12)"
}
