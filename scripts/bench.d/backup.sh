# shellcheck shell=bash
# bench backup: dr backup against the pipelines a user would build instead, same database,
# same RGW, one run:
#   pg_dump -Fc -Z0 | bzip2 -9      | aws s3 cp -
#   pg_dump -Fc -Z0 | lbzip2 -9 -n2 | aws s3 cp -
# on pgbench scale 10 and 50 (compresses very well) and scale 10 plus random md5 text
# (compresses ~2x). Prints wall times, ratios and dr's peak RSS.
runs=${BENCH_BACKUP_RUNS:-1}
bin=$DR_TEST_PG_BINDIR
admin=$DR_TEST_PG_URL
base=${admin%/*}
export PGPASSWORD_ADMIN=${admin#*://postgres:}
"$DR" s3 mb s3://dr-bench-backup >/dev/null

make_db() { # NAME SCALE FILLER_ROWS
  local name=$1 scale=$2 filler=$3 started=$SECONDS
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
  "$bin/pgbench" -q -i -s "$scale" "$base/$name" >/dev/null 2>&1
  if ((filler > 0)); then
    psql -q "$base/$name" -c "CREATE TABLE filler AS SELECT n, md5(n::text) || md5((n * 7)::text) ||
      md5(random()::text) AS text FROM generate_series(1, $filler) n"
  fi
  psql -q "$base/$name" -c "VACUUM ANALYZE" >/dev/null
  echo "bench backup: $name ready in $((SECONDS - started)) s ($(psql -tA "$base/$name" -c \
    "SELECT pg_size_pretty(pg_database_size(current_database()))"))" >&2
}

policy() { # NAME -> path of a policy for database NAME
  local file="$BENCH_WORK/$1.yaml"
  cat >"$file" <<POLICY
name: ${1//_/-}
database: {url: "$base/$1"}
storage: {url: "s3://dr-bench-backup/", endpoint: "$AWS_ENDPOINT_URL", region: us-east-1}
backup: {compression: {codec: bzip2, level: 9, threads: auto}, globals: false}
verify: {row_counts: exact}
POLICY
  echo "$file"
}

bench_db() { # NAME
  local name=$1 file
  file=$(policy "$name")
  for ((run = 1; run <= runs; run++)); do
    measure "$name-dr" "$DR" backup --policy "$file"
    measure "$name-bzip2" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' | bzip2 -9 |
      aws s3 cp - s3://dr-bench-backup/baseline/$name.bzip2.bz2"
    measure "$name-lbzip2" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' | lbzip2 -9 -n2 |
      aws s3 cp - s3://dr-bench-backup/baseline/$name.lbzip2.bz2"
    "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
    rgw_gc
  done
}

make_db bench_s10 10 0
make_db bench_s50 50 0
make_db bench_text 10 3000000
for db in bench_s10 bench_s50 bench_text; do bench_db "$db"; done

printf '\n%-11s %8s %10s %11s %10s %11s %12s\n' "backup" "dr s" "bzip2 s" "bzip2/dr" "lbzip2 s" "dr/lbzip2" "dr peak RSS"
for db in bench_s10 bench_s50 bench_text; do
  dr=$(median "$db-dr" 2) bz=$(median "$db-bzip2" 2) lb=$(median "$db-lbzip2" 2)
  printf '%-11s %8s %10s %10sx %10s %10sx %8s MiB\n' "$db" "$dr" "$bz" "$(ratio "$bz" "$dr")" "$lb" \
    "$(ratio "$dr" "$lb")" "$(mib "$(median "$db-dr" 3)")"
done
echo "(goals on 2 cores: bzip2/dr >= 1.8x, dr/lbzip2 <= 1.1x, dr peak RSS <= 100 MiB and flat across scales;"
echo " dr also counts every table's rows in the dump's snapshot and writes globals off; medians of $runs run(s))"
