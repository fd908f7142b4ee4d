# shellcheck shell=bash
# Helpers for scripts/bench: timing, peak RSS, medians.

# server_cpu: CPU seconds used so far by the local RGW and OSD (the storage side shares
# this machine's cores with the client, so it bounds what any client can do).
server_cpu() {
  local total=0 pid ticks
  for pid in $(cat "$DR_TEST_RGW_DIR"/run/client.rgw.pid "$DR_TEST_RGW_DIR"/run/osd.*.pid 2>/dev/null); do
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# measure NAME CMD...: runs CMD under GNU time, appends "NAME wall_s maxrss_kib cpu_s
# server_cpu_s" to $BENCH_WORK/results.
measure() {
  local name=$1 wall rss user sys before after
  shift
  local out="$BENCH_WORK/time.$$"
  before=$(server_cpu)
  /usr/bin/time -f '%e %M %U %S' -o "$out" "$@" >/dev/null
  after=$(server_cpu)
  read -r wall rss user sys <"$out"
  awk -v n="$name" -v w="$wall" -v r="$rss" -v u="$user" -v s="$sys" -v a="$after" -v b="$before" \
    'BEGIN { printf "%s %s %s %.2f %.2f\n", n, w, r, u + s, a - b }' >>"$BENCH_WORK/results"
}

# median NAME FIELD: the median of FIELD (2 = seconds, 3 = KiB, 4 = CPU seconds, 5 = the
# storage side's CPU seconds) over the runs of NAME.
median() {
  awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$BENCH_WORK/results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.2f", a / b }'; }

# mib KIB: KiB to MiB, one decimal.
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# rgw_gc: frees deleted objects' data now (RGW's garbage collector otherwise waits a
# minute or more, and the memstore OSD keeps it in RAM meanwhile).
rgw_gc() {
  CEPH_CONF="$DR_TEST_RGW_DIR/ceph.conf" radosgw-admin gc process --include-all >/dev/null 2>&1 || true
}

bin=$DR_TEST_PG_BINDIR
admin=$DR_TEST_PG_URL
base=${admin%/*}

# make_db NAME SCALE FILLER_ROWS: a pgbench database, with random md5 text when asked.
make_db() { # NAME SCALE FILLER_ROWS
  local name=$1 scale=$2 filler=$3 started=$SECONDS
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
  "$bin/pgbench" -q -i -s "$scale" "$base/$name" >/dev/null 2>&1
  if ((filler > 0)); then
    psql -q "$base/$name" -c "CREATE TABLE filler AS SELECT n, md5(n::text) || md5((n * 7)::text) ||
      md5(random()::text) AS text FROM generate_series(1, $filler) n"
  fi
  psql -q "$base/$name" -c "VACUUM ANALYZE" >/dev/null
  echo "bench: database $name ready in $((SECONDS - started)) s ($(psql -tA "$base/$name" -c \
    "SELECT pg_size_pretty(pg_database_size(current_database()))"))" >&2
}

# bench_database NAME: makes one of the named bench databases (again, when it exists).
bench_database() {
  case $1 in
    bench_s10) make_db bench_s10 10 0 ;;
    bench_s50) make_db bench_s50 50 0 ;;
    bench_text) make_db bench_text 10 3000000 ;;
    bench_anchor) make_db bench_anchor 50 2000000 ;;
    *) echo "bench: unknown database '$1' (have: bench_s10 bench_s50 bench_text bench_anchor)" >&2; exit 2 ;;
  esac
}

# has_database NAME: whether the server has database NAME (made by an earlier benchmark).
has_database() {
  psql -tA "$admin" -c "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

# policy NAME [BACKUP_KEYS] [CODEC]: the path of a policy backing up database NAME to
# s3://dr-bench-backup/; BACKUP_KEYS are more keys of its backup mapping (encryption);
# CODEC is bzip2 (level 9, the default) or zstd (level 3), whose policy is named NAME-zstd.
policy() {
  local file="$BENCH_WORK/$1${2:+-extra}${3:+-$3}.yaml" codec=${3:-bzip2}
  cat >"$file" <<POLICY
name: ${1//_/-}${3:+-$3}
database: {url: "$base/$1"}
storage: {url: "s3://dr-bench-backup/", endpoint: "$AWS_ENDPOINT_URL", region: us-east-1}
backup: {compression: {codec: $codec, level: $([[ $codec == zstd ]] && echo 3 || echo 9), threads: auto}, globals: false${2:+, $2}}
verify: {row_counts: exact}
POLICY
  echo "$file"
}

