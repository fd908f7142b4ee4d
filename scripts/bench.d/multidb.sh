# shellcheck shell=bash
# bench multidb (issue 18): does a policy with several databases gain from dumping more than
# one at once on this machine? Same three databases, same RGW, one run, each codec:
#   dr backup of a policy naming all three (database.databases: what ships; each database
#     in its own snapshot; zstd: one per core at once, at most 4; bzip2: one at a time)
#   the three one-database dr backups one after another (what the multi-database path costs
#     beyond them)
#   the same three backups with 2 at once, and with all 3 at once (xargs -P): an upper bound
#     of what dumping a bounded number at once inside dr could gain, since separate
#     processes share nothing
# BENCH_MULTIDB_DBS picks the databases (default: bench_s10 bench_s50 bench_text).
runs=${BENCH_MULTIDB_RUNS:-1}
read -ra mdbs <<<"${BENCH_MULTIDB_DBS:-bench_s10 bench_s50 bench_text}"
"$DR" s3 mb s3://dr-bench-backup >/dev/null 2>&1 || true

for db in "${mdbs[@]}"; do has_database "$db" || bench_database "$db"; done

# multidb_policy CODEC: a policy backing up every database of mdbs in one backup.
multidb_policy() {
  local codec=$1 file="$BENCH_WORK/multidb-$1.yaml" list
  list=$(printf '%s, ' "${mdbs[@]}")
  cat >"$file" <<POLICY
name: multidb-$codec
database: {url: "$base/${mdbs[0]}", databases: [${list%, }]}
storage: {url: "s3://dr-bench-backup/", endpoint: "$AWS_ENDPOINT_URL", region: us-east-1}
backup: {compression: {codec: $codec, level: $([[ $codec == zstd ]] && echo 3 || echo 9), threads: auto}, globals: false}
verify: {row_counts: exact}
POLICY
  echo "$file"
}

for codec in bzip2 zstd; do
  multi=$(multidb_policy "$codec")
  singles=()
  for db in "${mdbs[@]}"; do
    if [[ $codec == zstd ]]; then singles+=("$(policy "$db" "" zstd)"); else singles+=("$(policy "$db")"); fi
  done
  for ((run = 1; run <= runs; run++)); do
    measure "multidb-$codec-seq" "$DR" backup --policy "$multi"
    for at_once in 1 2 3; do
      measure "multidb-$codec-p$at_once" bash -o pipefail -c \
        "printf '%s\n' ${singles[*]} | xargs -P $at_once -I{} '$DR' backup --policy {}"
    done
    "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
    rgw_gc
  done
done

printf '\n%-14s %9s %10s %11s %11s %12s %12s\n' "multidb (${#mdbs[@]})" "dr s" "1 by 1 s" "2 at once" "3 at once" \
  "best/dr" "dr peak RSS"
for codec in bzip2 zstd; do
  seq=$(median "multidb-$codec-seq" 2) p1=$(median "multidb-$codec-p1" 2)
  p2=$(median "multidb-$codec-p2" 2) p3=$(median "multidb-$codec-p3" 2)
  best=$(awk -v a="$p2" -v b="$p3" 'BEGIN { print (a < b ? a : b) }')
  printf '%-14s %9s %10s %11s %11s %11sx %8s MiB\n' "$codec" "$seq" "$p1" "$p2" "$p3" "$(ratio "$best" "$seq")" \
    "$(mib "$(median "multidb-$codec-seq" 3)")"
done
echo "(dr: one backup of ${mdbs[*]}; zstd: one database per core at once ($(nproc) here), bzip2: one at a time; 1 by 1, 2 at"
echo " once, 3 at once: the same databases as one-database dr backups run by xargs -P 1/2/3; best/dr near"
echo " 1x says dr gets what running them at once can give; medians of $runs run(s))"
