# shellcheck shell=bash
# scripts/lib/packages.sh - install the Debian packages (and the AWS CLI) that dr's build and
# tests need, only what is missing.
#
# Usage:
#   source scripts/lib/packages.sh
#   dr_ensure_packages            # the whole set below (DR_PACKAGES), plus `aws` via pip
#   dr_image_packages [MAJOR]     # the container image's runtime packages, one a line
#   dr_ensure_packages PKG...     # only these Debian packages ("awscli" means `aws` via pip)
#   bash scripts/lib/packages.sh [PKG...]   # same, as a command
#
# Checks each package with `dpkg -s`; runs `apt-get update` (once per shell) and
# `apt-get install` only when something is missing. As root it installs non-interactively;
# as another user with something missing it prints the command to run and returns 1.
# DR_SKIP_APT=1 skips all of it (returns 0). While installing, a temporary
# /usr/sbin/policy-rc.d (only if there is none) keeps the packages' postinst scripts from
# starting daemons (Debian's default PostgreSQL cluster on 5432, memcached, haproxy, ceph,
# prometheus on 9090):
# dr's scripts start their own instances and never use those.
# Note: installing libcurl4-openssl-dev may upgrade libcurl4 as a dependency; that is fine.

# What building dr needs (also the Dockerfile's build stage).
DR_BUILD_PACKAGES=(libpq-dev libbz2-dev libzstd-dev libcurl4-openssl-dev libssl-dev pkg-config)

# The container image's runtime packages, for PostgreSQL 15 (dr_image_packages gives them for
# another major). The Dockerfile installs exactly these (it sources this file), and
# scripts/test-image builds the image's root filesystem from them: one list, no drift.
DR_IMAGE_PACKAGES=(
  # TLS roots, and the libraries dr links (ldd .build/release/dr; the static Swift runtime
  # still links libstdc++ dynamically)
  ca-certificates libpq5 libcurl4 libbz2-1.0 libzstd1 libssl3 libstdc++6
  # PID 1: reaps the orphans of pg_dump, pg_restore and the scratch clusters' postgres
  tini
  # bzip2's encoder (backup.compression.encoder: auto takes it): a third less CPU than libbz2
  lbzip2
  # the default verification's scratch cluster (initdb, pg_ctl, postgres) and the client tools
  postgresql-15 postgresql-client-15
)

# dr_image_packages [MAJOR]: the image's packages, one a line, with PostgreSQL MAJOR's
# server and client instead of 15's.
dr_image_packages() {
  local major=${1:-15} p
  [[ $major =~ ^[0-9]+$ ]] || { echo "packages: PostgreSQL major '$major' is not a number" >&2; return 2; }
  for p in "${DR_IMAGE_PACKAGES[@]}"; do
    case $p in
      postgresql-15) echo "postgresql-$major" ;;
      postgresql-client-15) echo "postgresql-client-$major" ;;
      *) echo "$p" ;;
    esac
  done
}

DR_PACKAGES=(
  "${DR_BUILD_PACKAGES[@]}"
  # the image's packages (scripts/test-image builds its root filesystem from the installed ones)
  "${DR_IMAGE_PACKAGES[@]}"
  # Ceph RADOS Gateway, single node (see scripts/services)
  radosgw ceph-mon ceph-osd
  # tools used by the tests
  bzip2 zstd memcached haproxy curl python3
  # the demo app (examples/summit-app): PostgreSQL from Debian's python3
  python3-psycopg2
  # scripts/dr-decrypt: encrypted backups restored without dr (and its test)
  python3-cryptography
  # scripts/check-rules: promtool checks deploy/prometheus/dr-rules.yml. Its postinst starts
  # a Prometheus server on :9090 through invoke-rc.d where there is no systemd; the
  # policy-rc.d below keeps it from starting (installed --no-install-recommends: no
  # prometheus-node-exporter on :9100 either)
  prometheus
  # the AWS CLI, from PyPI, only when `aws` is missing
  awscli
)

