# shellcheck shell=bash
# Helpers for scripts/bench: timing, peak RSS, medians.

# measure NAME CMD...: runs CMD under GNU time, appends "NAME seconds maxrss_kib" to
# $BENCH_WORK/results.
measure() {
  local name=$1
  shift
  local out="$BENCH_WORK/time.$$"
  /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null
  printf '%s %s\n' "$name" "$(cat "$out")" >>"$BENCH_WORK/results"
}

# median NAME FIELD: the median of FIELD (2 = seconds, 3 = KiB) over the runs of NAME.
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
