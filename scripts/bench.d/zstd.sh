# shellcheck shell=bash
# The zstd rows of bench backup (issue 20), same database, same RGW, same run as the bzip2
# rows:
#   dr backup with compression {codec: zstd, level: 3, threads: auto}
#   pg_dump -Fc -Z0 > /dev/null                        (the dump alone: the floor)
#   pg_dump -Fc -Z0 | zstd -3 -T2 | aws s3 cp -        (the stock zstd pipeline)
#   dr restore --target of that zstd backup (streamed)
#   pg_restore -d from a local uncompressed pg_dump -Fc -Z0 file
#   aws s3 cp s3://…/NAME.zst - | zstd -dc | pg_restore -d     (the stock streamed restore)
# The bzip2 pipeline (pg_dump -Fc -Z0 | bzip2 -9 | aws s3 cp -) is backup.sh's NAME-bzip2.

# bench_zstd NAME: one run of the rows above; the stored sizes go to $BENCH_WORK/sizes.
bench_zstd() {
  local name=$1 file target local_dump id
  file=$(policy "$name" "" zstd)
  local_dump="$BENCH_WORK/$name.pgc"
  measure "$name-dr-zstd" "$DR" backup --policy "$file"
  measure "$name-pgdump" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' >/dev/null"
  measure "$name-zstd" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' | zstd -3 -T2 -q |
    aws s3 cp - s3://dr-bench-backup/baseline/$name.zst"
  id=$("$DR" list --policy "$file" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  echo "$name-dr-zstd $("$DR" list --policy "$file" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["size_bytes"])')" >>"$BENCH_WORK/sizes"
  echo "$name-zstd $(object_size "baseline/$name.zst")" >>"$BENCH_WORK/sizes"
  echo "$name-bzip2 $(object_size "baseline/$name.bzip2.bz2")" >>"$BENCH_WORK/sizes"
  target="${name}_zstd_restored"
  # A checkpoint before each timed restore: none pays for the WAL the runs before it wrote.
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)" -c CHECKPOINT
  measure "$name-dr-zstd-restore" "$DR" restore --policy "$file" --backup "$id" --target "$base/$target" --no-owner
  "$bin/pg_dump" -Fc -Z0 "$base/$name" >"$local_dump"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)" -c "CREATE DATABASE $target" -c CHECKPOINT
  measure "$name-pgrestore" "$bin/pg_restore" --no-owner -d "$base/$target" "$local_dump"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)" -c "CREATE DATABASE $target" -c CHECKPOINT
  measure "$name-zstd-restore" bash -o pipefail -c "aws s3 cp s3://dr-bench-backup/baseline/$name.zst - |
    zstd -dcq | '$bin/pg_restore' --no-owner -d '$base/$target'"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $target WITH (FORCE)"
  rm -f "$local_dump"
}

# object_size KEY: the size of s3://dr-bench-backup/KEY in bytes.
object_size() {
  aws s3api head-object --bucket dr-bench-backup --key "$1" --query ContentLength --output text
}

# zstd_tables DB...: the zstd rows side by side with ratios.
zstd_tables() {
  local db dr bz pd zs
  printf '\n%-11s %8s %9s %9s %10s %9s %11s %9s %12s\n' "zstd backup" "dr s" "bzip2 s" "bzip2/dr" \
    "pg_dump s" "dr/dump" "zstd -T2 s" "dr/zstd" "dr peak RSS"
  for db in "$@"; do
    dr=$(median "$db-dr-zstd" 2) bz=$(median "$db-bzip2" 2) pd=$(median "$db-pgdump" 2) zs=$(median "$db-zstd" 2)
    printf '%-11s %8s %9s %8sx %10s %8sx %11s %8sx %8s MiB\n' "$db" "$dr" "$bz" "$(ratio "$bz" "$dr")" \
      "$pd" "$(ratio "$dr" "$pd")" "$zs" "$(ratio "$dr" "$zs")" "$(mib "$(median "$db-dr-zstd" 3)")"
  done
  echo "(goals on 2 cores: bzip2/dr >= 4x, dr/dump <= 2x, dr peak RSS <= 100 MiB; bzip2: pg_dump | bzip2 -9 |"
  echo " aws s3 cp -; zstd -T2: pg_dump | zstd -3 -T2 | aws s3 cp -; medians of $runs run(s))"
  printf '\n%-11s %14s %14s %14s %12s %12s\n' "zstd stored" "dr zstd bytes" "zstd -3 bytes" "bzip2 -9 bytes" \
    "dr/zstd -3" "dr/bzip2 -9"
  for db in "$@"; do
    printf '%-11s %14s %14s %14s %11sx %11sx\n' "$db" "$(size "$db-dr-zstd")" "$(size "$db-zstd")" \
      "$(size "$db-bzip2")" "$(ratio "$(size "$db-dr-zstd")" "$(size "$db-zstd")")" \
      "$(ratio "$(size "$db-dr-zstd")" "$(size "$db-bzip2")")"
  done
  echo "(globals: false, so dr's size is its dump alone: one checksummed frame per 4 MiB of it)"
  printf '\n%-12s %8s %13s %13s %15s %11s %12s\n' "zstd restore" "dr s" "pg_restore s" "dr/pg_restore" \
    "stock stream s" "dr/stock" "dr peak RSS"
  for db in "$@"; do
    dr=$(median "$db-dr-zstd-restore" 2) pd=$(median "$db-pgrestore" 2) st=$(median "$db-zstd-restore" 2)
    printf '%-12s %8s %13s %12sx %15s %10sx %8s MiB\n' "$db" "$dr" "$pd" "$(ratio "$dr" "$pd")" "$st" \
      "$(ratio "$dr" "$st")" "$(mib "$(median "$db-dr-zstd-restore" 3)")"
  done
  echo "(dr restore --target streams the zstd backup from the bucket, decodes frames in parallel and counts"
  echo " every table's rows; pg_restore reads a local uncompressed pg_dump -Fc -Z0 file; goal: dr/pg_restore <= 1.2x;"
  echo " stock stream: aws s3 cp of the stock zstd object - | zstd -dc | pg_restore, the streamed pipeline a user"
  echo " would run instead)"
}

# size NAME: the median stored size of NAME's object, in bytes.
size() {
  awk -v n="$1" '$1 == n { print $2 }' "$BENCH_WORK/sizes" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print v[int((NR + 1) / 2)] }'
}