# Prints the Debian packages among "$@" that are not installed ("install ok installed").
_dr_missing_debs() {
  (($#)) || return 0
  # one dpkg call; it exits 1 when any package is unknown (those show on stderr only), hence
  # the `|| true` (this may run under set -e) and the check of each name against its output
  local installed
  installed=$(LC_ALL=C dpkg -s "$@" 2>/dev/null | awk '
    /^Package: / { p = $2 }
    /^Status: / && $2 == "install" && $4 == "installed" { print p }') || true
  local p
  for p in "$@"; do
    grep -qFx -- "$p" <<<"$installed" || printf '%s\n' "$p"
  done
}

# apt-get with the non-interactive settings.
_dr_apt() {
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a \
    apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

_dr_apt_install() {
  local made_policy=0 rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # 101 = "action not allowed": invoke-rc.d starts no service during this install
    printf '#!/bin/sh\n# temporary, from dr scripts/lib/packages.sh\nexit 101\n' >/usr/sbin/policy-rc.d &&
      chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  if [[ -z ${_DR_APT_UPDATED:-} ]]; then
    echo "packages: apt-get update" >&2
    _dr_apt update >&2 || rc=$?
    ((rc)) || _DR_APT_UPDATED=1
  fi
  if ((!rc)); then
    echo "packages: apt-get install $*" >&2
    _dr_apt install --no-install-recommends "$@" >&2 || rc=$?
  fi
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  ((!rc)) || echo "packages: apt-get failed (exit $rc) installing: $*" >&2
  return "$rc"
}

# Installs awscli from PyPI when no `aws` command is on PATH.
_dr_ensure_awscli() {
  command -v aws >/dev/null 2>&1 && return 0
  if ((EUID != 0)); then
    echo "packages: the AWS CLI (aws) is missing; install it with: pip install awscli" >&2
    return 1
  fi
  if ! python3 -m pip --version >/dev/null 2>&1; then
    _dr_apt_install python3-pip || return 1
  fi
  echo "packages: pip install awscli" >&2
  # Debian's own python3 marks itself externally managed (PEP 668); installing the CLI into
  # /usr/local there is what we want on a test machine
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    python3 -m pip install -q awscli >&2 || {
    echo "packages: pip install awscli failed" >&2
    return 1
  }
  command -v pyenv >/dev/null 2>&1 && pyenv rehash >/dev/null 2>&1
  hash -r
  command -v aws >/dev/null 2>&1 || {
    echo "packages: pip installed awscli, but no 'aws' command is on PATH ($(python3 -m site --user-base 2>/dev/null)/bin?)" >&2
    return 1
  }
}

dr_ensure_packages() {
  [[ ${DR_SKIP_APT:-} == 1 ]] && return 0
  local want=("$@") debs=() awscli=0 p
  ((${#want[@]})) || want=("${DR_PACKAGES[@]}")
  for p in "${want[@]}"; do
    if [[ $p == awscli ]]; then awscli=1; else debs+=("$p"); fi
  done
  local missing=()
  ((${#debs[@]})) && mapfile -t missing < <(_dr_missing_debs "${debs[@]}")
  if ((${#missing[@]})); then
    if ((EUID != 0)); then
      echo "packages: missing ${missing[*]}; install them with:" >&2
      echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      return 1
    fi
    _dr_apt_install "${missing[@]}" || return 1
    mapfile -t missing < <(_dr_missing_debs "${debs[@]}")
    if ((${#missing[@]})); then
      echo "packages: still not installed after apt-get: ${missing[*]}" >&2
      return 1
    fi
  fi
  ((awscli)) && { _dr_ensure_awscli || return 1; }
  return 0
}

# Run as a command: bash scripts/lib/packages.sh [PKG...]
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  dr_ensure_packages "$@"
fi
