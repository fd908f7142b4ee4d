# shellcheck shell=bash
# bench restore: dr restore (streamed, --jobs 1, and through a file, --jobs 2) and dr verify
# against what a user would run instead, same backup, same RGW, one run:
#   aws s3 cp s3://…/dump.pgc.bz2 - | bunzip2 | pg_restore -d NEWDB
# on pgbench scale 50 and scale 10 plus random md5 text.
runs=${BENCH_RESTORE_RUNS:-1}
"$DR" s3 mb s3://dr-bench-backup >/dev/null

restore_db() { # NAME
  local name=$1 file id key target
  file=$(policy "$name")
  "$DR" backup --policy "$file" >/dev/null 2>&1
  id=$("$DR" list --policy "$file" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  key="s3://dr-bench-backup/${name//_/-}/backups/$id/dump.pgc.bz2"
  for ((run = 1; run <= runs; run++)); do
    for mode in stream file; do
      target="${name}_restored_$mode"
      psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)"
      measure "$name-dr-$mode" "$DR" restore --policy "$file" --target "$base/$target" --no-owner \
        --jobs "$([[ $mode == stream ]] && echo 1 || echo 2)"
    done
    target="${name}_restored_stock"
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)" -c "CREATE DATABASE $target"
    measure "$name-stock" bash -o pipefail -c "aws s3 cp '$key' - | bunzip2 | '$bin/pg_restore' --no-owner -d '$base/$target'"
    measure "$name-verify" "$DR" verify --policy "$file"
  done
  "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
  rgw_gc
}

for db in bench_s50 bench_text; do
  has_database "$db" || bench_database "$db"
  restore_db "$db"
done

printf '\n%-11s %11s %9s %9s %13s %10s %14s\n' restore "dr stream" "dr file" "stock" "stock/dr best" "dr verify" "verify/stock"
for db in bench_s50 bench_text; do
  s=$(median "$db-dr-stream" 2) f=$(median "$db-dr-file" 2) k=$(median "$db-stock" 2) v=$(median "$db-verify" 2)
  best=$(awk -v a="$s" -v b="$f" 'BEGIN { print (a < b ? a : b) }')
  printf '%-11s %11s %9s %9s %12sx %10s %13sx\n' "$db" "$s" "$f" "$k" "$(ratio "$k" "$best")" "$v" "$(ratio "$v" "$k")"
done
echo "(stock: aws s3 cp - | bunzip2 | pg_restore; dr verify also makes a scratch cluster, restores globals,"
echo " counts every table and runs the checks; goals: stock/dr >= 1.5x, verify/stock <= 1.1x; $runs run(s))"
