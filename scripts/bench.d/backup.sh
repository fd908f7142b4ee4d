# shellcheck shell=bash
# bench backup: dr backup against the pipelines a user would build instead, same database,
# same RGW, one run:
#   pg_dump -Fc -Z0 | bzip2 -9      | aws s3 cp -
#   pg_dump -Fc -Z0 | lbzip2 -9 -n2 | aws s3 cp -
# on pgbench scale 10 and 50 (compresses very well), scale 10 plus random md5 text
# (compresses ~2x) and issue 20's anchor. Prints wall times, ratios and dr's peak RSS;
# and dr backup with client-side encryption (backup.encryption, a key from dr key
# generate) against dr backup without it, same database, same run: the cost of
# encryption. And the zstd rows (bench.d/zstd.sh): dr backup with zstd against the bzip2
# pipeline, pg_dump alone and the stock zstd pipeline, and the restore of that backup
# against pg_restore of a local file.
# BENCH_BACKUP_DBS picks the databases (default: bench_s10 bench_s50 bench_text bench_anchor;
# bench_anchor is issue 20's: pgbench scale 50 plus 2M rows of md5 text, about 1 GB).
runs=${BENCH_BACKUP_RUNS:-1}
read -ra dbs <<<"${BENCH_BACKUP_DBS:-bench_s10 bench_s50 bench_text bench_anchor}"
# shellcheck source=zstd.sh
source scripts/bench.d/zstd.sh
"$DR" s3 mb s3://dr-bench-backup >/dev/null
"$DR" key generate --output "$BENCH_WORK/bench.key" >/dev/null

bench_db() { # NAME
  local name=$1 file encrypted
  file=$(policy "$name")
  encrypted=$(policy "$name" "encryption: {key_file: $BENCH_WORK/bench.key}")
  for ((run = 1; run <= runs; run++)); do
    measure "$name-dr" "$DR" backup --policy "$file"
    measure "$name-dr-enc" "$DR" backup --policy "$encrypted"
    measure "$name-bzip2" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' | bzip2 -9 |
      aws s3 cp - s3://dr-bench-backup/baseline/$name.bzip2.bz2"
    measure "$name-lbzip2" bash -o pipefail -c "'$bin/pg_dump' -Fc -Z0 '$base/$name' | lbzip2 -9 -n2 |
      aws s3 cp - s3://dr-bench-backup/baseline/$name.lbzip2.bz2"
    bench_zstd "$name"
    "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
    rgw_gc
  done
}

for db in "${dbs[@]}"; do bench_database "$db"; done
for db in "${dbs[@]}"; do bench_db "$db"; done

printf '\n%-11s %8s %10s %11s %10s %11s %12s\n' "backup" "dr s" "bzip2 s" "bzip2/dr" "lbzip2 s" "dr/lbzip2" "dr peak RSS"
for db in "${dbs[@]}"; do
  dr=$(median "$db-dr" 2) bz=$(median "$db-bzip2" 2) lb=$(median "$db-lbzip2" 2)
  printf '%-11s %8s %10s %10sx %10s %10sx %8s MiB\n' "$db" "$dr" "$bz" "$(ratio "$bz" "$dr")" "$lb" \
    "$(ratio "$dr" "$lb")" "$(mib "$(median "$db-dr" 3)")"
done
echo "(goals on 2 cores: bzip2/dr >= 1.8x, dr/lbzip2 <= 1.0x, dr peak RSS <= 100 MiB and flat across scales;"
echo " dr also counts every table's rows (in its archive, as it streams) and writes globals off; medians of $runs run(s))"

printf '\n%-11s %8s %12s %10s %12s %16s\n' "encryption" "dr s" "encrypted s" "enc/dr" "dr CPU s" "encrypted CPU s"
for db in "${dbs[@]}"; do
  dr=$(median "$db-dr" 2) enc=$(median "$db-dr-enc" 2)
  printf '%-11s %8s %12s %9sx %12s %16s\n' "$db" "$dr" "$enc" "$(ratio "$enc" "$dr")" \
    "$(median "$db-dr" 4)" "$(median "$db-dr-enc" 4)"
done
echo "(goal: enc/dr <= 1.05x; AES-256-GCM in 1 MiB segments after compression; medians of $runs run(s))"

zstd_tables "${dbs[@]}"
