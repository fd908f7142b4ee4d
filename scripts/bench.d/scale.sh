# shellcheck shell=bash
# bench scale (issue 20): does dr stay flat as the database grows? The database of the issue's
# anchor (pgbench scale 50 plus 2M rows of md5 text, ~1 GB) and one BENCH_SCALE_GB times
# bigger (default 10: pgbench scale 500 plus 20M rows, ~10 GB), generated here, never
# committed. For each size and codec (bzip2 -9, zstd -3), same RGW, one run:
#   dr backup; dr restore --target of that backup (streamed from the bucket)
# and the floors: pg_dump -Fc -Z0 > /dev/null, and pg_restore from a local uncompressed
# file. Prints wall time, throughput (database bytes per second) and dr's peak RSS; the RSS
# goal is flat: the big run within 1.2x of the small one.
factor=${BENCH_SCALE_GB:-10}
"$DR" s3 mb s3://dr-bench-backup >/dev/null 2>&1 || true

# scale_db N: database bench_gN of about N GB (pgbench data generated on the server side).
scale_db() {
  local name="bench_g$1" started=$SECONDS
  if has_database "$name"; then return; fi
  psql -q "$admin" -c "CREATE DATABASE $name"
  "$bin/pgbench" -q -i -I dtGvp -s "$((50 * $1))" "$base/$name" >/dev/null 2>&1
  psql -q "$base/$name" -c "CREATE TABLE filler AS SELECT n, md5(n::text) || md5((n * 7)::text) ||
    md5(random()::text) AS text FROM generate_series(1, $((2000000 * $1))) n" -c "VACUUM ANALYZE"
  echo "bench: database $name ready in $((SECONDS - started)) s ($(psql -tA "$base/$name" -c \
    "SELECT pg_size_pretty(pg_database_size(current_database()))"))" >&2
}

# scale_run N: the rows above for bench_gN.
scale_run() {
  local n=$1 name="bench_g$1" codec file id target dump="$BENCH_WORK/bench_g$1.pgc"
  psql -tA "$base/$name" -c "SELECT pg_database_size(current_database())" >"$BENCH_WORK/$name.bytes"
  measure "g$n-pgdump" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' >/dev/null"
  for codec in bzip2 zstd; do
    if [[ $codec == zstd ]]; then file=$(policy "$name" "" zstd); else file=$(policy "$name"); fi
    measure "g$n-$codec-backup" "$DR" backup --policy "$file"
    id=$("$DR" list --policy "$file" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    target="${name}_restored"
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)"
    measure "g$n-$codec-restore" "$DR" restore --policy "$file" --backup "$id" --target "$base/$target" --no-owner
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)"
    "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
    rgw_gc
  done
  "$bin/pg_dump" -Fc -Z0 -f "$dump" "$base/$name"
  psql -q "$admin" -c "CREATE DATABASE ${name}_restored"
  measure "g$n-pgrestore" "$bin/pg_restore" --no-owner -d "$base/${name}_restored" "$dump"
  psql -q "$admin" -c "DROP DATABASE ${name}_restored WITH (FORCE)"
  rm -f "$dump"
}

for n in 1 "$factor"; do
  scale_db "$n"
  scale_run "$n"
  [[ $n == "$factor" ]] || psql -q "$admin" -c "DROP DATABASE bench_g$n WITH (FORCE)"
done
psql -q "$admin" -c "DROP DATABASE IF EXISTS bench_g$factor WITH (FORCE)"

# rate BYTES SECONDS: MB/s.
rate() { awk -v b="$1" -v s="$2" 'BEGIN { if (s == 0) print "nan"; else printf "%.0f", b / s / 1e6 }'; }
printf '\n%-22s %9s %9s %8s %12s %9s %8s %12s %10s\n' "scale" "backup s" "MB/s" "vs dump" "peak RSS" \
  "restore s" "MB/s" "peak RSS" "vs local"
for n in 1 "$factor"; do
  bytes=$(cat "$BENCH_WORK/bench_g$n.bytes")
  for codec in bzip2 zstd; do
    b=$(median "g$n-$codec-backup" 2) r=$(median "g$n-$codec-restore" 2)
    printf '%-22s %9s %9s %7sx %8s MiB %9s %8s %8s MiB %9sx\n' "$((bytes / 1000000)) MB $codec" "$b" \
      "$(rate "$bytes" "$b")" "$(ratio "$b" "$(median "g$n-pgdump" 2)")" "$(mib "$(median "g$n-$codec-backup" 3)")" \
      "$r" "$(rate "$bytes" "$r")" "$(mib "$(median "g$n-$codec-restore" 3)")" \
      "$(ratio "$r" "$(median "g$n-pgrestore" 2)")"
  done
  printf '%-22s %9s %9s %8s %12s %9s %8s\n' "$((bytes / 1000000)) MB floors" "$(median "g$n-pgdump" 2)" \
    "$(rate "$bytes" "$(median "g$n-pgdump" 2)")" "" "" "$(median "g$n-pgrestore" 2)" \
    "$(rate "$bytes" "$(median "g$n-pgrestore" 2)")"
done
for codec in bzip2 zstd; do
  echo "RSS growth ($codec, ${factor} GB / 1 GB): backup $(ratio "$(median "g$factor-$codec-backup" 3)" \
    "$(median "g1-$codec-backup" 3)")x, restore $(ratio "$(median "g$factor-$codec-restore" 3)" \
    "$(median "g1-$codec-restore" 3)")x (goal <= 1.2x)"
done
echo "(MB/s: the database's size on disk (pg_database_size) over the wall time; floors: pg_dump -Fc -Z0 >"
echo " /dev/null and pg_restore from a local uncompressed file; vs dump, vs local: dr over those; one run)"
